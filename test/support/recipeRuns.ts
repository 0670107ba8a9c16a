/** Runs to feed the recipes: the normalized item a Standard Webhooks sender may post. */

export interface RunShape {
	status: 'passed' | 'failed' | 'timedOut';
	failures: number;
	branch?: string | null;
	/** Long names, reasons and links, to push every size limit. */
	long?: boolean;
}

/** Failure names carry quotes and a mention; reasons carry a newline: all must survive escaping. */
export function failuresOf(count: number, long = false) {
	return Array.from({ length: count }, (_, i) => {
		const n = String(i + 1).padStart(3, '0');
		return {
			name: `checkout › "Pay now" @everyone case ${n}${long ? ` ${'with a very long parametrised title '.repeat(10)}` : ''}`,
			url: i % 7 === 3 ? null : `https://dashboard.example.com/run/8a5f0b3e/test/${n}${long ? `?${'trace=on&'.repeat(20)}` : ''}`,
			reason:
				i % 5 === 4
					? null
					: `expected "Pay now" to be visible\nat checkout.spec.ts:${40 + i}${long ? ` ${'AssertionError: timed out waiting for the element. '.repeat(40)}` : ''}`,
		};
	});
}

/** A name as the template's Truncate cut it, without the "..." it ends in: a prefix of the original. */
export const withoutEllipsis = (shown: string) => shown.replace(/\.\.\.$/, '');

export function runPayload({ status, failures, branch = 'main', long = false }: RunShape) {
	const tests = 120 + failures;
	const list = failuresOf(failures, long);
	return {
		event: status === 'timedOut' ? 'RUN_TIMEOUT' : 'RUN_FINISH',
		run: {
			id: '8a5f0b3e2d1c4b7a',
			name: `nightly-${status}-${failures}`,
			url: 'https://dashboard.example.com/run/8a5f0b3e2d1c4b7a',
			status,
			startedAt: '2026-11-30T19:00:00.000Z',
			endedAt: '2026-11-30T19:12:34.000Z',
			durationMs: 754000,
			app: { id: 'com.example.shop', name: 'Shop', platform: 'android' },
			git:
				branch === null
					? null
					: {
							sha: '4f9d2c1b7e8a6f5d3c2b1a0e9f8d7c6b5a4f3e2d',
							branch,
							author: 'Ada Lovelace',
							message: 'Checkout: "Pay now" button',
							remote: 'https://github.com/acme/shop',
						},
			tags: ['nightly'],
			totals: { tests, passed: tests - failures, failed: failures, skipped: 0, pending: 0, flaky: 1, retries: 2 },
			failures: list,
		},
	};
}

/** The item the trigger starts the workflow with, for rendering a recipe without n8n. */
export function runItem(shape: RunShape) {
	return { ...runPayload(shape), source: 'standardWebhooks', deliveryId: 'msg_unit0001', receivedAt: '2026-11-30T19:12:35.000Z', raw: {} };
}

/**
 * A run as a CI platform's source normalizes it (SPEC "More sources": GitLab, CircleCI,
 * Buildkite, signedWebhook): no test counts (every total null), the failed jobs listed where
 * the platform lists them, and as little else as a generic signed webhook may know.
 */
export function uncountedRun({
	source,
	status,
	failedJobs = 0,
	bare = false,
}: {
	source: string;
	status: 'passed' | 'failed' | 'timedOut';
	failedJobs?: number;
	bare?: boolean;
}) {
	const id = '48211';
	return {
		event: status === 'timedOut' ? 'RUN_TIMEOUT' : 'RUN_FINISH',
		source,
		deliveryId: `${source}:0f1e2d3c`,
		receivedAt: '2026-11-30T19:12:35.000Z',
		run: {
			id: bare ? null : id,
			name: bare ? null : `acme/shop pipeline #${id}`,
			url: bare ? null : `https://ci.example.com/acme/shop/-/pipelines/${id}`,
			status,
			startedAt: bare ? null : '2026-11-30T19:00:00.000Z',
			endedAt: bare ? null : '2026-11-30T19:08:20.000Z',
			durationMs: bare ? null : 500000,
			app: bare ? null : { id: '1337', name: 'acme/shop', platform: null },
			git: bare
				? null
				: {
						sha: '4f9d2c1b7e8a6f5d3c2b1a0e9f8d7c6b5a4f3e2d',
						branch: 'main',
						author: 'Ada Lovelace',
						message: 'Checkout: "Pay now" button',
						remote: 'https://ci.example.com/acme/shop',
					},
			tags: [],
			totals: { tests: null, passed: null, failed: null, skipped: null, pending: null, flaky: null, retries: null },
			failures: Array.from({ length: failedJobs }, (_, i) => ({
				name: `test: rspec ${i + 1}/${failedJobs}`,
				url: `https://ci.example.com/acme/shop/-/jobs/${9000 + i}`,
				reason: i % 2 === 0 ? 'script_failure' : 'job_execution_timeout',
			})),
		},
	};
}
