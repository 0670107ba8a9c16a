import { z } from 'zod';
import { RUN_EVENTS } from '../currents/contract';
import { countOrNull, isoTimeOrNull } from '../normalize/fields';
import { currentsPayloadSchema, normalizeCurrents } from './currents';
import type { Normalized } from '../normalize/item';
import { verifyStandardWebhook } from '../verify';
import { defineSource } from './types';

const text = z.string().nullable();

/** An item already in the normalized shape, e.g. forwarded by this package's Webhook Dispatch. */
const normalizedItemSchema = z.object({
	event: z.enum(RUN_EVENTS),
	run: z.object({
		id: text,
		name: text,
		url: text,
		status: z.enum(['running', 'passed', 'failed', 'timedOut', 'canceled']),
		startedAt: isoTimeOrNull,
		endedAt: isoTimeOrNull,
		durationMs: countOrNull,
		app: z.object({ id: text, name: text, platform: text }).nullable(),
		git: z.object({ sha: text, branch: text, author: text, message: text, remote: text }).nullable(),
		tags: z.array(z.string()),
		totals: z.object({
			tests: countOrNull,
			passed: countOrNull,
			failed: countOrNull,
			skipped: countOrNull,
			pending: countOrNull,
			flaky: countOrNull,
			retries: countOrNull,
		}),
		failures: z.array(z.object({ name: text, url: text, reason: text })),
	}),
});

export type StandardWebhooksPayload = z.output<typeof normalizedItemSchema> | z.output<typeof currentsPayloadSchema>;

/**
 * A body with `run` is a normalized item, any other a Currents-shaped run event. Chosen by that
 * key rather than by a union, whose error names no field ("body: Invalid input").
 */
export const standardWebhooksPayloadSchema = z.unknown().transform((body, context): StandardWebhooksPayload => {
	const schema = typeof body === 'object' && body !== null && 'run' in body ? normalizedItemSchema : currentsPayloadSchema;
	const parsed = schema.safeParse(body);
	if (parsed.success) return parsed.data;
	for (const issue of parsed.error.issues) context.addIssue(issue);
	return z.NEVER;
});

export function normalizeStandardWebhooks(payload: StandardWebhooksPayload): Normalized {
	return 'run' in payload ? { event: payload.event, run: payload.run } : normalizeCurrents(payload);
}

export const standardWebhooks = defineSource({
	value: 'standardWebhooks',
	displayName: 'Standard Webhooks',
	group: 'Generic',
	summary: 'Any Standard Webhooks sender, including Webhook Dispatch: webhook-signature',
	docs: {
		platform: 'any sender that follows the spec, including Webhook Dispatch: run events or normalized items',
		proves: '`webhook-signature` (`v1,<base64>` list; `whsec_` secrets) over `webhook-id`, `webhook-timestamp` (within the tolerance) and the raw body',
		cannotProve: 'Nothing beyond the key: whoever holds the secret can sign.',
		deliveryId: '`webhook-id` (signed)',
		setup: "In the sender's webhook settings, paste the Production URL; the whsec_ signing secret goes in the credential's Secret.",
	},
	verify: (input) => verifyStandardWebhook(input),
	schema: standardWebhooksPayloadSchema,
	normalize: normalizeStandardWebhooks,
});
