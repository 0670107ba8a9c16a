import { RetryMemory, stableTransactionalId, uuidV5 } from '../../../lib/dispatch';

describe('uuidV5', () => {
	it('matches the RFC example: www.example.com in the DNS namespace', () => {
		expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
	});

	it('refuses a namespace that is not a UUID', () => {
		expect(() => uuidV5('not-a-uuid', 'x')).toThrow('The namespace "not-a-uuid" is not a UUID');
	});
});

describe('stableTransactionalId', () => {
	const anchor = '0f8fad5b-d9cb-469f-a165-70867728950e';
	const place = { workflowId: 'wf', nodeId: 'node', runIndex: 0, itemIndex: 0, content: { event: 'RUN_FINISH' } };

	it('is the same for the same anchor and place', () => {
		expect(stableTransactionalId(anchor, place)).toBe(stableTransactionalId(anchor, { ...place, content: { event: 'RUN_FINISH' } }));
	});

	it.each([
		['another anchor', { anchor: '7c9e6679-7425-40de-944b-e07fc1f90ae7' }],
		['another workflow', { workflowId: 'wf2' }],
		['another node', { nodeId: 'node2' }],
		['another run of the node', { runIndex: 1 }],
		['another item position', { itemIndex: 1 }],
		['other content', { content: { event: 'RUN_START' } }],
	])('changes with %s', (_what, change) => {
		const { anchor: otherAnchor, ...otherPlace } = { anchor, ...change };
		expect(stableTransactionalId(otherAnchor, { ...place, ...otherPlace })).not.toBe(stableTransactionalId(anchor, place));
	});
});

describe('RetryMemory', () => {
	let now = 0;
	const results = (value: string) => new Map([['0', value]]);

	it('recalls what a run kept until it is forgotten', () => {
		const memory = new RetryMemory<string>(1000, 10, () => now);
		memory.keep('run', results('delivered'));
		expect(memory.recall('run')?.get('0')).toBe('delivered');
		memory.forget('run');
		expect(memory.recall('run')).toBeUndefined();
	});

	it('forgets a run after its time to live', () => {
		now = 0;
		const memory = new RetryMemory<string>(1000, 10, () => now);
		memory.keep('run', results('delivered'));
		now = 1000;
		expect(memory.recall('run')).toBeDefined();
		now = 1001;
		expect(memory.recall('run')).toBeUndefined();
		expect(memory.size).toBe(0);
	});

	it('holds at most maxRuns runs, dropping the oldest and the expired first', () => {
		now = 0;
		const memory = new RetryMemory<string>(1000, 2, () => now);
		memory.keep('first', results('1'));
		memory.keep('second', results('2'));
		memory.keep('third', results('3'));
		expect([memory.recall('first'), memory.recall('second'), memory.recall('third')].map((run) => run?.get('0'))).toEqual([undefined, '2', '3']);
		now = 1500;
		memory.keep('fourth', results('4'));
		expect(memory.size).toBe(1);
	});
});
