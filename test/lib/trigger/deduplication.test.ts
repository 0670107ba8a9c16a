import { InProcessDeliveryMemory } from '../../../lib/trigger';

const T0 = 1_764_000_000_000;

describe('InProcessDeliveryMemory', () => {
	it('remembers a key for its window and forgets it when the window has passed', async () => {
		const memory = new InProcessDeliveryMemory();
		expect(await memory.firstSeen('a', 1000, T0)).toBe(true);
		expect(await memory.firstSeen('a', 1000, T0 + 999)).toBe(false);
		expect(await memory.firstSeen('a', 1000, T0 + 1000)).toBe(true);
		expect(await memory.firstSeen('a', 1000, T0 + 1999)).toBe(false);
	});

	it('a window of 0 remembers nothing', async () => {
		const memory = new InProcessDeliveryMemory();
		expect(await memory.firstSeen('a', 0, T0)).toBe(true);
		expect(await memory.firstSeen('a', 0, T0)).toBe(true);
	});

	it('when full of live entries, forgets the one remembered longest ago, and only that one', async () => {
		const memory = new InProcessDeliveryMemory(3);
		for (const [index, key] of ['a', 'b', 'c'].entries()) await memory.firstSeen(key, 60_000, T0 + index);
		expect(await memory.firstSeen('d', 60_000, T0 + 3)).toBe(true);
		expect(await memory.firstSeen('b', 60_000, T0 + 4)).toBe(false);
		expect(await memory.firstSeen('c', 60_000, T0 + 4)).toBe(false);
		expect(await memory.firstSeen('d', 60_000, T0 + 4)).toBe(false);
		expect(await memory.firstSeen('a', 60_000, T0 + 4)).toBe(true);
	});

	it('across windows of different lengths, the oldest entry is forgotten first', async () => {
		const memory = new InProcessDeliveryMemory(2);
		await memory.firstSeen('long-lived', 600_000, T0);
		await memory.firstSeen('short-lived', 60_000, T0 + 1);
		await memory.firstSeen('new', 60_000, T0 + 2);
		expect(await memory.firstSeen('short-lived', 60_000, T0 + 3)).toBe(false);
		expect(await memory.firstSeen('long-lived', 600_000, T0 + 3)).toBe(true);
	});

	it('expired entries make room before anything live is forgotten', async () => {
		const memory = new InProcessDeliveryMemory(2);
		await memory.firstSeen('expires', 10, T0);
		await memory.firstSeen('lives', 60_000, T0);
		await memory.firstSeen('new', 60_000, T0 + 10);
		expect(await memory.firstSeen('lives', 60_000, T0 + 11)).toBe(false);
		expect(await memory.firstSeen('new', 60_000, T0 + 11)).toBe(false);
	});

	it('an entry whose window ends exactly now makes room before a live one is forgotten', async () => {
		const memory = new InProcessDeliveryMemory(2);
		await memory.firstSeen('lives', 60_000, T0);
		await memory.firstSeen('expires', 10, T0 + 1);
		expect(await memory.firstSeen('new', 60_000, T0 + 11)).toBe(true);
		expect(await memory.firstSeen('lives', 60_000, T0 + 12)).toBe(false);
	});

	it('when full, finds the oldest entry in whichever window queue holds it', async () => {
		const memory = new InProcessDeliveryMemory(3);
		await memory.firstSeen('a1', 60_000, T0);
		await memory.firstSeen('b', 600_000, T0 + 1);
		await memory.firstSeen('a2', 60_000, T0 + 2);
		await memory.firstSeen('c', 60_000, T0 + 3); // forgets a1
		await memory.firstSeen('d', 60_000, T0 + 4); // forgets b, now the oldest, though its queue comes second
		expect(await memory.firstSeen('a2', 60_000, T0 + 5)).toBe(false);
		expect(await memory.firstSeen('b', 600_000, T0 + 5)).toBe(true);
	});

	it('of entries remembered at the same moment, the one remembered first is forgotten first', async () => {
		const memory = new InProcessDeliveryMemory(2);
		await memory.firstSeen('first', 60_000, T0);
		await memory.firstSeen('second', 600_000, T0);
		await memory.firstSeen('new', 60_000, T0 + 1);
		expect(await memory.firstSeen('second', 600_000, T0 + 2)).toBe(false);
		expect(await memory.firstSeen('first', 60_000, T0 + 2)).toBe(true);
	});

	it('at exactly its expiry, a key stuck behind a live entry (the clock went back) is new again', async () => {
		const memory = new InProcessDeliveryMemory();
		await memory.firstSeen('late', 1000, T0 + 5000);
		await memory.firstSeen('early', 1000, T0);
		expect(await memory.firstSeen('early', 1000, T0 + 999)).toBe(false);
		expect(await memory.firstSeen('early', 1000, T0 + 1000)).toBe(true);
	});

	it('finds a key remembered under the window length a trigger had before', async () => {
		const memory = new InProcessDeliveryMemory();
		await memory.firstSeen('a', 600_000, T0);
		expect(await memory.firstSeen('a', 60_000, T0 + 120_000)).toBe(false);
	});

	it('stays correct when the clock goes back: an expired key behind a live one is new again, and kept in order', async () => {
		const memory = new InProcessDeliveryMemory(2);
		await memory.firstSeen('late', 1000, T0 + 5000);
		await memory.firstSeen('early', 1000, T0);
		expect(await memory.firstSeen('early', 1000, T0 + 1500)).toBe(true);
		// 'early' was re-added at the end: when full, 'late' (remembered before it) goes first.
		expect(await memory.firstSeen('other', 1000, T0 + 1600)).toBe(true);
		expect(await memory.firstSeen('early', 1000, T0 + 1700)).toBe(false);
	});

	it('keeps its size bounded: 200k distinct keys leave at most maxEntries remembered', async () => {
		const memory = new InProcessDeliveryMemory(1000);
		for (let i = 0; i < 200_000; i++) await memory.firstSeen(`k${i}`, 3_600_000, T0 + i);
		const remembered = (memory as unknown as { expiries: Map<string, number> }).expiries;
		expect(remembered.size).toBe(1000);
		expect(remembered.has('k199000')).toBe(true);
		expect(await memory.firstSeen('k199999', 3_600_000, T0 + 200_000)).toBe(false);
		expect(await memory.firstSeen('k198999', 3_600_000, T0 + 200_000)).toBe(true);
	});

	it('drops a window length once nothing under it is remembered', async () => {
		const memory = new InProcessDeliveryMemory();
		await memory.firstSeen('a', 10, T0);
		await memory.firstSeen('b', 20, T0 + 100);
		expect([...(memory as unknown as { queues: Map<number, unknown> }).queues.keys()]).toEqual([20]);
	});
});
