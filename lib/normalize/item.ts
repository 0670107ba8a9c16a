import type { RunEvent } from '../currents/contract';
import type { Source } from '../sources';

export type RunStatus = 'running' | 'passed' | 'failed' | 'timedOut' | 'canceled';

/** The one item shape every source is normalized into (SPEC: "Test Run Trigger"). */
export interface RunEventItem {
	event: RunEvent;
	source: Source;
	deliveryId: string;
	receivedAt: string;
	run: {
		id: string | null;
		name: string | null;
		url: string | null;
		status: RunStatus;
		startedAt: string | null;
		endedAt: string | null;
		durationMs: number | null;
		app: { id: string | null; name: string | null; platform: string | null } | null;
		git: { sha: string | null; branch: string | null; author: string | null; message: string | null; remote: string | null } | null;
		tags: string[];
		/** null where the platform does not count (CI platforms count jobs, not tests). */
		totals: {
			tests: number | null;
			passed: number | null;
			failed: number | null;
			skipped: number | null;
			pending: number | null;
			flaky: number | null;
			retries: number | null;
		};
		failures: Array<{ name: string | null; url: string | null; reason: string | null }>;
	};
	raw?: unknown;
}

export type NormalizedRun = RunEventItem['run'];
export type Normalized = { event: RunEvent; run: NormalizedRun };

/** The largest epoch milliseconds a Date holds (±100,000,000 days): beyond it toISOString throws. */
const MAX_DATE_MS = 8.64e15;

export function isoFromEpochMs(value: number | null | undefined): string | null {
	return typeof value === 'number' && Math.abs(value) <= MAX_DATE_MS ? new Date(value).toISOString() : null;
}

/** An ISO 8601 date and time; group 1 is its zone designator, when it has one. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * An ISO 8601 date and time as a UTC ISO string, or null. Without a zone designator it is
 * read as UTC: JavaScript would read it in the machine's zone, so the answer would depend on TZ.
 */
export function isoFromText(value: string | null | undefined): string | null {
	const match = ISO_DATE_TIME.exec(value ?? '');
	if (!match) return null;
	const time = Date.parse(match[1] ? value! : `${value}Z`);
	return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** Every count unknown: for platforms that count no tests. */
export const UNCOUNTED: NormalizedRun['totals'] = { tests: null, passed: null, failed: null, skipped: null, pending: null, flaky: null, retries: null };

/** The milliseconds from start to end; null when either is unknown or the end comes first (no duration at all). */
export function durationBetween(startedAt: string | null, endedAt: string | null): number | null {
	if (!startedAt || !endedAt) return null;
	const duration = Date.parse(endedAt) - Date.parse(startedAt);
	return duration >= 0 ? duration : null;
}
