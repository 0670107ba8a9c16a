import { deliver, loadRecipe as load, PAGERDUTY_TEST_KEY } from '../support/recipes';
import { failuresOf, withoutEllipsis, type RunShape } from '../support/recipeRuns';
import { pagerDuty, TARGETS } from '../support/targets';

describe.each(TARGETS.map((target) => [target.recipe, target] as const))('recipe %s', (_name, target) => {
	it('is Test Run Trigger → Filter → Webhook Dispatch with a JSON body, a webhookIntegration credential and stable ids', () => {
		const recipe = load(target);
		const [trigger, filter, dispatch] = ['testRunTrigger', 'filter', 'webhookDispatch'].map((type) =>
			recipe.nodes.find((node) => node.type.endsWith(`.${type}`))!,
		);
		expect(recipe.connections[trigger.name].main[0].map((link) => link.node)).toEqual([filter.name]);
		expect(recipe.connections[filter.name].main[0].map((link) => link.node)).toEqual([dispatch.name]);
		expect(trigger.parameters.events).toEqual(['RUN_FINISH', 'RUN_TIMEOUT']);
		// 1.1 with "Stop the Workflow": a refused request fails the execution instead of leaving by an unconnected output.
		expect(dispatch).toMatchObject({
			typeVersion: 1.1,
			parameters: { bodyContentType: 'json', transactionalId: '={{ $json.deliveryId }}', onFailure: 'stopWorkflow' },
		});
		expect(Object.keys(dispatch.credentials ?? {})).toEqual(['webhookIntegration']);
	});

	it('lists 3 failures in full, within the limits', () => {
		const delivery = deliver(target, { status: 'failed', failures: 3 });
		const body = JSON.parse(delivery.body);
		expect(target.check(body, delivery)).toEqual([]);
		expect(target.listing(body)).toEqual({ names: failuresOf(3).map((failure) => failure.name), more: 0 });
	});

	it('truncates 120 long failures with "and N more", within the limits', () => {
		const delivery = deliver(target, { status: 'failed', failures: 120, long: true });
		const body = JSON.parse(delivery.body);
		expect(target.check(body, delivery)).toEqual([]);
		const { names, more } = target.listing(body);
		expect(names.length).toBeGreaterThan(0);
		expect(names.length + more).toBe(120);
		const failures = failuresOf(120, true);
		names.forEach((name, i) => expect(failures[i].name.startsWith(withoutEllipsis(name))).toBe(true));
	});

	it('handles a timed-out run without a failure list or git data (as Currents sends it)', () => {
		const delivery = deliver(target, { status: 'timedOut', failures: 0, branch: null });
		const body = JSON.parse(delivery.body);
		expect(target.check(body, delivery)).toEqual([]);
		expect(target.listing(body)).toEqual({ names: [], more: 0 });
	});
});

describe('recipe pagerduty', () => {
	const event = (shape: RunShape) => JSON.parse(deliver(pagerDuty, shape).body);

	it('resolves with the dedup_key it triggered with: same project and branch, whatever the run', () => {
		const failed = event({ status: 'failed', failures: 3 });
		const timedOut = event({ status: 'timedOut', failures: 120 });
		const passed = event({ status: 'passed', failures: 0 });
		expect([failed.event_action, timedOut.event_action, passed.event_action]).toEqual(['trigger', 'trigger', 'resolve']);
		expect(new Set([failed.dedup_key, timedOut.dedup_key, passed.dedup_key]).size).toBe(1);
		expect(passed).toEqual({ routing_key: PAGERDUTY_TEST_KEY, dedup_key: failed.dedup_key, event_action: 'resolve' });
		expect(pagerDuty.check(passed, deliver(pagerDuty, { status: 'passed', failures: 0 }))).toEqual([]);
	});

	it('keeps one alert per branch', () => {
		expect(event({ status: 'failed', failures: 3, branch: 'release/2.1' }).dedup_key).not.toBe(event({ status: 'failed', failures: 3 }).dedup_key);
	});
});
