import { z } from 'zod';
import { RUN_EVENTS } from '../currents/contract';
import { currentsPayloadSchema, normalizeCurrents } from './currents';
import type { Normalized } from './item';

const text = z.string().nullable();

/** An item already in the normalized shape, e.g. forwarded by this package's Webhook Dispatch. */
const normalizedItemSchema = z.object({
	event: z.enum(RUN_EVENTS),
	run: z.object({
		id: text,
		name: text,
		url: text,
		status: z.enum(['running', 'passed', 'failed', 'timedOut', 'canceled']),
		startedAt: text,
		endedAt: text,
		durationMs: z.number().nullable(),
		app: z.object({ id: text, name: text, platform: text }).nullable(),
		git: z.object({ sha: text, branch: text, author: text, message: text, remote: text }).nullable(),
		tags: z.array(z.string()),
		totals: z.object({
			tests: z.number(),
			passed: z.number(),
			failed: z.number(),
			skipped: z.number(),
			pending: z.number(),
			flaky: z.number(),
			retries: z.number(),
		}),
		failures: z.array(z.object({ name: text, url: text, reason: text })),
	}),
});

/** A normalized item, or a Currents-shaped run event. */
export const standardWebhooksPayloadSchema = z.union([normalizedItemSchema, currentsPayloadSchema]);
export type StandardWebhooksPayload = z.infer<typeof standardWebhooksPayloadSchema>;

export function normalizeStandardWebhooks(payload: StandardWebhooksPayload): Normalized {
	return 'run' in payload ? { event: payload.event, run: payload.run } : normalizeCurrents(payload);
}
