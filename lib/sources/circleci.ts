import { z } from 'zod';
import type { RunEvent } from '../currents/contract';
import { header } from '../http/headers';
import { isoTime, nullableId, nullableText } from '../normalize/fields';
import { durationBetween, UNCOUNTED, type Normalized, type RunStatus } from '../normalize/item';
import { credentialSecrets, hmacSha256, matchesAny, mismatch, refuse, type Verification, type VerificationInput } from '../verify';
import { defineSource, type Ignored } from './types';

export const CIRCLECI_SIGNATURE_HEADER = 'circleci-signature';

/**
 * The `v1` signatures of a `circleci-signature` list (`v1=<hex>[,vN=<…>]`): entries split on
 * commas, spaces around them and the version's case ignored, other versions left out (CircleCI
 * may add schemes; a `v1` entry alone is what this trigger can check).
 */
export function circleciV1Signatures(value: string): string[] {
	return value
		.split(',')
		.map((entry) => entry.trim())
		.filter((entry) => entry.slice(0, 3).toLowerCase() === 'v1=')
		.map((entry) => entry.slice(3).trim().toLowerCase());
}

/** `circleci-signature`: any `v1` entry equal to the hex HMAC-SHA256 of the raw body. */
export function verifyCircleci(input: VerificationInput): Verification {
	const secrets = credentialSecrets(input.secrets, 'text');
	if ('ok' in secrets) return secrets;
	const signature = header(input.headers, CIRCLECI_SIGNATURE_HEADER);
	if (signature === undefined) return refuse(`missing header ${CIRCLECI_SIGNATURE_HEADER}`);
	const presented = circleciV1Signatures(signature);
	if (presented.length === 0) return refuse(`header ${CIRCLECI_SIGNATURE_HEADER} has no v1=<hex> signature`);
	const expected = secrets.texts.map((secret) => hmacSha256(secret, input.rawBody, 'hex'));
	let valid = false;
	for (const entry of presented) valid = matchesAny(entry, expected) || valid;
	if (!valid) return mismatch(`no signature in header ${CIRCLECI_SIGNATURE_HEADER} matches the body`);
	return { ok: true };
}

const WORKFLOW_COMPLETED = 'workflow-completed';

const named = z.object({ id: nullableId, name: nullableText }).nullable().optional();

const workflowSchema = z.object({
	id: nullableId,
	name: nullableText,
	status: nullableText,
	created_at: isoTime,
	stopped_at: isoTime,
	url: nullableText,
});

const pipelineSchema = z
	.object({
		number: nullableId,
		// GitHub OAuth and Bitbucket Cloud pipelines.
		vcs: z
			.object({
				origin_repository_url: nullableText,
				revision: nullableText,
				branch: nullableText,
				tag: nullableText,
				commit: z
					.object({ subject: nullableText, author: z.object({ name: nullableText }).nullable().optional() })
					.nullable()
					.optional(),
			})
			.nullable()
			.optional(),
		// GitLab, GitHub App and Bitbucket Data Center pipelines.
		trigger_parameters: z
			.object({
				git: z.object({ checkout_sha: nullableText, branch: nullableText, tag: nullableText, checkout_url: nullableText }).nullable().optional(),
				gitlab: z
					.object({ commit_sha: nullableText, branch: nullableText, commit_title: nullableText, commit_author_name: nullableText, web_url: nullableText })
					.nullable()
					.optional(),
			})
			.nullable()
			.optional(),
	})
	.nullable()
	.optional();

/**
 * Every CircleCI delivery has `id`, `type` and `happened_at`; only `workflow-completed` needs a
 * workflow. Pings and job events carry less (or more), and are ignored after the proof.
 */
export const circleciPayloadSchema = z
	.object({
		id: z.string(),
		type: z.string(),
		// Null when unreadable (any type): signedBodyTimestamp then refuses the delivery.
		happened_at: isoTime,
		project: z.object({ id: nullableId, name: nullableText, slug: nullableText }).nullable().optional(),
		organization: named,
		workflow: workflowSchema.optional(),
		pipeline: pipelineSchema,
	})
	.superRefine((payload, context) => {
		if (payload.type === WORKFLOW_COMPLETED && payload.workflow === undefined) context.addIssue({ code: 'custom', path: ['workflow'], message: 'Required' });
	});
export type CircleciPayload = z.infer<typeof circleciPayloadSchema>;

/**
 * `workflow-completed` status → run event and status: every value CircleCI documents. It has no
 * timeout status (a timed-out workflow is `failed`); `unauthorized` (a restricted context) and
 * `error` (a broken config) failed the run as surely as a failing job.
 */
export const CIRCLECI_WORKFLOW_STATUSES: Record<string, { event: RunEvent; status: RunStatus }> = {
	success: { event: 'RUN_FINISH', status: 'passed' },
	failed: { event: 'RUN_FINISH', status: 'failed' },
	error: { event: 'RUN_FINISH', status: 'failed' },
	unauthorized: { event: 'RUN_FINISH', status: 'failed' },
	canceled: { event: 'RUN_CANCELED', status: 'canceled' },
};

const shown = (value: string | null) => JSON.stringify(value?.slice(0, 60) ?? null);

function mappingOf(payload: CircleciPayload): { event: RunEvent; status: RunStatus } | Ignored {
	if (payload.type !== WORKFLOW_COMPLETED) return { ignored: `CircleCI event type ${shown(payload.type)} is not a run event` };
	const status = payload.workflow?.status ?? '';
	return Object.prototype.hasOwnProperty.call(CIRCLECI_WORKFLOW_STATUSES, status)
		? CIRCLECI_WORKFLOW_STATUSES[status]
		: { ignored: `CircleCI workflow status ${shown(payload.workflow?.status ?? null)} is not one this trigger maps` };
}

function gitOf(pipeline: CircleciPayload['pipeline']): Normalized['run']['git'] {
	const vcs = pipeline?.vcs;
	const git = pipeline?.trigger_parameters?.git;
	const gitlab = pipeline?.trigger_parameters?.gitlab;
	if (!vcs && !git && !gitlab) return null;
	return {
		sha: vcs?.revision ?? git?.checkout_sha ?? gitlab?.commit_sha ?? null,
		branch: vcs?.branch ?? vcs?.tag ?? git?.branch ?? git?.tag ?? gitlab?.branch ?? null,
		author: vcs?.commit?.author?.name ?? gitlab?.commit_author_name ?? null,
		message: vcs?.commit?.subject ?? gitlab?.commit_title ?? null,
		remote: vcs?.origin_repository_url ?? git?.checkout_url ?? gitlab?.web_url ?? null,
	};
}

export function normalizeCircleci(payload: CircleciPayload): Normalized | Ignored {
	const mapped = mappingOf(payload);
	if ('ignored' in mapped) return mapped;
	// mappingOf maps workflow-completed only, which the schema requires a workflow for.
	const workflow = payload.workflow!;
	const project = payload.project ?? null;
	const pipelineNumber = payload.pipeline?.number ?? null;
	return {
		event: mapped.event,
		run: {
			id: workflow.id,
			name: workflow.name && pipelineNumber ? `${workflow.name} #${pipelineNumber}` : workflow.name,
			url: workflow.url,
			status: mapped.status,
			startedAt: workflow.created_at,
			endedAt: workflow.stopped_at,
			durationMs: durationBetween(workflow.created_at, workflow.stopped_at),
			app: project ? { id: project.id, name: project.name ?? project.slug, platform: null } : null,
			git: gitOf(payload.pipeline),
			tags: [],
			// CircleCI's webhook counts no tests and lists no failed jobs.
			totals: UNCOUNTED,
			failures: [],
		},
	};
}

export const circleci = defineSource({
	value: 'circleci',
	displayName: 'CircleCI',
	group: 'CI platforms',
	summary: 'CircleCI workflow-completed webhooks: circleci-signature',
	docs: {
		platform: 'outbound webhooks: `workflow-completed` (success, failed, error, unauthorized, canceled); `job-completed` and pings are ignored',
		proves:
			'`circleci-signature: v1=<hex HMAC-SHA256 of the raw body>` (a list: any `v1` entry may match), and the signed body field `happened_at` within the tolerance',
		cannotProve:
			'CircleCI sends no start event and no timeout status (a timed-out workflow arrives as failed); its webhook counts no tests and lists no failed jobs.',
		deliveryId: 'the body field `id` (signed, same on retries)',
		setup: 'In CircleCI, Project Settings → Webhooks → Add Webhook: paste the Production URL, the secret token, and the event Workflow Completed.',
	},
	verify: (input) => verifyCircleci(input),
	schema: circleciPayloadSchema,
	signedBodyTimestamp: {
		field: 'happened_at',
		format: 'an ISO 8601 date and time',
		epochMs: (payload) => (payload.happened_at === null ? null : Date.parse(payload.happened_at)),
	},
	normalize: normalizeCircleci,
	deliveryId: { bodyField: 'id', read: (payload) => payload.id },
});
