import { runsInQueueMode } from '../../nodes/shared/queueMode';

describe('runsInQueueMode', () => {
	it('knows queue mode from EXECUTIONS_MODE', () => {
		expect(runsInQueueMode({ EXECUTIONS_MODE: 'queue' })).toBe(true);
		expect(runsInQueueMode({ EXECUTIONS_MODE: 'regular' })).toBe(false);
		expect(runsInQueueMode({})).toBe(false);
	});
});
