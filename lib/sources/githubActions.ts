import { z } from 'zod';
import { isoTime, nullableId, nullableText } from '../normalize/fields';
import { durationBetween, UNCOUNTED, type Normalized } from '../normalize/item';
import { verifyHexSignature } from '../verify';
import { screenByEventHeader } from './eventHeader';
import { mapState, quoted, RUN, type RunMapping } from './mapping';
import { defineSource, type Ignored } from './types';

export const githubActionsPayloadSchema = z.object({
	action: z.string(),
	workflow_run: z.object({
		id: nullableId,
		name: nullableText,
		run_number: nullableId,
		conclusion: nullableText,
		head_branch: nullableText,
		head_sha: nullableText,
		html_url: nullableText,
		run_started_at: isoTime,
		updated_at: isoTime,
		head_commit: z
			.object({ message: nullableText, author: z.object({ name: nullableText }).nullable().optional() })
			.nullable()
			.optional(),
	}),
	repository: z.object({ id: nullableId, full_name: nullableText, html_url: nullableText }).nullable().optional(),
});
export type GithubActionsPayload = z.infer<typeof githubActionsPayloadSchema>;

/** `completed` conclusion → run event and status (every value in GitHub's schema but null). */
export const GITHUB_CONCLUSIONS = {
	success: RUN.passed,
	neutral: RUN.passed,
	skipped: RUN.passed,
	failure: RUN.failed,
	startup_failure: RUN.failed,
	action_required: RUN.failed,
	stale: RUN.failed,
	timed_out: RUN.timedOut,
	cancelled: RUN.canceled,
};

function mappingOf({ action, workflow_run: run }: GithubActionsPayload): RunMapping | Ignored {
	if (action === 'in_progress') return RUN.started;
	if (action !== 'completed') return { ignored: `workflow_run action ${quoted(action)} is not a run event` };
	return mapState(GITHUB_CONCLUSIONS, run.conclusion, 'workflow_run conclusion');
}

export function normalizeGithubActions(payload: GithubActionsPayload): Normalized | Ignored {
	const mapped = mappingOf(payload);
	if ('ignored' in mapped) return mapped;
	const run = payload.workflow_run;
	const repository = payload.repository ?? null;
	// GitHub sends no end time: a completed run ended at its last update.
	const endedAt = payload.action === 'completed' ? run.updated_at : null;
	return {
		event: mapped.event,
		run: {
			id: run.id,
			name: run.name && run.run_number ? `${run.name} #${run.run_number}` : run.name,
			url: run.html_url,
			status: mapped.status,
			startedAt: run.run_started_at,
			endedAt,
			durationMs: durationBetween(run.run_started_at, endedAt),
			app: repository ? { id: repository.id, name: repository.full_name, platform: null } : null,
			git: {
				sha: run.head_sha,
				branch: run.head_branch,
				author: run.head_commit?.author?.name ?? null,
				message: run.head_commit?.message ?? null,
				remote: repository?.html_url ?? null,
			},
			tags: [],
			// workflow_run counts no tests and lists no failed jobs.
			totals: UNCOUNTED,
			failures: [],
		},
	};
}

export const githubActions = defineSource({
	value: 'githubActions',
	displayName: 'GitHub Actions',
	group: 'CI platforms',
	summary: 'GitHub workflow_run webhooks: X-Hub-Signature-256',
	docs: {
		platform: '`workflow_run` webhooks (repository or organization): in_progress and completed',
		proves: '`X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`',
		cannotProve:
			'GitHub signs no time, so a replay cannot be refused by its age: the protection is the memory of delivery ids and body hashes. Attach the Redis credential (one memory for all n8n processes) and raise the Deduplication Window (e.g. 86400 s).',
		deliveryId: '`X-GitHub-Delivery` (same on redeliveries)',
		setup:
			'In GitHub, repository or organization Settings → Webhooks → Add webhook: paste the Production URL, content type application/json, the secret, and the event Workflow runs.',
	},
	verify: (input) => verifyHexSignature(input, 'X-Hub-Signature-256'),
	screen: screenByEventHeader('X-GitHub-Event', ['workflow_run']),
	schema: githubActionsPayloadSchema,
	normalize: normalizeGithubActions,
	deliveryId: { header: 'X-GitHub-Delivery' },
});
