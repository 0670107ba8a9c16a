import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { RunEvent } from '../currents/contract';
import { header, type Headers } from '../http/headers';
import { isoTime, nullableId, nullableText } from '../normalize/fields';
import { durationBetween, UNCOUNTED, type Normalized, type RunStatus } from '../normalize/item';
import { checkFreshness, credentialSecrets, matchesAny, matchesAnyExpected, mismatch, refuse, type Verification, type VerificationInput } from '../verify';
import { defineSource, type Ignored } from './types';

export const BUILDKITE_SIGNATURE_HEADER = 'X-Buildkite-Signature';
export const BUILDKITE_TOKEN_HEADER = 'X-Buildkite-Token';

/**
 * `timestamp=<epoch seconds>,signature=<hex>`: each part exactly once, in either order, spaces
 * around parts and the keys' case ignored. Anything else (a part missing, repeated or unknown,
 * a timestamp that is not digits, a signature that is not 64 hex digits) is null: malformed.
 */
export function parseBuildkiteSignature(value: string): { timestamp: string; signature: string } | null {
	const parts = new Map<string, string>();
	for (const part of value.split(',')) {
		const at = part.indexOf('=');
		const key = part.slice(0, at).trim().toLowerCase();
		if (at < 0 || (key !== 'timestamp' && key !== 'signature') || parts.has(key)) return null;
		parts.set(key, part.slice(at + 1).trim());
	}
	const timestamp = parts.get('timestamp') ?? '';
	const signature = parts.get('signature') ?? '';
	if (!/^\d{1,12}$/.test(timestamp) || !/^[0-9a-f]{64}$/i.test(signature)) return null;
	return { timestamp, signature: signature.toLowerCase() };
}

/** Whether a header was sent at all, once or repeated (`header` reads a repeated one as missing). */
const sent = (headers: Headers, name: string) =>
	Object.entries(headers).some(([key, value]) => value !== undefined && key.toLowerCase() === name.toLowerCase());

/**
 * Buildkite sends one of two proofs, as its webhook is set up. The signature wins whenever its
 * header is there: it must hold on its own (a malformed, stale or wrong one is refused, never
 * passed over for the token), since only it proves the body and the send time.
 */
export function verifyBuildkite(input: VerificationInput): Verification {
	const secrets = credentialSecrets(input.secrets, 'text');
	if ('ok' in secrets) return secrets;
	if (sent(input.headers, BUILDKITE_SIGNATURE_HEADER)) {
		const value = header(input.headers, BUILDKITE_SIGNATURE_HEADER);
		if (value === undefined) return refuse(`header ${BUILDKITE_SIGNATURE_HEADER} is repeated`);
		const parsed = parseBuildkiteSignature(value);
		if (!parsed) return refuse(`header ${BUILDKITE_SIGNATURE_HEADER} is not timestamp=<epoch seconds>,signature=<hex>`);
		const fresh = checkFreshness(Number(parsed.timestamp) * 1000, input, `the timestamp in header ${BUILDKITE_SIGNATURE_HEADER}`);
		if (!fresh.ok) return fresh;
		// Signed as sent: the timestamp's text, a dot, the raw body.
		const expected = secrets.texts.map((secret) => createHmac('sha256', secret).update(`${parsed.timestamp}.`).update(input.rawBody).digest('hex'));
		if (!matchesAny(parsed.signature, expected)) return mismatch(`signature in header ${BUILDKITE_SIGNATURE_HEADER} does not match the body`);
		return { ok: true };
	}
	const token = header(input.headers, BUILDKITE_TOKEN_HEADER);
	if (token === undefined) {
		return refuse(
			sent(input.headers, BUILDKITE_TOKEN_HEADER)
				? `header ${BUILDKITE_TOKEN_HEADER} is repeated`
				: `missing header ${BUILDKITE_SIGNATURE_HEADER} or ${BUILDKITE_TOKEN_HEADER}`,
		);
	}
	if (!matchesAnyExpected(token, secrets.expectedTexts)) return mismatch(`wrong token in header ${BUILDKITE_TOKEN_HEADER}`);
	return { ok: true };
}

const BUILD_RUNNING = 'build.running';
const BUILD_FINISHED = 'build.finished';

const buildSchema = z.object({
	id: nullableId,
	web_url: nullableText,
	number: nullableId,
	state: nullableText,
	blocked: z.boolean().nullable().optional(),
	message: nullableText,
	commit: nullableText,
	branch: nullableText,
	creator: z.object({ name: nullableText }).nullable().optional(),
	started_at: isoTime,
	finished_at: isoTime,
});

/**
 * Every Buildkite delivery names its event in the body (`event`, signed with it, unlike the
 * X-Buildkite-Event header); only the build events this trigger maps need a build.
 */
export const buildkitePayloadSchema = z
	.object({
		event: z.string(),
		build: buildSchema.optional(),
		pipeline: z.object({ id: nullableId, name: nullableText, slug: nullableText, repository: nullableText }).nullable().optional(),
	})
	.superRefine((payload, context) => {
		if ((payload.event === BUILD_RUNNING || payload.event === BUILD_FINISHED) && payload.build === undefined) {
			context.addIssue({ code: 'custom', path: ['build'], message: 'Required' });
		}
	});
export type BuildkitePayload = z.infer<typeof buildkitePayloadSchema>;

/**
 * `build.finished` state → run event and status. Every other state Buildkite documents is
 * ignored: `creating`, `scheduled`, `running`, `waiting` have not finished; `failing`,
 * `canceling`, `waiting_failed` are on their way to a state a later delivery brings; `blocked`
 * (and `passed` with `blocked: true`) waits at a block step and finishes once unblocked;
 * `skipped` and `not_run` ran nothing. Buildkite has no timeout state for a build.
 */
export const BUILDKITE_FINISHED_STATES: Record<string, { event: RunEvent; status: RunStatus }> = {
	passed: { event: 'RUN_FINISH', status: 'passed' },
	failed: { event: 'RUN_FINISH', status: 'failed' },
	canceled: { event: 'RUN_CANCELED', status: 'canceled' },
};

const shown = (value: string | null) => JSON.stringify(value?.slice(0, 60) ?? null);

function mappingOf(payload: BuildkitePayload, build: NonNullable<BuildkitePayload['build']>): { event: RunEvent; status: RunStatus } | Ignored {
	if (payload.event === BUILD_RUNNING) return { event: 'RUN_START', status: 'running' };
	if (build.blocked === true && build.state !== 'failed')
		return { ignored: 'build.finished of a blocked build (waiting at a block step): it finishes once unblocked' };
	const state = build.state ?? '';
	return Object.prototype.hasOwnProperty.call(BUILDKITE_FINISHED_STATES, state)
		? BUILDKITE_FINISHED_STATES[state]
		: { ignored: `build.finished state ${shown(build.state)} is not one this trigger maps` };
}

export function normalizeBuildkite(payload: BuildkitePayload): Normalized | Ignored {
	const build = payload.build;
	if ((payload.event !== BUILD_RUNNING && payload.event !== BUILD_FINISHED) || build === undefined) {
		return { ignored: `Buildkite event ${shown(payload.event)} is not a run event` };
	}
	const mapped = mappingOf(payload, build);
	if ('ignored' in mapped) return mapped;
	const pipeline = payload.pipeline ?? null;
	const pipelineName = pipeline?.name ?? pipeline?.slug ?? null;
	const endedAt = mapped.event === 'RUN_START' ? null : build.finished_at;
	return {
		event: mapped.event,
		run: {
			id: build.id,
			name: pipelineName && build.number ? `${pipelineName} #${build.number}` : pipelineName,
			url: build.web_url,
			status: mapped.status,
			startedAt: build.started_at,
			endedAt,
			durationMs: durationBetween(build.started_at, endedAt),
			app: pipeline ? { id: pipeline.id, name: pipelineName, platform: null } : null,
			// Buildkite's build names who started it (creator), not the commit's author.
			git: { sha: build.commit, branch: build.branch, author: build.creator?.name ?? null, message: build.message, remote: pipeline?.repository ?? null },
			tags: [],
			// Build events count no tests and list no failed jobs (those are job.finished events).
			totals: UNCOUNTED,
			failures: [],
		},
	};
}

export const buildkite = defineSource({
	value: 'buildkite',
	displayName: 'Buildkite',
	group: 'CI platforms',
	summary: 'Buildkite pipeline webhooks: X-Buildkite-Signature or X-Buildkite-Token',
	docs: {
		platform: 'pipeline webhooks: `build.running`, and `build.finished` (passed, failed, canceled); other events and pings are ignored',
		proves:
			'`X-Buildkite-Signature: timestamp=<s>,signature=<hex HMAC-SHA256 of "<timestamp>.<raw body>">` with the timestamp within the tolerance; or `X-Buildkite-Token` equal to the secret. When both come, the signature decides',
		cannotProve:
			'With the token (X-Buildkite-Token) nothing is signed and no time is sent: a replay cannot be refused by its age, only by the deduplication memory. Choose the signature in Buildkite, or attach the Redis credential and raise the Deduplication Window (e.g. 86400 s). Buildkite sends no delivery id, and counts no tests in build events.',
		deliveryId: 'a hash of the body',
		setup:
			'In Buildkite, Organization Settings → Notification Services → Add Webhook: paste the Production URL, the secret as the Token (sent as a signature), and the events build.running and build.finished.',
	},
	verify: (input) => verifyBuildkite(input),
	schema: buildkitePayloadSchema,
	normalize: normalizeBuildkite,
});
