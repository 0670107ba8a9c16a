import { HookContext, WebhookContext, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type IRun,
	type IWebhookData,
	type WorkflowActivateMode,
} from 'n8n-workflow';
import { additionalDataFor, buildWorkflow, type NodeTypeRegistry } from './engine';

export const WEBHOOK_BASE = 'http://127.0.0.1:5678/webhook';

/** The part of Express's response a webhook() uses; the e2e suite covers real n8n HTTP. */
class ResponseRecorder {
	statusCode = 200;
	body: unknown;
	headersSent = false;
	status(code: number) {
		this.statusCode = code;
		return this;
	}
	json(body: unknown) {
		this.body = body;
		this.headersSent = true;
		return this;
	}
	send(body: unknown) {
		return this.json(body);
	}
	end() {
		this.headersSent = true;
		return this;
	}
	setHeader() {
		return this;
	}
}

/** A deployed trigger: one workflow whose static data outlives "restarts". */
export class TriggerHarness {
	staticData: IDataObject = {};
	executions: IRun[] = [];

	constructor(
		private readonly nodeTypes: NodeTypeRegistry,
		public trigger: INode,
		public credentials: Record<string, ICredentialDataDecryptedObject>,
		private readonly workflowId = 'wf-trigger',
	) {}

	private build() {
		const { workflow, workflowData } = buildWorkflow({
			nodes: [this.trigger],
			connections: {},
			nodeTypes: this.nodeTypes,
			staticData: this.staticData,
			credentials: this.credentials,
		});
		workflow.id = this.workflowId;
		workflowData.id = this.workflowId;
		return { workflow, workflowData };
	}

	private webhookData(additionalData: ReturnType<typeof additionalDataFor>, isTest = false): IWebhookData {
		const type = this.nodeTypes.getByName(this.trigger.type);
		return {
			httpMethod: 'POST',
			node: this.trigger.name,
			path: `${this.trigger.webhookId}/test-run`,
			webhookDescription: type.description.webhooks![0],
			workflowId: this.workflowId,
			workflowExecuteAdditionalData: additionalData,
			webhookId: this.trigger.webhookId,
			isTest,
		};
	}

	get url(): string {
		return `${WEBHOOK_BASE}/${this.trigger.webhookId}/test-run`;
	}

	get testUrl(): string {
		return `${WEBHOOK_BASE}-test/${this.trigger.webhookId}/test-run`;
	}

	/**
	 * Runs one webhook lifecycle method the way n8n does on activation and deactivation, or
	 * with `test`, the way n8n's TestWebhooks does while listening for a test event: modes
	 * 'manual'/'manual' to register, 'internal'/'update' to remove, on the Test URL.
	 */
	async lifecycle(method: 'checkExists' | 'create' | 'delete', activation: WorkflowActivateMode = 'activate', { test = false } = {}): Promise<boolean> {
		const { workflow, workflowData } = this.build();
		const mode = test ? (method === 'delete' ? 'internal' : 'manual') : 'trigger';
		const additionalData = additionalDataFor(workflowData, this.credentials, mode);
		const hookActivation = test ? (method === 'delete' ? 'update' : 'manual') : activation;
		const context = new HookContext(workflow, this.trigger, additionalData, mode, hookActivation, this.webhookData(additionalData, test));
		const type = this.nodeTypes.getByName(this.trigger.type);
		const result = await type.webhookMethods!.default![method].call(context);
		this.staticData = workflow.staticData as IDataObject;
		return result;
	}

	/** n8n's activation: create unless checkExists finds the hook. */
	async activate(): Promise<void> {
		if (!(await this.lifecycle('checkExists'))) await this.lifecycle('create');
	}

	/** n8n's "Listen for test event": the trigger's hooks for the Test URL. */
	async listenForTestEvent(): Promise<void> {
		if (!(await this.lifecycle('checkExists', 'manual', { test: true }))) await this.lifecycle('create', 'manual', { test: true });
	}

	/**
	 * Sends one request to the trigger's webhook(); runs the workflow if it returns data. With
	 * `test`, to the Test URL, which n8n runs in mode 'manual' (production: 'webhook').
	 */
	async deliver(headers: Record<string, string>, body: string | Buffer, { test = false, unreadBody = false } = {}): Promise<{ status: number; body: unknown }> {
		const { workflow, workflowData } = this.build();
		const mode = test ? 'manual' : 'webhook';
		const additionalData = additionalDataFor(workflowData, this.credentials, mode);
		const rawBody = Buffer.isBuffer(body) ? body : Buffer.from(body);
		let parsed: unknown = {};
		try {
			parsed = JSON.parse(rawBody.toString());
		} catch {
			// n8n hands the node an empty body when it cannot parse JSON; the raw bytes stay.
		}
		const lowerCased = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
		const response = new ResponseRecorder();
		// unreadBody: as n8n hands a node of version > 1 a body of a content type it does not
		// parse itself: no rawBody yet, only n8n's reader for it.
		const request: Record<string, unknown> = unreadBody
			? { headers: lowerCased, body: {}, query: {}, params: {}, readRawBody: async () => void (request.rawBody = rawBody) }
			: { headers: lowerCased, body: parsed, rawBody, query: {}, params: {} };
		additionalData.httpRequest = request as never;
		additionalData.httpResponse = response as never;
		const context = new WebhookContext(workflow, this.trigger, additionalData, mode, this.webhookData(additionalData, test), [], null);
		const type = this.nodeTypes.getByName(this.trigger.type);
		const result = await type.webhook!.call(context);
		if (result.workflowData) {
			const runData = createRunExecutionData({
				executionData: { nodeExecutionStack: [{ node: this.trigger, data: { main: result.workflowData }, source: null }] },
			});
			const run = await new WorkflowExecute(additionalData, mode, runData).processRunExecutionData(workflow);
			this.executions.push(run);
		}
		// Our trigger answers by itself; other triggers may hand n8n a response to send.
		if (result.noWebhookResponse) return { status: response.statusCode, body: response.body };
		return { status: 200, body: result.webhookResponse ?? null };
	}

	/** The item the last execution started with. */
	lastItem(): IDataObject | undefined {
		const run = this.executions.at(-1);
		return run?.data.resultData.runData[this.trigger.name]?.[0]?.data?.main?.[0]?.[0]?.json;
	}
}
