import { sampleRunEvent } from '../../../lib/currents';
import { receiveOptions } from '../../support/receiveOptions';
import { InProcessDeliveryMemory, receiveDelivery } from '../../../lib/trigger';

describe('Send Test samples', () => {
	it('carry a fresh run id, build id and commit every time', () => {
		const first = sampleRunEvent('RUN_FINISH', new Date(Date.UTC(2026, 10, 24, 12, 0, 0)));
		const second = sampleRunEvent('RUN_FINISH', new Date(Date.UTC(2026, 10, 24, 12, 0, 1)));
		expect(first.runUrl).not.toBe(second.runUrl);
		expect(first.commit.sha).not.toBe(second.commit.sha);
		expect(first.commit.sha).toMatch(/^[0-9a-f]{40}$/);
		expect(first.buildId).toBe('sample-build-2026-11-24T12:00:00.000Z');
		expect(second.buildId).toBe('sample-build-2026-11-24T12:00:01.000Z');
	});

	it('a second test of the same event within the window reaches the trigger as a new delivery, not a duplicate', async () => {
		const secret = 'currents-shared-secret-1';
		const memory = new InProcessDeliveryMemory();
		const nowMs = Date.now();
		const receive = (body: string) =>
			receiveDelivery(
				{ headers: { 'x-webhook-secret': secret, 'x-timestamp': String(nowMs) }, rawBody: Buffer.from(body) },
				receiveOptions('currents', [secret], nowMs, { memoryScope: 's', memory }),
			);
		const now = new Date(nowMs);
		const first = await receive(JSON.stringify(sampleRunEvent('RUN_FINISH', now)));
		const second = await receive(JSON.stringify(sampleRunEvent('RUN_FINISH', now)));
		expect(first.body).toEqual({ received: true });
		expect(second.body).toEqual({ received: true });
		expect(first.item!.run.id).not.toBe(second.item!.run.id);
	});
});
