import { z } from 'zod';
import { nullableText } from './fields';
import { isoFromText, type Normalized } from './item';

export const autosanaPayloadSchema = z.object({
	event: z.literal('batch.completed'),
	timestamp: z.string(),
	app: z.object({ id: nullableText, name: nullableText, platform: nullableText, url: nullableText }),
	git: z.object({ commit_sha: nullableText, branch: nullableText }).nullable().optional(),
	summary: z.object({
		total_groups: z.number().int().nonnegative(),
		passed_groups: z.number().int().nonnegative(),
		failed_groups: z.number().int().nonnegative(),
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
