import { randomBytes } from 'node:crypto';
import type { RunEvent } from './contract';

/** A Currents run event as the platform sends it: the body of a webhook delivery. */
export interface CurrentsRunEvent {
	event: RunEvent;
	runUrl: string;
	buildId: string;
	groupId?: string;
	tags: string[];
	commit: {
		sha: string | null;
		branch: string | null;
		authorName: string | null;
		authorEmail: string | null;
		message: string | null;
		remoteOrigin: string | null;
		defaultBranch: string | null;
	};
	overall: number;
	passes: number;
	failures: number;
	pending: number;
	skipped: number;
	retries: number;
	flaky: number;
}

const COUNTS: Record<RunEvent, Pick<CurrentsRunEvent, 'overall' | 'passes' | 'failures' | 'pending' | 'skipped' | 'retries' | 'flaky'>> = {
	RUN_START: { overall: 42, passes: 0, failures: 0, pending: 42, skipped: 0, retries: 0, flaky: 0 },
	RUN_FINISH: { overall: 42, passes: 38, failures: 2, pending: 1, skipped: 1, retries: 3, flaky: 1 },
	RUN_TIMEOUT: { overall: 42, passes: 20, failures: 0, pending: 22, skipped: 0, retries: 0, flaky: 0 },
	RUN_CANCELED: { overall: 42, passes: 12, failures: 1, pending: 29, skipped: 0, retries: 0, flaky: 0 },
};

/**
 * A realistic sample of one event, for "send a test" and for demos. Its run id, build id and
 * commit are new every time: a receiver that deduplicates (ours does, by the body) must see
 * each test as a new delivery, not answer the second one "duplicate".
 */
export function sampleRunEvent(event: RunEvent, now: Date = new Date()): CurrentsRunEvent {
	return {
		event,
		runUrl: `https://app.currents.dev/run/${randomBytes(8).toString('hex')}`,
		buildId: `sample-build-${now.toISOString()}`,
		groupId: 'chromium',
		tags: ['sample', 'nightly'],
		commit: {
			sha: randomBytes(20).toString('hex'),
			branch: 'main',
			authorName: 'Sample Author',
			authorEmail: 'author@example.com',
			message: 'Sample commit: checkout flow',
			remoteOrigin: 'https://github.com/example/shop',
			defaultBranch: 'main',
		},
		...COUNTS[event],
	};
}
