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

	private webhookData(additionalData: ReturnType<typeof additionalDataFor>): IWebhookData {
		const type = this.nodeTypes.getByName(this.trigger.type);
		return {
			httpMethod: 'POST',
			node: this.trigger.name,
			path: `${this.trigger.webhookId}/test-run`,
			webhookDescription: type.description.webhooks![0],
			workflowId: this.workflowId,
			workflowExecuteAdditionalData: additionalData,
			webhookId: this.trigger.webhookId,
		};
	}

	get url(): string {
		return `${WEBHOOK_BASE}/${this.trigger.webhookId}/test-run`;
	}

	/** Runs one webhook lifecycle method the way n8n does on activation and deactivation. */
	async lifecycle(method: 'checkExists' | 'create' | 'delete', activation: WorkflowActivateMode = 'activate'): Promise<boolean> {
		const { workflow, workflowData } = this.build();
		const additionalData = additionalDataFor(workflowData, this.credentials, 'trigger');
		const context = new HookContext(workflow, this.trigger, additionalData, 'trigger', activation, this.webhookData(additionalData));
		const type = this.nodeTypes.getByName(this.trigger.type);
		const result = await type.webhookMethods!.default![method].call(context);
		this.staticData = workflow.staticData as IDataObject;
		return result;
	}

	/** n8n's activation: create unless checkExists finds the hook. */
	async activate(): Promise<void> {
		if (!(await this.lifecycle('checkExists'))) await this.lifecycle('create');
	}

	/** Sends one request to the trigger's webhook(); runs the workflow if it returns data. */
	async deliver(headers: Record<string, string>, body: string | Buffer): Promise<{ status: number; body: unknown }> {
		const { workflow, workflowData } = this.build();
		const additionalData = additionalDataFor(workflowData, this.credentials, 'webhook');
		const rawBody = Buffer.isBuffer(body) ? body : Buffer.from(body);
		let parsed: unknown = {};
		try {
			parsed = JSON.parse(rawBody.toString());
		} catch {
			// n8n hands the node an empty body when it cannot parse JSON; the raw bytes stay.
		}
		const lowerCased = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
		const response = new ResponseRecorder();
		additionalData.httpRequest = { headers: lowerCased, body: parsed, rawBody, query: {}, params: {} } as never;
		additionalData.httpResponse = response as never;
		const context = new WebhookContext(workflow, this.trigger, additionalData, 'webhook', this.webhookData(additionalData), [], null);
		const type = this.nodeTypes.getByName(this.trigger.type);
		const result = await type.webhook!.call(context);
		if (result.workflowData) {
			const runData = createRunExecutionData({
				executionData: { nodeExecutionStack: [{ node: this.trigger, data: { main: result.workflowData }, source: null }] },
			});
			const run = await new WorkflowExecute(additionalData, 'webhook', runData).processRunExecutionData(workflow);
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
