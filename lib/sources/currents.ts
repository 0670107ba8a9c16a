import { z } from 'zod';
import { nullableText, requiredCount } from '../normalize/fields';
import { RUN_EVENTS } from '../currents/contract';
import type { Normalized, RunStatus } from '../normalize/item';
import { verifySharedHeader } from '../verify';
import { defineSource } from './types';

export const currentsPayloadSchema = z.object({
	event: z.enum(RUN_EVENTS),
	runUrl: z.string(),
	buildId: z.string().nullable().optional(),
	groupId: z.string().nullable().optional(),
	tags: z.array(z.string()).nullable().optional(),
	commit: z
		.object({
			sha: nullableText,
			branch: nullableText,
			authorName: nullableText,
			authorEmail: nullableText,
			message: nullableText,
			remoteOrigin: nullableText,
			defaultBranch: nullableText,
		})
		.nullable()
		.optional(),
	overall: requiredCount,
	passes: requiredCount,
	failures: requiredCount,
	pending: requiredCount,
	skipped: requiredCount,
	retries: requiredCount.optional(),
	flaky: requiredCount.optional(),
});
export type CurrentsPayload = z.infer<typeof currentsPayloadSchema>;

function statusOf(payload: CurrentsPayload): RunStatus {
	switch (payload.event) {
		case 'RUN_START':
			return 'running';
		case 'RUN_TIMEOUT':
			return 'timedOut';
		case 'RUN_CANCELED':
			return 'canceled';
		default:
			return payload.failures > 0 ? 'failed' : 'passed';
	}
}

/** The run id is the last segment of the run's dashboard URL (…/run/<id>). */
function runIdOf(runUrl: string): string | null {
	const match = /\/run\/([^/?#]+)/.exec(runUrl);
	return match ? match[1] : null;
}

export function normalizeCurrents(payload: CurrentsPayload): Normalized {
	const commit = payload.commit;
	const group = payload.groupId ? ` (${payload.groupId})` : '';
	return {
		event: payload.event,
		run: {
			id: runIdOf(payload.runUrl),
			name: payload.buildId ? `${payload.buildId}${group}` : null,
			url: payload.runUrl,
			status: statusOf(payload),
			startedAt: null,
			endedAt: null,
			durationMs: null,
			app: null,
			git: commit ? { sha: commit.sha, branch: commit.branch, author: commit.authorName, message: commit.message, remote: commit.remoteOrigin } : null,
			tags: payload.tags ?? [],
			totals: {
				tests: payload.overall,
				passed: payload.passes,
				failed: payload.failures,
				skipped: payload.skipped,
				pending: payload.pending,
				flaky: payload.flaky ?? 0,
				retries: payload.retries ?? 0,
			},
			// Currents sends counts only; the failed tests are on the run's page.
			failures: [],
		},
	};
}

export const currents = defineSource({
	value: 'currents',
	displayName: 'Currents',
	group: 'Test platforms',
	summary: 'Currents test dashboard: a secret header and x-timestamp',
	docs: {
		platform: 'test dashboard: RUN_START, RUN_FINISH, RUN_TIMEOUT, RUN_CANCELED',
		proves:
			'the secret in a custom header (Secret Header Name, default `x-webhook-secret`) and `x-timestamp` (ms or s) within the tolerance; with automatic registration the secret is derived from the API key, never stored',
		cannotProve: 'The body is not signed: whoever sees one delivery (a proxy log) holds the secret header, so keep the URL on HTTPS.',
		deliveryId: 'a hash of the body',
		setup: 'Automatic registration adds the webhook for you; with Manual, add it under Project Settings → Integrations → Webhooks with the secret header.',
	},
	verify: (input, settings) => verifySharedHeader(input, settings.secretHeaderName),
	schema: currentsPayloadSchema,
	normalize: normalizeCurrents,
});
