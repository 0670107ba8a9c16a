import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { createHook, deleteIfExists, findTriggerHooks, reconcileHook, type DesiredHook, type RunEvent } from '../../lib/currents';
import { platformClient, toNodeError } from '../shared/platform';
import { derivedSecret, isAutomaticRegistration, secretHeaderName } from './settings';

/** What the trigger remembers between activations: ids only, never the secret. */
interface HookMemory extends IDataObject {
	hookId?: string;
	hookUrl?: string;
}

async function desiredHook(fn: IHookFunctions): Promise<DesiredHook> {
	const workflow = fn.getWorkflow();
	const node = fn.getNode();
	return {
		projectId: fn.getNodeParameter('projectId', undefined, { extractValue: true }) as string,
		url: fn.getNodeWebhookUrl('default') as string,
		events: fn.getNodeParameter('events', []) as RunEvent[],
		secretHeaderName: secretHeaderName(fn),
		secret: await derivedSecret(fn),
		label: `n8n: ${workflow.name ?? workflow.id} / ${node.name}`,
	};
}

/** Wraps API failures at activation so the user learns the platform is the problem. */
async function withActivationErrors<T>(fn: IHookFunctions, action: string, work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		const nodeError = toNodeError(fn.getNode(), error, 0, 'The webhook or project');
		nodeError.message = `Could not ${action} the Currents webhook: ${nodeError.message}`;
		throw nodeError;
	}
}

export const triggerLifecycle = {
	async checkExists(this: IHookFunctions): Promise<boolean> {
		if (!isAutomaticRegistration(this)) return true;
		const memory = this.getWorkflowStaticData('node') as HookMemory;
		const desired = await desiredHook(this);
		const client = await platformClient(this);
		const hookId = await withActivationErrors(this, 'check', () => reconcileHook(client, desired, memory.hookId, memory.hookUrl));
		if (hookId === undefined) {
			delete memory.hookId;
			delete memory.hookUrl;
			return false;
		}
		memory.hookId = hookId;
		memory.hookUrl = desired.url;
		return true;
	},

	async create(this: IHookFunctions): Promise<boolean> {
		if (!isAutomaticRegistration(this)) return true;
		const memory = this.getWorkflowStaticData('node') as HookMemory;
		const desired = await desiredHook(this);
		const client = await platformClient(this);
		memory.hookId = await withActivationErrors(this, 'create', () => createHook(client, desired));
		memory.hookUrl = desired.url;
		return true;
	},

	async delete(this: IHookFunctions): Promise<boolean> {
		if (!isAutomaticRegistration(this)) return true;
		const memory = this.getWorkflowStaticData('node') as HookMemory;
		const client = await platformClient(this);
		const { projectId, url } = await desiredHook(this);
		await withActivationErrors(this, 'delete', async () => {
			for (const hook of await findTriggerHooks(client, projectId, [url, memory.hookUrl], memory.hookId)) {
				await deleteIfExists(client, hook.hookId);
			}
		});
		delete memory.hookId;
		delete memory.hookUrl;
		return true;
	},
};
