import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { createHook, deleteIfExists, findTriggerHooks, reconcileHook, type DesiredHook, type RunEvent } from '../../lib/currents';
import { platformClient, toNodeError } from '../shared/platform';
import { derivedSecret, isAutomaticRegistration, secretHeaderName } from './settings';

/** What the trigger remembers between activations: ids only, never the secret. */
interface HookMemory extends IDataObject {
	hookId?: string;
	hookUrl?: string;
	/** The hook pointing at the Test URL while n8n listens for a test event. */
	test?: HookMemory;
}

/**
 * The production hook's memory, or the test hook's. n8n registers the Test URL with mode
 * 'manual' while listening for a test event, and when listening ends calls delete() with the
 * test hook's static data, in which the test memory holds the Test URL: either way, the hook of
 * the other mode is never touched.
 */
function memoryFor(fn: IHookFunctions): { memory: HookMemory; test: boolean } {
	const staticData = fn.getWorkflowStaticData('node') as HookMemory;
	const test = fn.getMode() === 'manual' || (staticData.test !== undefined && staticData.test.hookUrl === fn.getNodeWebhookUrl('default'));
	if (!test) return { memory: staticData, test };
	staticData.test ??= {};
	return { memory: staticData.test, test };
}

function forget(fn: IHookFunctions, memory: HookMemory, test: boolean): void {
	delete memory.hookId;
	delete memory.hookUrl;
	if (test) delete (fn.getWorkflowStaticData('node') as HookMemory).test;
}

async function desiredHook(fn: IHookFunctions, test: boolean): Promise<DesiredHook> {
	const workflow = fn.getWorkflow();
	const node = fn.getNode();
	return {
		projectId: fn.getNodeParameter('projectId', undefined, { extractValue: true }) as string,
		url: fn.getNodeWebhookUrl('default') as string,
		events: fn.getNodeParameter('events', []) as RunEvent[],
		secretHeaderName: secretHeaderName(fn),
		secret: await derivedSecret(fn),
		label: `${test ? '[test] ' : ''}n8n: ${workflow.name ?? workflow.id} / ${node.name}`,
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
		const { memory, test } = memoryFor(this);
		const desired = await desiredHook(this, test);
		const client = await platformClient(this);
		const hookId = await withActivationErrors(this, 'check', () => reconcileHook(client, desired, memory.hookId, memory.hookUrl));
		if (hookId === undefined) {
			forget(this, memory, test);
			return false;
		}
		memory.hookId = hookId;
		memory.hookUrl = desired.url;
		return true;
	},

	async create(this: IHookFunctions): Promise<boolean> {
		if (!isAutomaticRegistration(this)) return true;
		const { memory, test } = memoryFor(this);
		const desired = await desiredHook(this, test);
		const client = await platformClient(this);
		memory.hookId = await withActivationErrors(this, 'create', () => createHook(client, desired));
		memory.hookUrl = desired.url;
		return true;
	},

	async delete(this: IHookFunctions): Promise<boolean> {
		if (!isAutomaticRegistration(this)) return true;
		const { memory, test } = memoryFor(this);
		const client = await platformClient(this);
		const { projectId, url } = await desiredHook(this, test);
		await withActivationErrors(this, 'delete', async () => {
			for (const hook of await findTriggerHooks(client, projectId, [url, memory.hookUrl], memory.hookId)) {
				await deleteIfExists(client, hook.hookId);
			}
		});
		forget(this, memory, test);
		return true;
	},
};
