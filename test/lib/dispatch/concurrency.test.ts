import { mapWithConcurrency } from '../../../lib/dispatch';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('mapWithConcurrency', () => {
	it('keeps input order with at most `limit` in flight', async () => {
		let inFlight = 0;
		let peak = 0;
		const results = await mapWithConcurrency([30, 10, 20, 0, 5], 2, async (delay, index) => {
			peak = Math.max(peak, ++inFlight);
			await new Promise((resolve) => setTimeout(resolve, delay));
			inFlight--;
			return index * 10;
		});
		expect(results).toEqual([0, 10, 20, 30, 40]);
		expect(peak).toBe(2);
	});

	it('runs one at a time with a limit below 1, and handles no items', async () => {
		const order: number[] = [];
		await mapWithConcurrency([1, 2, 3], 0, async (n) => void order.push(n));
		expect(order).toEqual([1, 2, 3]);
		expect(await mapWithConcurrency([], 4, async () => 1)).toEqual([]);
	});

	it('when one item fails: items in flight settle before it throws, and no further item starts', async () => {
		const started: number[] = [];
		const finished: number[] = [];
		const releases: Array<() => void> = [];
		const run = mapWithConcurrency([0, 1, 2, 3, 4, 5], 3, async (n) => {
			started.push(n);
			if (n === 1) throw new Error('item 1 cannot be prepared');
			await new Promise<void>((resolve) => releases.push(resolve));
			finished.push(n);
			return n;
		});
		let settled = false;
		run.catch(() => undefined).finally(() => (settled = true));
		await tick();
		// Items 0 and 2 are still in flight: the map has not given up on them.
		expect(started).toEqual([0, 1, 2]);
		expect(settled).toBe(false);
		releases.forEach((release) => release());
		await expect(run).rejects.toThrow('item 1 cannot be prepared');
		expect(finished).toEqual([0, 2]);
		expect(started).toEqual([0, 1, 2]);
	});
});
