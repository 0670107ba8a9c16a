import type { RunEvent } from '../currents/contract';
import type { RunStatus } from '../normalize/item';
import type { Ignored } from './types';

/** The run event a platform's state starts, with the run's status. */
export interface RunMapping {
	event: RunEvent;
	status: RunStatus;
}

/** The five outcomes a platform's states map to; a source's table names its states for them. */
export const RUN = {
	started: { event: 'RUN_START', status: 'running' },
	passed: { event: 'RUN_FINISH', status: 'passed' },
	failed: { event: 'RUN_FINISH', status: 'failed' },
	timedOut: { event: 'RUN_TIMEOUT', status: 'timedOut' },
	canceled: { event: 'RUN_CANCELED', status: 'canceled' },
} as const satisfies Record<string, RunMapping>;

/** Long enough for any state or event name a platform sends; a longer value is cut where it is quoted back. */
const SHOWN_CHARACTERS = 60;

/** A value a delivery sent, quoted for an answer: JSON-escaped and cut short. */
export const quoted = (value: string | null): string => JSON.stringify(value === null ? null : value.slice(0, SHOWN_CHARACTERS));

/** The mapping of a state in a source's table, or ignored naming it (an unknown or unmapped state starts nothing). */
export function mapState(table: Readonly<Record<string, RunMapping>>, state: string | null, what: string): RunMapping | Ignored {
	// Own keys only: a state named "constructor" or "__proto__" is unknown, not Object's.
	if (state !== null && Object.prototype.hasOwnProperty.call(table, state)) return table[state];
	return { ignored: `${what} ${quoted(state)} is not one this trigger maps` };
}
