import type { z } from 'zod';
import { autosanaPayloadSchema, normalizeAutosana } from './autosana';
import { currentsPayloadSchema, normalizeCurrents } from './currents';
import type { Normalized, Source } from './item';
import { maestroPayloadSchema, normalizeMaestro } from './maestro';
import { normalizeStandardWebhooks, standardWebhooksPayloadSchema } from './standardWebhooks';

export * from './item';

export type NormalizeResult = { ok: true; value: Normalized } | { ok: false; reason: string };

/** Checks a parsed payload against a schema, naming the first field at fault, then maps it. */
function viaSchema<S extends z.ZodTypeAny>(schema: S, normalize: (payload: z.infer<S>) => Normalized) {
	return (payload: unknown): NormalizeResult => {
		const parsed = schema.safeParse(payload);
		if (parsed.success) return { ok: true, value: normalize(parsed.data) };
		const issue = parsed.error.issues[0];
		return { ok: false, reason: `${issue.path.join('.') || 'body'}: ${issue.message}` };
	};
}

const NORMALIZERS: Record<Source, (payload: unknown) => NormalizeResult> = {
	currents: viaSchema(currentsPayloadSchema, normalizeCurrents),
	maestro: viaSchema(maestroPayloadSchema, normalizeMaestro),
	autosana: viaSchema(autosanaPayloadSchema, normalizeAutosana),
	standardWebhooks: viaSchema(standardWebhooksPayloadSchema, normalizeStandardWebhooks),
};

/** Maps a parsed payload of a source to the common run shape, or says why it does not fit. */
export function normalizePayload(source: Source, payload: unknown): NormalizeResult {
	return NORMALIZERS[source](payload);
}
