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

/** A realistic sample of one event, for "send a test" and for demos. */
export function sampleRunEvent(event: RunEvent): CurrentsRunEvent {
	return {
		event,
		runUrl: 'https://app.currents.dev/run/8a5f0b3e2d1c4b7a',
		buildId: 'sample-build-2026-11-24T12:00:00Z',
		groupId: 'chromium',
		tags: ['sample', 'nightly'],
		commit: {
			sha: '4f9d2c1b7e8a6f5d3c2b1a0e9f8d7c6b5a4f3e2d',
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
