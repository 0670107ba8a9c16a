import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IConnections,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';
import { Container } from '@n8n/di';
import { TestCredentialsHelper } from './credentialsHelper';
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';

// n8n-core's SSH client manager keeps a 60 s interval that would hold jest open. Registered here,
// in the test files that load n8n-core, not in every test file: loading it costs about half a
// second per file (most of the time of a lib-only run, and of every mutant Stryker tries).
afterAll(() => {
	Container.get(SSHClientsManager).onShutdown();
});

export const PACKAGE = 'n8n-nodes-test-run-webhooks';

/** A start node for tests: outputs the items given in its `items` parameter. */
class ItemsSource implements INodeType {
	description = {
		displayName: 'Items',
		name: 'items',
		group: ['input'],
		version: 1,
		description: 'Emits fixed items',
		defaults: { name: 'Items' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getNodeParameter('items', 0) as IDataObject[] | string;
		const list = (typeof items === 'string' ? JSON.parse(items) : items) as IDataObject[];
		return [list.map((json, index) => ({ json, pairedItem: { item: index } }))];
	}
}

export class NodeTypeRegistry implements INodeTypes {
	private readonly types = new Map<string, INodeType>([['test.items', new ItemsSource()]]);

	/** `nodes` are this package's, by short name; `others` are registered under their full type name. */
	constructor(nodes: Record<string, INodeType>, others: Record<string, INodeType> = {}) {
		for (const [name, type] of Object.entries(nodes)) this.types.set(`${PACKAGE}.${name}`, type);
		for (const [name, type] of Object.entries(others)) this.types.set(name, type);
	}

	getByName(name: string): INodeType {
		const type = this.types.get(name);
		if (!type) throw new Error(`Unknown node type ${name}`);
		return type;
	}

	getByNameAndVersion(name: string): INodeType {
		return this.getByName(name);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

let executionCounter = 0;

export function additionalDataFor(
	workflowData: IWorkflowBase,
	credentials: Record<string, ICredentialDataDecryptedObject>,
	mode: WorkflowExecuteMode,
): IWorkflowExecuteAdditionalData {
	const base = 'http://127.0.0.1:5678';
	// Every execution, a retried one too, gets an id of its own, as the n8n server gives it.
	const executionId = `test-execution-${++executionCounter}`;
	return {
		executionId,
		credentialsHelper: new TestCredentialsHelper(credentials),
		hooks: new ExecutionLifecycleHooks(mode, executionId, workflowData),
		executeWorkflow: async () => {
			throw new Error('not used by these tests');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: base,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		variables: {},
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('not used by these tests');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface WorkflowSpec {
	nodes: INode[];
	connections: IConnections;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	nodeTypes: NodeTypeRegistry;
	staticData?: IDataObject;
}

export function buildWorkflow(spec: WorkflowSpec): { workflow: Workflow; workflowData: IWorkflowBase } {
	const workflowData = {
		id: 'wf-test',
		name: 'Test workflow',
		active: false,
		nodes: spec.nodes,
		connections: spec.connections,
		settings: { executionOrder: 'v1' },
		createdAt: new Date(),
		updatedAt: new Date(),
	} as unknown as IWorkflowBase;
	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: spec.nodes,
		connections: spec.connections,
		active: false,
		nodeTypes: spec.nodeTypes,
		staticData: spec.staticData,
		settings: { executionOrder: 'v1' },
	});
	return { workflow, workflowData };
}

/** Runs a workflow in n8n-core's engine from the node named `startNode`. */
export async function runWorkflow(spec: WorkflowSpec & { startNode: string }): Promise<IRun> {
	return await startWorkflow(spec);
}

/**
 * Starts a workflow in n8n-core's engine and hands back the running execution: its `cancel()`
 * is what n8n calls when the user presses Stop (it aborts the execution's cancel signal).
 */
export function startWorkflow(spec: WorkflowSpec & { startNode: string }): Promise<IRun> & { cancel(): void } {
	const { workflow, workflowData } = buildWorkflow(spec);
	const additionalData = additionalDataFor(workflowData, spec.credentials ?? {}, 'manual');
	const execute = new WorkflowExecute(additionalData, 'manual', createRunExecutionData());
	return execute.run({ workflow, startNode: workflow.getNode(spec.startNode) ?? undefined });
}

/**
 * Retries a failed execution as n8n's executions list does ("Retry with original workflow"):
 * the saved execution data (here through JSON, as the database stores it) without its error
 * and without the failed run of the last node, run again as a new execution in mode `retry`.
 */
export async function retryExecution(spec: WorkflowSpec, failed: IRun): Promise<IRun> {
	const data = JSON.parse(JSON.stringify(failed.data)) as IRunExecutionData;
	const { lastNodeExecuted } = data.resultData;
	delete data.resultData.error;
	const lastRuns = lastNodeExecuted ? data.resultData.runData[lastNodeExecuted] : undefined;
	if (lastRuns?.at(-1)?.error !== undefined) lastRuns.pop();
	const { workflow, workflowData } = buildWorkflow(spec);
	const additionalData = additionalDataFor(workflowData, spec.credentials ?? {}, 'retry');
	return await new WorkflowExecute(additionalData, 'retry', data).processRunExecutionData(workflow);
}

/** The JSON of the items a node sent to one of its outputs in the first run. */
export function outputOf(run: IRun, nodeName: string, outputIndex = 0): IDataObject[] {
	const task = run.data.resultData.runData[nodeName]?.[0];
	return (task?.data?.main?.[outputIndex] ?? []).map((item) => item.json);
}

export function pairedItemsOf(run: IRun, nodeName: string, outputIndex = 0): unknown[] {
	const task = run.data.resultData.runData[nodeName]?.[0];
	return (task?.data?.main?.[outputIndex] ?? []).map((item) => item.pairedItem);
}

let nodeCounter = 0;
export function node(type: string, parameters: INode['parameters'], extra: Partial<INode> = {}): INode {
	nodeCounter++;
	return {
		id: `node-${nodeCounter}`,
		name: extra.name ?? type,
		type: type.includes('.') ? type : `${PACKAGE}.${type}`,
		typeVersion: 1,
		position: [nodeCounter * 200, 0],
		parameters,
		...extra,
	};
}

/** Items → node, as a two-node workflow. */
export function itemsInto(target: INode, items: IDataObject[]): { nodes: INode[]; connections: IConnections } {
	const source = node('test.items', { items: JSON.stringify(items) }, { name: 'Items' });
	return {
		nodes: [source, target],
		connections: { Items: { main: [[{ node: target.name, type: 'main', index: 0 }]] } },
	};
}

/** Calls a node's list-search method through n8n-core's real LoadOptionsContext. */
export async function listSearch(spec: WorkflowSpec & { nodeName: string; method: string; parameterPath: string; filter?: string }) {
	const { LoadOptionsContext } = await import('n8n-core');
	const { workflow, workflowData } = buildWorkflow(spec);
	const target = workflow.getNode(spec.nodeName)!;
	const additionalData = additionalDataFor(workflowData, spec.credentials ?? {}, 'manual');
	// The editor sends the node's current parameters along with a list-search request.
	additionalData.currentNodeParameters = target.parameters;
	const context = new LoadOptionsContext(workflow, target, additionalData, spec.parameterPath);
	const type = spec.nodeTypes.getByName(target.type);
	const search = type.methods?.listSearch?.[spec.method];
	if (!search) throw new Error(`No list search ${spec.method}`);
	return await search.call(context, spec.filter);
}
