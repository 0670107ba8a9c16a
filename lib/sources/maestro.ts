import { z } from 'zod';
import { nullableText } from '../normalize/fields';
import { durationBetween, isoFromEpochMs, type Normalized, type RunStatus } from '../normalize/item';
import { verifyBearer } from '../verify';
import { defineSource } from './types';

const epochMs = z.number().nullable().optional();

export const maestroPayloadSchema = z.object({
	id: z.string(),
	name: nullableText,
	url: nullableText,
	platform: nullableText,
	appId: nullableText,
	githubBranch: nullableText,
	envVariables: z.record(z.unknown()).nullable().optional(),
	startTime: epochMs,
	endTime: epochMs,
	flows: z.array(
		z.object({
			id: nullableText,
			name: nullableText,
			url: nullableText,
			status: z.string(),
			failureReason: nullableText,
			startTime: epochMs,
			endTime: epochMs,
			tags: z.array(z.string()).nullable().optional(),
		}),
	),
});
export type MaestroPayload = z.infer<typeof maestroPayloadSchema>;

/** Flow statuses by outcome; the CLI knows these, the webhook sends SUCCESS and FAILURE. */
const FAILED = new Set(['FAILURE', 'ERROR']);
const PASSED = new Set(['SUCCESS', 'WARNING']);
const SKIPPED = new Set(['CANCELED', 'STOPPED']);
const IN_PROGRESS = new Set(['PENDING', 'PREPARING', 'INSTALLING', 'RUNNING']);

function statusOf(statuses: string[]): RunStatus {
	if (statuses.some((status) => FAILED.has(status))) return 'failed';
	if (statuses.some((status) => IN_PROGRESS.has(status))) return 'running';
	if (statuses.length > 0 && statuses.every((status) => SKIPPED.has(status))) return 'canceled';
	return 'passed';
}

export function normalizeMaestro(payload: MaestroPayload): Normalized {
	const statuses = payload.flows.map((flow) => flow.status.toUpperCase());
	const countOf = (set: Set<string>) => statuses.filter((status) => set.has(status)).length;
	const startedAt = isoFromEpochMs(payload.startTime);
	const endedAt = isoFromEpochMs(payload.endTime);
	const tags = [...new Set(payload.flows.flatMap((flow) => flow.tags ?? []))];
	return {
		event: 'RUN_FINISH',
		run: {
			id: payload.id,
			name: payload.name,
			url: payload.url,
			status: statusOf(statuses),
			startedAt,
			endedAt,
			durationMs: durationBetween(startedAt, endedAt),
			app: { id: payload.appId, name: null, platform: payload.platform?.toLowerCase() ?? null },
			git: payload.githubBranch ? { sha: null, branch: payload.githubBranch, author: null, message: null, remote: null } : null,
			tags,
			totals: {
				tests: statuses.length,
				passed: countOf(PASSED),
				failed: countOf(FAILED),
				skipped: countOf(SKIPPED),
				pending: countOf(IN_PROGRESS),
				flaky: 0,
				retries: 0,
			},
			failures: payload.flows
				.filter((flow) => FAILED.has(flow.status.toUpperCase()))
				.map((flow) => ({ name: flow.name, url: flow.url, reason: flow.failureReason })),
		},
	};
}

export const maestro = defineSource({
	value: 'maestro',
	displayName: 'Maestro Cloud',
	group: 'Test platforms',
	summary: 'Maestro Cloud upload results: a bearer token',
	docs: {
		platform: 'upload results (mobile UI tests), as RUN_FINISH',
		proves: '`Authorization: Bearer <project webhook token>`',
		cannotProve: 'Nothing is signed and no send time is sent: the body and its age are unproven; a replay is caught only by the deduplication memory.',
		deliveryId: 'a hash of the body',
		setup: "In the Maestro Cloud project's webhook settings, paste the Production URL; the project webhook token goes in the credential's Secret.",
	},
	verify: (input) => verifyBearer(input),
	schema: maestroPayloadSchema,
	normalize: normalizeMaestro,
});
