import { createServer } from 'node:net';
import { transportFailureMessage, type FailureWording } from '../../../lib/http/failureMessage';
import { sendHttp, TransportError } from '../../../lib/http/transport';

const wording = (overrides: Partial<FailureWording> = {}): FailureWording => ({
	timeoutMs: 30_000,
	unreachable: (detail) => `unreachable (${detail})`,
	...overrides,
});

describe('transportFailureMessage', () => {
	it('a timeout names the deadline in seconds, fractions kept, with the subject that gave no answer', () => {
		const failure = new TransportError('timeout', 'no answer within 0.25 s');
		expect(transportFailureMessage(failure, wording({ timeoutMs: 250, subject: 'The webhook URL http://x' }))).toBe(
			'The webhook URL http://x gave no answer within 0.25 s',
		);
	});

	it('a timeout without a subject starts with "No answer"', () => {
		expect(transportFailureMessage(new TransportError('timeout', 'detail'), wording({ timeoutMs: 30_000 }))).toBe('No answer within 30 s');
	});

	it('a timeout never uses the unreachable or blocked wording, nor the transport detail', () => {
		const unreachable = jest.fn(() => 'unreachable');
		const blocked = jest.fn(() => 'blocked');
		const message = transportFailureMessage(new TransportError('timeout', 'SECRET-DETAIL'), wording({ unreachable, blocked }));
		expect(message).not.toContain('SECRET-DETAIL');
		expect(unreachable).not.toHaveBeenCalled();
		expect(blocked).not.toHaveBeenCalled();
	});

	it('a network failure gets the unreachable wording, told the transport detail', () => {
		const failure = new TransportError('network', 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1');
		expect(transportFailureMessage(failure, wording({ subject: 'ignored here' }))).toBe('unreachable (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1)');
	});

	it('a blocked address gets the blocked wording when the caller has one, not the unreachable one', () => {
		const failure = new TransportError('blocked', 'address 10.0.0.1 refused');
		expect(transportFailureMessage(failure, wording({ blocked: (detail) => `blocked (${detail})` }))).toBe('blocked (address 10.0.0.1 refused)');
	});

	it('a blocked address falls back to the unreachable wording when the caller has no blocked one', () => {
		expect(transportFailureMessage(new TransportError('blocked', 'refused'), wording())).toBe('unreachable (refused)');
	});

	it('a real refused connection (a closed loopback port) is worded as unreachable', async () => {
		const server = createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as { port: number };
		await new Promise<void>((resolve) => server.close(() => resolve()));
		const failure = await sendHttp({ method: 'GET', url: `http://127.0.0.1:${port}/`, timeoutMs: 5_000 }).then(
			() => undefined,
			(error: TransportError) => error,
		);
		expect(failure?.kind).toBe('network');
		expect(transportFailureMessage(failure!, wording())).toMatch(/^unreachable \(.*ECONNREFUSED/);
	});
});
