import { z } from 'zod';
import type { RunEvent } from '../currents/contract';
import { header, type Headers } from '../http/headers';
import { nullableId, nullableText } from '../normalize/fields';
import { isoFromText, UNCOUNTED, type Normalized, type NormalizedRun, type RunStatus } from '../normalize/item';
import {
	checkStandardWebhookSignature,
	credentialSecrets,
	matchesAnyExpected,
	refuse,
	STANDARD_WEBHOOKS_SECRET_PREFIX,
	type Verification,
	type VerificationInput,
} from '../verify';
import { screenByEventHeader } from './eventHeader';
import { defineSource, type Ignored } from './types';

export const GITLAB_TOKEN_HEADER = 'X-Gitlab-Token';
const SIGNATURE_HEADER = 'webhook-signature';

/**
 * Failure reasons of a job that mean a timeout: the legacy values older GitLab versions still
 * send and the ones that replaced them (ci-platforms.md C.4).
 */
export const GITLAB_TIMEOUT_REASONS: ReadonlySet<string> = new Set([
	'job_execution_timeout',
	'job_execution_server_timeout',
	'server_timeout_running',
	'server_timeout_canceling',
	'stuck_or_timeout_failure',
	'stuck_pending_with_matching_runners',
	'stuck_pending_no_matching_runners',
	'no_updates_running',
	'no_updates_canceling',
]);

/** Present under any spelling, even repeated or empty: a signature that comes must be checked, never skipped. */
const carries = (headers: Headers, name: string) => Object.keys(headers).some((key) => key.toLowerCase() === name);

/**
 * The credential decides the proof, never the request. A `whsec_` signing token verifies the
 * Standard Webhooks headers; when a delivery carries `webhook-signature` and the credential
 * holds a signing token, that signature must hold (no fallback to `X-Gitlab-Token`, which
 * GitLab sends alongside when both tokens are set). A plain secret token is compared with
 * `X-Gitlab-Token`; a signature it has no key for neither helps nor hurts.
 */
export function verifyGitlab(input: VerificationInput): Verification {
	const secrets = credentialSecrets(input.secrets, 'signingKeyOrText');
	if ('ok' in secrets) return secrets;
	if (secrets.signingKeys.length > 0) {
		if (carries(input.headers, SIGNATURE_HEADER)) {
			const verified = checkStandardWebhookSignature(input, secrets.signingKeys);
			return verified.ok ? { ok: true, deliveryId: `gitlab:${verified.deliveryId}` } : verified;
		}
		if (secrets.texts.length === 0) {
			return refuse(
				`missing header ${SIGNATURE_HEADER} (the credential holds a ${STANDARD_WEBHOOKS_SECRET_PREFIX} signing token: GitLab signs only when the webhook has that Signing token)`,
			);
		}
	}
	const token = header(input.headers, GITLAB_TOKEN_HEADER);
	if (token === undefined) return refuse(`missing header ${GITLAB_TOKEN_HEADER}`);
	if (!matchesAnyExpected(token, secrets.expectedTexts)) return { ...refuse(`wrong token in header ${GITLAB_TOKEN_HEADER}`), secretMismatch: true };
	return { ok: true };
}

/** "2016-08-12 15:23:28 UTC" or "… +0200", as GitLab writes pipeline times; group 3 is the offset. */
const GITLAB_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) (?:UTC|([+-]\d{2})(\d{2}))$/;

/** A GitLab time (its own form or ISO 8601) as UTC ISO text, or null when missing or unreadable. */
export function isoFromGitlabTime(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	const match = GITLAB_TIME.exec(value);
	return isoFromText(match ? `${match[1]}T${match[2]}${match[3] ? `${match[3]}:${match[4]}` : 'Z'}` : value);
}
const gitlabTime = z.unknown().transform(isoFromGitlabTime);

/** Seconds as milliseconds, or null when it is no duration (negative, not a number, beyond exact integers). */
const secondsAsMs = z
	.unknown()
	.transform((value) => (typeof value === 'number' && value >= 0 && value * 1000 <= Number.MAX_SAFE_INTEGER ? Math.round(value * 1000) : null));

export const gitlabPayloadSchema = z.object({
	object_kind: z.literal('pipeline'),
	object_attributes: z.object({
		id: nullableId,
		iid: nullableId,
		name: nullableText,
		ref: nullableText,
		sha: nullableText,
		status: z.string(),
		finished_at: gitlabTime,
		duration: secondsAsMs,
		url: nullableText,
	}),
	project: z.object({ id: nullableId, name: nullableText, web_url: nullableText }).nullable().optional(),
	commit: z
		.object({ id: nullableText, message: nullableText, author: z.object({ name: nullableText }).nullable().optional() })
		.nullable()
		.optional(),
	builds: z
		.array(
			z.object({
				id: nullableId,
				stage: nullableText,
				name: nullableText,
				status: nullableText,
				started_at: gitlabTime,
				failure_reason: nullableText,
				allow_failure: z.boolean().nullable().optional(),
			}),
		)
		.nullable()
		.optional(),
});
export type GitlabPayload = z.infer<typeof gitlabPayloadSchema>;

type Failure = NormalizedRun['failures'][number];

/** The jobs that failed the pipeline; a job allowed to fail only warns, so it is left out. */
function failuresOf(payload: GitlabPayload): Failure[] {
	const projectUrl = payload.project?.web_url ?? null;
	return (payload.builds ?? [])
		.filter((job) => job.status === 'failed' && job.allow_failure !== true)
		.map((job) => ({
			name: job.stage && job.name ? `${job.stage}: ${job.name}` : job.name,
			url: projectUrl && job.id ? `${projectUrl}/-/jobs/${job.id}` : null,
			reason: job.failure_reason,
		}));
}

const shown = (value: string) => JSON.stringify(value.slice(0, 60));

/** Pipeline status → run event; every other status (waiting, transitional, skipped, manual) is none. */
function mappingOf(status: string, failures: Failure[]): { event: RunEvent; status: RunStatus } | Ignored {
	switch (status) {
		case 'running':
			return { event: 'RUN_START', status: 'running' };
		case 'success':
			return { event: 'RUN_FINISH', status: 'passed' };
		case 'failed':
			return failures.some((failure) => failure.reason !== null && GITLAB_TIMEOUT_REASONS.has(failure.reason))
				? { event: 'RUN_TIMEOUT', status: 'timedOut' }
				: { event: 'RUN_FINISH', status: 'failed' };
		case 'canceled':
			return { event: 'RUN_CANCELED', status: 'canceled' };
		default:
			return { ignored: `pipeline status ${shown(status)} is not a run event` };
	}
}

/** The earliest start of a job: GitLab sends no pipeline start time. */
function earliestStart(payload: GitlabPayload): string | null {
	const starts = (payload.builds ?? []).flatMap((job) => (job.started_at ? [job.started_at] : []));
	return starts.length > 0 ? starts.reduce((earliest, start) => (start < earliest ? start : earliest)) : null;
}

export function normalizeGitlab(payload: GitlabPayload): Normalized | Ignored {
	const pipeline = payload.object_attributes;
	const failures = failuresOf(payload);
	const mapped = mappingOf(pipeline.status, failures);
	if ('ignored' in mapped) return mapped;
	const project = payload.project ?? null;
	const projectUrl = project?.web_url ?? null;
	return {
		event: mapped.event,
		run: {
			id: pipeline.id,
			name: pipeline.name ?? (pipeline.iid ? `Pipeline #${pipeline.iid}` : null),
			url: pipeline.url ?? (projectUrl && pipeline.id ? `${projectUrl}/-/pipelines/${pipeline.id}` : null),
			status: mapped.status,
			startedAt: earliestStart(payload),
			endedAt: mapped.event === 'RUN_START' ? null : pipeline.finished_at,
			durationMs: pipeline.duration,
			app: project ? { id: project.id, name: project.name, platform: null } : null,
			git: {
				sha: pipeline.sha ?? payload.commit?.id ?? null,
				branch: pipeline.ref,
				author: payload.commit?.author?.name ?? null,
				message: payload.commit?.message ?? null,
				remote: projectUrl,
			},
			tags: [],
			// A pipeline event counts no tests; its failed jobs are the failures.
			totals: UNCOUNTED,
			failures,
		},
	};
}

export const gitlab = defineSource({
	value: 'gitlab',
	displayName: 'GitLab',
	group: 'CI platforms',
	summary: 'GitLab pipeline events: a whsec_ signing token (webhook-signature) or X-Gitlab-Token',
	docs: {
		platform: 'pipeline events (`Pipeline Hook`): running, success, failed (a job timeout: RUN_TIMEOUT), canceled',
		proves:
			'with a `whsec_` signing token in the credential (GitLab 19.0+): `webhook-signature` over `webhook-id`, `webhook-timestamp` (within the tolerance) and the raw body, required whenever it comes; with a plain secret token: `X-Gitlab-Token` equal to it',
		cannotProve:
			"A plain secret token signs nothing and carries no send time: the body and its age are unproven, and a replay is refused only by the memory of delivery ids and body hashes. Prefer GitLab's whsec_ signing token; otherwise attach the Redis credential (one memory for all n8n processes) and raise the Deduplication Window (e.g. 86400 s). GitLab's Test button sends the newest pipeline as a real event.",
		deliveryId: '`webhook-id` when signed; else `Idempotency-Key` (GitLab 17.4+, same on Resend), else `X-Gitlab-Event-UUID`',
		setup:
			"In GitLab, Settings → Webhooks → Add new webhook: paste the Production URL and tick Pipeline events; the webhook's Signing token (whsec_…, preferred) or Secret token goes in the credential's Secret.",
	},
	verify: (input) => verifyGitlab(input),
	screen: screenByEventHeader('X-Gitlab-Event', ['Pipeline Hook']),
	schema: gitlabPayloadSchema,
	normalize: normalizeGitlab,
	deliveryId: { header: 'Idempotency-Key', fallbackHeader: 'X-Gitlab-Event-UUID' },
});
