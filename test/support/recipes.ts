/** The recipes in examples/recipes, and the request each would send, without n8n. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareRequest } from '../../lib/dispatch/request';
import { runItem, type RunShape } from './recipeRuns';
import type { Delivery, TargetSpec } from './targets';

/** What a user fills in after importing: the one placeholder a recipe body holds. */
export const PAGERDUTY_TEST_KEY = 'e2e0pagerduty0integration0key032';
export const fillPlaceholders = (body: string) => body.replace('YOUR_PAGERDUTY_INTEGRATION_KEY', PAGERDUTY_TEST_KEY);

export interface RecipeNode {
	id: string;
	webhookId?: string;
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown> & {
		body?: string;
		headers?: { parameter: Array<{ name: string; value: string }> };
		queryParameters?: { parameter: Array<{ name: string; value: string }> };
	};
	credentials?: Record<string, { id: string; name: string }>;
}
export interface Recipe {
	id: string;
	nodes: RecipeNode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
}

export const loadRecipe = (target: TargetSpec): Recipe =>
	JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'recipes', `${target.recipe}.json`), 'utf8')) as Recipe;
export const dispatchOf = (recipe: Recipe) => recipe.nodes.find((node) => node.type === 'n8n-nodes-test-run-webhooks.webhookDispatch')!;

/** The request Webhook Dispatch would send for one run shape, as the target's receiver gets it. */
export const deliver = (target: TargetSpec, shape: RunShape): Delivery => deliverItem(target, runItem(shape));

/** The request Webhook Dispatch would send for one trigger item, as the target's receiver gets it. */
export function deliverItem(target: TargetSpec, item: object): Delivery {
	const { parameters } = dispatchOf(loadRecipe(target));
	const request = prepareRequest(
		{
			method: parameters.method as 'POST',
			rootUrl: `http://receiver.test${target.rootPath}`,
			path: parameters.path as string,
			query: parameters.queryParameters?.parameter ?? [],
			inheritedHeaders: target.credential?.headers ?? {},
			secretHeaders: target.credential?.secretHeaders ?? {},
			nodeHeaders: parameters.headers?.parameter ?? [],
			excludeInheritedHeaders: [],
			bodyContentType: 'json',
			body: fillPlaceholders(parameters.body as string),
			// The recipes' credentials leave the signing secret empty.
			signed: false,
		},
		item,
		'msg_unit0001',
	);
	const url = new URL(request.url);
	const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]));
	return { method: request.method, url: url.pathname + url.search, headers, body: request.body ?? '' };
}
