import { z } from 'zod';
import { nullableText, requiredCount } from '../normalize/fields';
import { isoFromText, type Normalized } from '../normalize/item';
import { verifyHexSignature } from '../verify';
import { defineSource } from './types';

export const AUTOSANA_SIGNATURE_HEADER = 'X-Autosana-Signature-256';

export const autosanaPayloadSchema = z.object({
	event: z.literal('batch.completed'),
	timestamp: z.string(),
	app: z.object({ id: nullableText, name: nullableText, platform: nullableText, url: nullableText }),
	git: z.object({ commit_sha: nullableText, branch: nullableText }).nullable().optional(),
	summary: z.object({
		total_groups: requiredCount,
		passed_groups: requiredCount,
		failed_groups: requiredCount,
	}),
	run_groups: z.array(
		z.object({
			name: nullableText,
			status: z.string(),
			url: nullableText,
			runs: z.array(z.object({ name: nullableText, status: z.string(), url: nullableText })).default([]),
		}),
	),
});
export type AutosanaPayload = z.infer<typeof autosanaPayloadSchema>;

const isFailed = (status: string) => status.toLowerCase() === 'failed';
const isPassed = (status: string) => status.toLowerCase() === 'passed';

export function normalizeAutosana(payload: AutosanaPayload): Normalized {
	const runs = payload.run_groups.flatMap((group) => group.runs.map((run) => ({ group, run })));
	const failedGroups = payload.run_groups.filter((group) => isFailed(group.status));
	// A failed group with no failed run listed still counts as a failure, by its own name.
	const failures = failedGroups.flatMap((group) => {
		const failedRuns = group.runs.filter((run) => isFailed(run.status));
		return failedRuns.length > 0
			? failedRuns.map((run) => ({ name: group.name ? `${group.name} › ${run.name ?? ''}` : run.name, url: run.url, reason: null }))
			: [{ name: group.name, url: group.url, reason: null }];
	});
	const failed = payload.summary.failed_groups > 0 || failedGroups.length > 0;
	return {
		event: 'RUN_FINISH',
		run: {
			id: null,
			name: payload.app.name,
			url: null,
			status: failed ? 'failed' : 'passed',
			startedAt: null,
			endedAt: isoFromText(payload.timestamp),
			durationMs: null,
			app: { id: payload.app.id, name: payload.app.name, platform: payload.app.platform?.toLowerCase() ?? null },
			git: payload.git ? { sha: payload.git.commit_sha, branch: payload.git.branch, author: null, message: null, remote: null } : null,
			tags: [],
			totals: {
				tests: runs.length,
				passed: runs.filter(({ run }) => isPassed(run.status)).length,
				failed: runs.filter(({ run }) => isFailed(run.status)).length,
				skipped: runs.filter(({ run }) => !isPassed(run.status) && !isFailed(run.status)).length,
				pending: 0,
				flaky: 0,
				retries: 0,
			},
			failures,
		},
	};
}

export const autosana = defineSource({
	value: 'autosana',
	displayName: 'Autosana',
	group: 'Test platforms',
	summary: 'Autosana batch.completed: X-Autosana-Signature-256',
	docs: {
		platform: '`batch.completed` (AI mobile tests), as RUN_FINISH',
		proves: '`X-Autosana-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`, and the signed body field `timestamp` within the tolerance',
		cannotProve: 'Autosana sends no delivery id: two identical batches within the deduplication window count as one.',
		deliveryId: 'a hash of the body',
		setup: "In Autosana's webhook settings, paste the Production URL; its signing secret goes in the credential's Secret.",
	},
	verify: (input) => verifyHexSignature(input, AUTOSANA_SIGNATURE_HEADER),
	schema: autosanaPayloadSchema,
	// Autosana signs its body, which carries the send time: a replayed old batch is refused,
	// and so is one whose time cannot be read (it could not be checked).
	signedBodyTimestamp: {
		field: 'timestamp',
		format: 'an ISO 8601 date and time',
		epochMs: (payload) => {
			const iso = isoFromText(payload.timestamp);
			return iso ? Date.parse(iso) : null;
		},
	},
	normalize: normalizeAutosana,
});
