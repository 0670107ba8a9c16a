/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS file: preloaded with --require, or forked as is */
// Preloaded into the benchmark's n8n (NODE_OPTIONS=--require): n8n's built-in Currents Trigger
// registers its webhook at https://api.currents.dev when the workflow is activated, which this
// offline machine cannot reach. This replaces only those registration calls with an in-memory
// stand-in; the trigger's receive path (webhook(), verifyWebhook) is n8n's own, unchanged.
const Module = require('node:module');
const hooks = new Map();
const original = Module._load;
Module._load = function load(request, parent, isMain) {
	const exported = original.call(this, request, parent, isMain);
	if (typeof request === 'string' && request.endsWith('CurrentsTriggerHelpers') && exported && !exported.__benchOffline) {
		exported.__benchOffline = true;
		exported.listWebhooks = async () => [...hooks.values()];
		// Every URL has a hook: the secret then stays the one the benchmark put in static data.
		exported.findWebhookByUrl = async (_projectId, url) => [...hooks.values()].find((hook) => hook.url === url) ?? { hookId: 'bench-0', url, hookEvents: [] };
		exported.createWebhook = async (_projectId, options) => {
			const hook = { hookId: `bench-${hooks.size + 1}`, url: options.url, hookEvents: options.hookEvents ?? [] };
			hooks.set(hook.hookId, hook);
			return hook;
		};
		exported.updateWebhook = async (hookId, options) => Object.assign(hooks.get(hookId) ?? {}, options);
		exported.deleteWebhook = async (hookId) => void hooks.delete(hookId);
	}
	return exported;
};
