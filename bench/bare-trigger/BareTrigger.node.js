'use strict';
// Benchmark only, never shipped: the most a community webhook trigger can reach in n8n (issue 25
// item 2). The same shape as the Test Run Trigger (node version 1.1, POST, responseMode
// onReceived, responseData '', the raw body read as ours reads it, the 200 answer sent by n8n
// after the execution is registered), but no credential, no verification, no deduplication:
// every request is accepted and its JSON body becomes one item. It declares an optional credential
// and never reads it: the bench's second bare workflow attaches one, to show what n8n charges an
// execution whose trigger carries a credential (its pre-execution permission check).
class BareTrigger {
	constructor() {
		this.description = {
			displayName: 'Bench Bare Trigger',
			name: 'benchBareTrigger',
			group: ['trigger'],
			version: [1, 1.1],
			defaultVersion: 1.1,
			description: 'Benchmark ceiling: accepts every request and returns its body as one item',
			defaults: { name: 'Bench Bare Trigger' },
			inputs: [],
			outputs: ['main'],
			credentials: [{ name: 'httpHeaderAuth', required: false }],
			webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'test-run' }],
			properties: [],
		};
	}

	async webhook() {
		const request = this.getRequestObject();
		// As ours: n8n reads the raw body for JSON content types; any other is read here.
		if (!Buffer.isBuffer(request.rawBody) && typeof request.readRawBody === 'function') await request.readRawBody();
		const json = JSON.parse(Buffer.isBuffer(request.rawBody) ? request.rawBody.toString('utf8') : '{}');
		return { webhookResponse: { received: true }, workflowData: [[{ json }]] };
	}
}
module.exports = { BareTrigger };
