import { RetryMemory } from '../../../lib/dispatch';

// lib/dispatch/retryMemory.ts: what a run delivered is recalled for an hour by default, to the millisecond.
const HOUR = 60 * 60 * 1000;

describe('RetryMemory', () => {
	let t = 0;
	const memory = () => new RetryMemory<string>(undefined, undefined, () => t);
	beforeEach(() => {
		t = 1_000_000;
	});

	it('by default a run is recalled until one hour after it was kept, and not after', () => {
		const kept = new Map([['item-0', 'sent']]);
		const runs = memory();
		runs.keep('run-1', kept);
		t += HOUR;
		expect(runs.recall('run-1')).toBe(kept);
		t += 1;
		expect(runs.recall('run-1')).toBeUndefined();
		expect(runs.size).toBe(0);
	});

	it('keeping another run evicts only runs older than the time to live, not one exactly that old', () => {
		const runs = memory();
		runs.keep('run-1', new Map());
		t += HOUR;
		runs.keep('run-2', new Map());
		expect(runs.size).toBe(2);
		t += 1;
		runs.keep('run-3', new Map());
		expect(runs.size).toBe(2);
		expect(runs.recall('run-1')).toBeUndefined();
	});

	it('past maxRuns the oldest go first', () => {
		const runs = new RetryMemory<string>(HOUR, 2, () => t);
		for (const key of ['a', 'b', 'c']) runs.keep(key, new Map([[key, key]]));
		expect(runs.recall('a')).toBeUndefined();
		expect(runs.recall('b')?.get('b')).toBe('b');
		expect(runs.recall('c')?.get('c')).toBe('c');
	});

	it('forget removes a run', () => {
		const runs = memory();
		runs.keep('run-1', new Map());
		runs.forget('run-1');
		expect(runs.recall('run-1')).toBeUndefined();
	});
});
