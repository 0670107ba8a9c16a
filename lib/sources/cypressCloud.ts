import { z } from 'zod';
import { isoTime, nullableCount, nullableId, nullableText } from '../normalize/fields';
import { durationBetween, type Normalized } from '../normalize/item';
import { verifyHexSignature } from '../verify';
import { screenByEventHeader } from './eventHeader';
import { mapState, RUN } from './mapping';
import { defineSource, type Ignored } from './types';

export const cypressCloudPayloadSchema = z.object({
	status: z.string(),
	runNumber: nullableId,
	runUrl: nullableText,
	projectId: nullableId,
	projectName: nullableText,
	createdAt: isoTime,
	completedAt: isoTime,
	totalDuration: nullableCount,
	totalTests: nullableCount,
	totalPassed: nullableCount,
	totalFailed: nullableCount,
	totalPending: nullableCount,
	totalSkipped: nullableCount,
	flakyTestCount: nullableCount,
	commitSha: nullableText,
	commitBranch: nullableText,
	commitMessage: nullableText,
	commitAuthorName: nullableText,
	tags: z.array(z.string()).nullable().optional(),
});
export type CypressCloudPayload = z.infer<typeof cypressCloudPayloadSchema>;

/** `run.completed` status → run event and status (every value Cypress Cloud documents). */
export const CYPRESS_STATUSES = { passed: RUN.passed, failed: RUN.failed, errored: RUN.failed, timedOut: RUN.timedOut, cancelled: RUN.canceled };

export function normalizeCypressCloud(payload: CypressCloudPayload): Normalized | Ignored {
	const mapped = mapState(CYPRESS_STATUSES, payload.status, 'run.completed status');
	if ('ignored' in mapped) return mapped;
	const git = [payload.commitSha, payload.commitBranch, payload.commitAuthorName, payload.commitMessage].some((value) => value !== null)
		? { sha: payload.commitSha, branch: payload.commitBranch, author: payload.commitAuthorName, message: payload.commitMessage, remote: null }
		: null;
	const name = [payload.projectName, payload.runNumber && `#${payload.runNumber}`].filter(Boolean).join(' ');
	return {
		event: mapped.event,
		run: {
			id: payload.runNumber,
			name: name || null,
			url: payload.runUrl,
			status: mapped.status,
			startedAt: payload.createdAt,
			endedAt: payload.completedAt,
			durationMs: payload.totalDuration ?? durationBetween(payload.createdAt, payload.completedAt),
			app: { id: payload.projectId, name: payload.projectName, platform: null },
			git,
			tags: payload.tags ?? [],
			totals: {
				tests: payload.totalTests,
				passed: payload.totalPassed,
				failed: payload.totalFailed,
				skipped: payload.totalSkipped,
				pending: payload.totalPending,
				flaky: payload.flakyTestCount,
				retries: null,
			},
			// run.completed lists no failed tests; they are on the run's page.
			failures: [],
		},
	};
}

export const cypressCloud = defineSource({
	value: 'cypressCloud',
	displayName: 'Cypress Cloud',
	group: 'Test platforms',
	summary: 'Cypress Cloud run.completed: X-Cypress-Signature over the timestamp and body',
	docs: {
		platform: '`run.completed` webhooks: passed, failed, errored, timedOut, cancelled',
		proves: '`X-Cypress-Signature: sha256=<hex HMAC-SHA256 of "<X-Cypress-Timestamp>.<raw body>">`, the timestamp (seconds) within the tolerance',
		cannotProve:
			'A Send test delivery of run.completed carries sample data and starts a run like a real one (nothing marks it); other test events and the accessibility and UI coverage events are acknowledged and ignored.',
		deliveryId: '`X-Cypress-Event-Id` (same on retries and redeliveries)',
		setup:
			'In Cypress Cloud, Project → Settings → General → Webhooks → Add webhook: paste the Production URL, choose run.completed, and put the secret (16+ characters) in the credential.',
	},
	verify: (input) => verifyHexSignature(input, 'X-Cypress-Signature', 'X-Cypress-Timestamp'),
	screen: screenByEventHeader('X-Cypress-Event', ['run.completed']),
	schema: cypressCloudPayloadSchema,
	normalize: normalizeCypressCloud,
	deliveryId: { header: 'X-Cypress-Event-Id' },
});
