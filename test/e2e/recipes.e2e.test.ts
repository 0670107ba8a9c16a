import { randomBytes } from 'node:crypto';
import { sampleRunEvent } from '../../lib/currents';
import { startLoopbackServer, type LoopbackServer } from '../../tools/httpServer';
import { installN8n, N8nServer, packPackage, type ImportedCredential } from '../../tools/n8nServer';
import { n8nVersions } from '../../tools/n8nVersions';
import { until } from '../../tools/until';
import { dispatchOf, fillPlaceholders, loadRecipe, type Recipe } from '../support/recipes';
import { failuresOf, runPayload, uncountedRun, withoutEllipsis, type RunShape } from '../support/recipeRuns';
import { newStandardSecret, senderHeaders } from '../support/signing';
import { pagerDuty, gitHubIssues, TARGETS, type TargetSpec } from '../support/targets';
import { stopAfterSuite } from './support/suite';

/**
 * Every recipe in examples/recipes, imported as shipped into one real n8n and set up as the
 * README tells a user: the trigger's Source switched (here to Standard Webhooks, whose runs
 * carry failure lists), the credentials filled in with loopback URLs that look like the
 * vendors' own, the PagerDuty key pasted. A loopback receiver checks each request against
 * the target's documented format and limits (test/support/targets.ts).
 */
const VERSIONS = n8nVersions(process.env.E2E_N8N_VERSIONS);
const SECRET = newStandardSecret();
const TRIGGER_CREDENTIAL = 'recipeCredSecret';

let tarball: string;
beforeAll(() => {
	tarball = packPackage();
});

const triggerOf = (recipe: Recipe) => recipe.nodes.find((node) => node.type.endsWith('.testRunTrigger'))!;

/** The changes a user makes after importing, and nothing else. */
function asConfigured(recipe: Recipe): Recipe {
	const copy = structuredClone(recipe);
	triggerOf(copy).parameters.source = 'standardWebhooks';
	const dispatch = dispatchOf(copy);
	dispatch.parameters.body = fillPlaceholders(dispatch.parameters.body as string);
	return copy;
}

function credentialsFor(receiverUrl: string, recipes: Array<[TargetSpec, Recipe]>): ImportedCredential[] {
	const triggerCredential = triggerOf(recipes[0][1]).credentials!.testRunWebhookSecret;
	expect(triggerCredential.id).toBe(TRIGGER_CREDENTIAL);
	return [
		{ ...triggerCredential, type: 'testRunWebhookSecret', data: { secret: SECRET, previousSecret: '' } },
		...recipes.map(([target, recipe]) => ({
			...dispatchOf(recipe).credentials!.webhookIntegration,
			type: 'webhookIntegration',
			data: {
				rootUrl: `${receiverUrl}${target.rootPath}`,
				headers: JSON.stringify(target.credential?.headers ?? {}),
				secretHeaders: JSON.stringify(target.credential?.secretHeaders ?? {}),
				rateLimitPerSecond: 0,
				signingSecret: '',
				timeoutSeconds: 10,
				blockPrivateNetworks: false,
			},
		})),
	];
}

/** A Currents run as Currents posts it: counts only, and its default branch ("trunk" here). */
const currentsRun = () => {
	const event = sampleRunEvent('RUN_FINISH');
	return { ...event, commit: { ...event.commit, branch: 'trunk', defaultBranch: 'trunk' } };
};

/** A CI pipeline as GitLab's source normalizes it: no test counts, its failed jobs listed. */
const pipelineRun = () => {
	const { event, run } = uncountedRun({ source: 'gitlab', status: 'failed', failedJobs: 2 });
	return { event, run };
};

/** The runs each recipe gets, in order: what reaches the target, and what the filter stops. */
function runsFor(target: TargetSpec): Array<{ payload: object; delivered: boolean }> {
	const run = (shape: RunShape, delivered: boolean) => ({ payload: runPayload(shape), delivered });
	return [
		run({ status: 'failed', failures: 3 }, true),
		run({ status: 'timedOut', failures: 120, long: true }, true),
		run({ status: 'passed', failures: 0 }, target === pagerDuty),
		...(target === gitHubIssues ? [run({ status: 'failed', failures: 3, branch: 'feature/checkout' }, false)] : []),
		{ payload: currentsRun(), delivered: true },
		{ payload: pipelineRun(), delivered: true },
	];
}

describe.each(VERSIONS)('recipes in real n8n %s', (version) => {
	let n8n: N8nServer;
	let receiver: LoopbackServer;
	const recipes = TARGETS.map((target) => [target, asConfigured(loadRecipe(target))] as const);
	const received = (target: TargetSpec) => receiver.requests.filter((request) => request.url.startsWith(target.requestPath));

	beforeAll(async () => {
		const install = installN8n(version);
		receiver = await startLoopbackServer((request, res) => {
			const target = TARGETS.find((candidate) => request.url.startsWith(candidate.requestPath));
			let body: unknown;
			try {
				body = JSON.parse(request.body);
			} catch {
				body = undefined;
			}
			const answer = target ? target.answer(body) : { status: 404, body: { error: 'no such target' } };
			res.writeHead(answer.status, { 'content-type': typeof answer.body === 'string' ? 'text/plain' : 'application/json' });
			res.end(answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
		});
		n8n = new N8nServer(install, tarball);
		n8n.importAndActivate(
			credentialsFor(
				receiver.url,
				recipes.map(([target, recipe]) => [target, recipe]),
			),
			recipes.map(([, recipe]) => recipe),
		);
		await n8n.start();
		for (const [, recipe] of recipes) await n8n.waitForWebhook(n8n.webhookUrl(triggerOf(recipe).webhookId!));
	}, 30 * 60_000);

	stopAfterSuite(version, () => ({ n8n, servers: [receiver] }));

	it.each(recipes.map(([target, recipe]) => [target.recipe, target, recipe] as const))(
		'%s: 3 and 120 failures, a Currents run and an uncounted CI pipeline arrive in the target format within its limits; a passed run is filtered out or resolves',
		async (_name, target, recipe) => {
			const url = n8n.webhookUrl(triggerOf(recipe).webhookId!);
			const runs = runsFor(target);
			const deliveryIds: string[] = [];
			for (const [index, { payload, delivered }] of runs.entries()) {
				const body = JSON.stringify(payload);
				const deliveryId = `msg_${randomBytes(8).toString('hex')}`;
				const response = await fetch(url, { method: 'POST', headers: senderHeaders('standardWebhooks', body, SECRET, Date.now(), deliveryId), body });
				expect({ status: response.status, body: await response.json() }).toEqual({ status: 200, body: { received: true } });
				if (delivered) deliveryIds.push(deliveryId);
				// One run at a time, so deliveries keep the order of the runs (trigger before resolve).
				const executions = await until(`execution ${index + 1} of ${recipe.id}`, async () => {
					const list = await n8n.executions(recipe.id);
					return list.length === index + 1 && list.every((execution) => ['success', 'error', 'crashed'].includes(execution.status)) ? list : undefined;
				});
				expect(executions.map((execution) => execution.status)).toEqual(executions.map(() => 'success'));
			}

			const deliveries = received(target);
			expect(deliveries).toHaveLength(deliveryIds.length);
			const bodies = deliveries.map((delivery) => JSON.parse(delivery.body));
			deliveries.forEach((delivery, i) => expect(target.check(bodies[i], delivery)).toEqual([]));
			// The transactional id is the delivery's id: a retried request is recognisable as one.
			expect(deliveries.map((delivery) => delivery.headers['idempotency-key'])).toEqual(deliveryIds);

			expect(target.listing(bodies[0])).toEqual({ names: failuresOf(3).map((failure) => failure.name), more: 0 });
			const long = target.listing(bodies[1]);
			expect(long.names.length).toBeGreaterThan(0);
			expect(long.names.length + long.more).toBe(120);
			long.names.forEach((name, i) => expect(failuresOf(120, true)[i].name.startsWith(withoutEllipsis(name))).toBe(true));

			// Currents lists no failures: the message says how many and links to the run.
			expect(target.listing(bodies[bodies.length - 2])).toEqual({ names: [], more: 0 });
			expect(deliveries[deliveries.length - 2].body).toContain((runs[runs.length - 2].payload as ReturnType<typeof currentsRun>).runUrl);
			// A pipeline counts no tests: its failed jobs and its link, and no "null of null".
			const pipeline = pipelineRun().run;
			expect(target.listing(bodies[bodies.length - 1])).toEqual({ names: pipeline.failures.map((failure) => failure.name), more: 0 });
			expect(deliveries[deliveries.length - 1].body).toContain(pipeline.url);
			expect(deliveries[deliveries.length - 1].body).not.toMatch(/\bnull of\b|tests failed/);

			if (target === pagerDuty) {
				expect(bodies.map((body) => body.event_action)).toEqual(['trigger', 'trigger', 'resolve', 'trigger', 'trigger']);
				// The Currents run is another project (its repository, not an app id): another alert.
				expect(new Set(bodies.slice(0, 3).map((body) => body.dedup_key)).size).toBe(1);
				expect(bodies[3].dedup_key).not.toBe(bodies[0].dedup_key);
			}
		},
		120_000,
	);
});
