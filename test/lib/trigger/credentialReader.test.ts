import { CoalescedCredentialReader } from '../../../lib/trigger';

/** A credential store whose reads the test releases one by one. */
function controlledStore(initial: string[]) {
	let current = initial;
	const pending: Array<() => void> = [];
	let reads = 0;
	return {
		set(secrets: string[]) {
			current = secrets;
		},
		get reads() {
			return reads;
		},
		/** Reads what is stored when the read starts, answering when released. */
		read: async (): Promise<string[]> => {
			reads++;
			const seen = current;
			await new Promise<void>((release) => pending.push(release));
			return seen;
		},
		releaseAll: async () => {
			while (pending.length) {
				pending.shift()!();
				await new Promise((tick) => setImmediate(tick));
			}
		},
	};
}

const settle = async <T>(promise: Promise<T>, store: { releaseAll(): Promise<void> }): Promise<T> => {
	const result = promise;
	await store.releaseAll();
	await store.releaseAll();
	return await result;
};

describe('CoalescedCredentialReader', () => {
	it('reads again for a request that arrives after the previous read ended: an edit takes effect at once', async () => {
		const reader = new CoalescedCredentialReader({ prepare: (secrets) => secrets });
		const store = controlledStore(['old-secret-0000000000']);
		expect(await settle(reader.get('t', store.read), store)).toEqual(['old-secret-0000000000']);
		store.set(['new-secret-0000000000']);
		expect(await settle(reader.get('t', store.read), store)).toEqual(['new-secret-0000000000']);
		expect(store.reads).toBe(2);
	});

	it('never answers a request with a read that started before it arrived', async () => {
		const reader = new CoalescedCredentialReader({ prepare: (secrets) => secrets });
		const store = controlledStore(['old-secret-0000000000']);
		const early = reader.get('t', store.read);
		// The credential is saved while that read is in flight; then a request arrives.
		store.set(['new-secret-0000000000']);
		const late = reader.get('t', store.read);
		await store.releaseAll();
		await store.releaseAll();
		expect(await early).toEqual(['old-secret-0000000000']);
		expect(await late).toEqual(['new-secret-0000000000']);
	});

	it('serves every request that arrived during a read with one next read', async () => {
		const reader = new CoalescedCredentialReader({ prepare: (secrets) => secrets });
		const store = controlledStore(['secret-000000000000000']);
		const first = reader.get('t', store.read);
		const waiting = Array.from({ length: 20 }, () => reader.get('t', store.read));
		await store.releaseAll();
		await store.releaseAll();
		await Promise.all([first, ...waiting]);
		expect(store.reads).toBe(2);
	});

	it('keeps rotation: both secrets while previousSecret is set, only the new one once it is cleared', async () => {
		const reader = new CoalescedCredentialReader({ prepare: (secrets) => secrets });
		const store = controlledStore(['secret-a-0000000000000', '']);
		store.set(['secret-b-0000000000000', 'secret-a-0000000000000']);
		expect(await settle(reader.get('t', store.read), store)).toEqual(['secret-b-0000000000000', 'secret-a-0000000000000']);
		store.set(['secret-b-0000000000000', '']);
		expect(await settle(reader.get('t', store.read), store)).toEqual(['secret-b-0000000000000', '']);
	});

	it('prepares once per distinct credential content and hands out the same prepared value', async () => {
		const prepare = jest.fn((secrets: readonly string[]) => ({ keys: secrets.map((s) => s.length) }));
		const reader = new CoalescedCredentialReader({ prepare });
		const store = controlledStore(['secret-000000000000000']);
		const a = await settle(reader.get('t', store.read), store);
		const b = await settle(reader.get('t', store.read), store);
		expect(b).toBe(a);
		store.set(['secret-111111111111111']);
		const c = await settle(reader.get('t', store.read), store);
		expect(c).not.toBe(a);
		expect(prepare).toHaveBeenCalledTimes(2);
	});

	it('reads an object credential (the Redis login): an equal fresh read keeps the prepared value, a changed field prepares again', async () => {
		const prepare = jest.fn((settings: { host: string; port: number; password: string }) => ({ ...settings }));
		const reader = new CoalescedCredentialReader({ prepare });
		let password = 'redis-password-0000';
		// Every read builds a new object, as reading n8n's credential does.
		const read = async () => ({ host: 'redis.internal', port: 6379, password });
		const first = await reader.get('t', read);
		expect(await reader.get('t', read)).toBe(first);
		password = 'redis-password-1111';
		expect(await reader.get('t', read)).toEqual({ host: 'redis.internal', port: 6379, password: 'redis-password-1111' });
		expect(prepare).toHaveBeenCalledTimes(2);
	});

	it.each([
		['a field renamed, the same number of fields', { host: 'redis.internal', password: 'pw-0' }, { host: 'redis.internal', user: 'pw-0' }],
		['a field dropped', { host: 'redis.internal', port: 6379 }, { host: 'redis.internal' }],
		['a secret dropped from the list', ['secret-b-0000000000000', 'secret-a-0000000000000'], ['secret-b-0000000000000']],
		['a list, then an object with the same entries', ['secret-b-0000000000000'], { 0: 'secret-b-0000000000000' }],
		['nothing, then a value', null, { host: 'redis.internal' }],
		['a value, then nothing', { host: 'redis.internal' }, null],
		['a number where a string was', { port: '6379' }, { port: 6379 }],
		['one number, then another', 5, 6],
		['a number, then an empty object', 5, {}],
		['an empty object, then a number', {}, 5],
	])('prepares again when the content changes: %s', async (_case, before, after) => {
		const prepare = jest.fn((content: unknown) => ({ content }));
		const reader = new CoalescedCredentialReader({ prepare });
		await reader.get('t', async () => before);
		expect(await reader.get('t', async () => after)).toEqual({ content: after });
		expect(prepare).toHaveBeenCalledTimes(2);
	});

	it.each([
		['the same text', 'secret-000000000000000', 'secret-000000000000000'],
		['an equal list', ['secret-b-0000000000000', ''], ['secret-b-0000000000000', '']],
		['an equal object, its fields in another order', { host: 'redis.internal', port: 6379 }, { port: 6379, host: 'redis.internal' }],
	])('keeps the prepared value when a read brings %s', async (_case, before, after) => {
		const prepare = jest.fn((content: unknown) => ({ content }));
		const reader = new CoalescedCredentialReader({ prepare });
		const first = await reader.get('t', async () => before);
		expect(await reader.get('t', async () => after)).toBe(first);
		expect(prepare).toHaveBeenCalledTimes(1);
	});

	it('fails every waiter of a failed read, and the next request reads again', async () => {
		const reader = new CoalescedCredentialReader({ prepare: (secrets) => secrets });
		let fail = true;
		const read = jest.fn(async () => {
			if (fail) throw new Error('no credential');
			return ['secret-000000000000000'];
		});
		await expect(reader.get('t', read)).rejects.toThrow('no credential');
		fail = false;
		await expect(reader.get('t', read)).resolves.toEqual(['secret-000000000000000']);
	});

	it('keeps scopes apart: a recent read of one scope never answers another', async () => {
		const reader = new CoalescedCredentialReader({ prepare: (secrets) => secrets, now: () => 1_000_000 });
		await reader.recent('a', async () => ['a-secret-0000000000000'], 5000);
		expect((await reader.recent('b', async () => ['b-secret-0000000000000'], 5000)).value).toEqual(['b-secret-0000000000000']);
		expect((await reader.recent('a', async () => ['a-secret-1111111111111'], 5000)).value).toEqual(['a-secret-0000000000000']);
	});

	it('prepares again when a secret is added: a list that grows is not the same list', async () => {
		const reader = new CoalescedCredentialReader({ prepare: (secrets: readonly string[]) => [...secrets] });
		expect(await reader.get('t', async () => ['secret-b-0000000000000'])).toEqual(['secret-b-0000000000000']);
		expect(await reader.get('t', async () => ['secret-b-0000000000000', 'secret-a-0000000000000'])).toEqual([
			'secret-b-0000000000000',
			'secret-a-0000000000000',
		]);
	});

	it('a request that arrives while no read is in flight starts its read at once', async () => {
		const reader = new CoalescedCredentialReader({ prepare: (secrets) => secrets });
		const store = controlledStore(['secret-000000000000000']);
		await settle(reader.get('t', store.read), store);
		const again = reader.get('t', store.read);
		expect(store.reads).toBe(2);
		await store.releaseAll();
		await again;
	});

	it('beyond maxScopes, forgets the scope remembered first, and only that one', async () => {
		const prepare = jest.fn((secrets: readonly string[]) => ({ secrets }));
		const reader = new CoalescedCredentialReader({ prepare, maxScopes: 2 });
		const read = async () => ['secret-000000000000000'];
		const a = await reader.get('a', read);
		const b = await reader.get('b', read);
		expect(await reader.get('a', read)).toBe(a);
		expect(await reader.get('b', read)).toBe(b);
		const c = await reader.get('c', read);
		expect(prepare).toHaveBeenCalledTimes(3);
		expect(await reader.get('b', read)).toBe(b);
		expect(await reader.get('c', read)).toBe(c);
		expect(await reader.get('a', read)).not.toBe(a);
		expect(prepare).toHaveBeenCalledTimes(4);
	});
});

describe('CoalescedCredentialReader.recent', () => {
	/** A clock the test moves. */
	const clock = () => {
		let now = 1_000_000;
		return { now: () => now, advance: (ms: number) => void (now += ms) };
	};

	it('serves a read that started within maxAgeMs without reading; one that started earlier reads again', async () => {
		const time = clock();
		const reader = new CoalescedCredentialReader({ prepare: (secrets) => secrets, now: time.now });
		const store = controlledStore(['old-secret-0000000000']);
		expect(await settle(reader.recent('t', store.read, 5000), store)).toEqual({ value: ['old-secret-0000000000'], startedAt: 1_000_000 });
		store.set(['new-secret-0000000000']);
		time.advance(5000);
		expect(await reader.recent('t', store.read, 5000)).toEqual({ value: ['old-secret-0000000000'], startedAt: 1_000_000 });
		expect(store.reads).toBe(1);
		time.advance(1);
		expect(await settle(reader.recent('t', store.read, 5000), store)).toEqual({ value: ['new-secret-0000000000'], startedAt: 1_005_001 });
		expect(store.reads).toBe(2);
	});

	it('the age is that of the read that started last, even when it found the same secrets', async () => {
		const time = clock();
		const reader = new CoalescedCredentialReader({ prepare: (secrets) => secrets, now: time.now });
		const store = controlledStore(['secret-000000000000000']);
		await settle(reader.recent('t', store.read, 5000), store);
		time.advance(4000);
		await settle(reader.get('t', store.read), store);
		time.advance(4000);
		await reader.recent('t', store.read, 5000);
		expect(store.reads).toBe(2);
	});

	it('shares a read in flight that started within maxAgeMs instead of starting another', async () => {
		const time = clock();
		const reader = new CoalescedCredentialReader({ prepare: (secrets) => secrets, now: time.now });
		const store = controlledStore(['secret-000000000000000']);
		const first = reader.recent('t', store.read, 5000);
		time.advance(100);
		const second = reader.recent('t', store.read, 5000);
		await store.releaseAll();
		expect(await first).toEqual({ value: ['secret-000000000000000'], startedAt: 1_000_000 });
		expect(await second).toEqual({ value: ['secret-000000000000000'], startedAt: 1_000_000 });
		expect(store.reads).toBe(1);
	});

	it('does not share a read in flight that started longer ago than maxAgeMs: waits for the next', async () => {
		const time = clock();
		const reader = new CoalescedCredentialReader({ prepare: (secrets) => secrets, now: time.now });
		const store = controlledStore(['old-secret-0000000000']);
		const first = reader.recent('t', store.read, 5000);
		time.advance(5001);
		store.set(['new-secret-0000000000']);
		const second = reader.recent('t', store.read, 5000);
		await store.releaseAll();
		await store.releaseAll();
		expect((await first).value).toEqual(['old-secret-0000000000']);
		expect(await second).toEqual({ value: ['new-secret-0000000000'], startedAt: 1_005_001 });
		expect(store.reads).toBe(2);
	});

	it('a failed read leaves nothing newer: the previous secrets serve until they are older than maxAgeMs', async () => {
		const time = clock();
		const reader = new CoalescedCredentialReader({ prepare: (secrets) => secrets, now: time.now });
		let fail = false;
		const read = jest.fn(async () => {
			if (fail) throw new Error('no credential');
			return ['secret-000000000000000'];
		});
		await reader.recent('t', read, 5000);
		fail = true;
		await expect(reader.get('t', read)).rejects.toThrow('no credential');
		expect(await reader.recent('t', read, 5000)).toEqual({ value: ['secret-000000000000000'], startedAt: 1_000_000 });
		time.advance(5001);
		await expect(reader.recent('t', read, 5000)).rejects.toThrow('no credential');
	});

	it('maxAgeMs 0 always reads, even in the millisecond of the last read', async () => {
		const time = clock();
		const reader = new CoalescedCredentialReader({ prepare: (secrets) => secrets, now: time.now });
		const store = controlledStore(['old-secret-0000000000']);
		await settle(reader.recent('t', store.read, 0), store);
		store.set(['new-secret-0000000000']);
		expect(await settle(reader.recent('t', store.read, 0), store)).toEqual({ value: ['new-secret-0000000000'], startedAt: 1_000_000 });
		expect(store.reads).toBe(2);
	});

	it('shares a read in flight that started exactly maxAgeMs ago', async () => {
		const time = clock();
		const reader = new CoalescedCredentialReader({ prepare: (secrets) => secrets, now: time.now });
		const store = controlledStore(['secret-000000000000000']);
		const first = reader.recent('t', store.read, 5000);
		time.advance(5000);
		const second = reader.recent('t', store.read, 5000);
		await store.releaseAll();
		expect(await second).toEqual({ value: ['secret-000000000000000'], startedAt: 1_000_000 });
		await first;
		expect(store.reads).toBe(1);
	});

	it('measures ages with Date.now when given no clock', async () => {
		const now = jest.spyOn(Date, 'now').mockReturnValue(2_000_000);
		try {
			const reader = new CoalescedCredentialReader({ prepare: (secrets) => secrets });
			const read = jest.fn(async () => ['secret-000000000000000']);
			expect(await reader.recent('t', read, 5000)).toEqual({ value: ['secret-000000000000000'], startedAt: 2_000_000 });
			now.mockReturnValue(2_005_000);
			await reader.recent('t', read, 5000);
			expect(read).toHaveBeenCalledTimes(1);
			now.mockReturnValue(2_005_001);
			await reader.recent('t', read, 5000);
			expect(read).toHaveBeenCalledTimes(2);
		} finally {
			now.mockRestore();
		}
	});
});
