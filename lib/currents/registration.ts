import { hmacSha256 } from '../verify';
import type { PlatformApiClient } from './client';
import { LIMITS, parseHookHeaders, type RunEvent, type Webhook } from './contract';

/**
 * The secret a trigger asks the platform to send back. Derived, never stored: the API key
 * keys an HMAC over the workflow and node ids, so it survives restarts and changes when the
 * API key does.
 */
export function deriveHookSecret(apiKey: string, workflowId: string, nodeId: string): string {
	return hmacSha256(apiKey, `test-run-trigger:${workflowId}:${nodeId}`, 'hex');
}

export interface DesiredHook {
	projectId: string;
	url: string;
	events: RunEvent[];
	secretHeaderName: string;
	secret: string;
	label: string;
}

function bodyOf(desired: DesiredHook) {
	return {
		url: desired.url,
		hookEvents: desired.events,
		headers: JSON.stringify({ [desired.secretHeaderName]: desired.secret }),
		label: desired.label.slice(0, LIMITS.labelMax),
	};
}

function inSync(hook: Webhook, desired: DesiredHook): boolean {
	const headers = parseHookHeaders(hook.headers);
	const sameEvents = hook.hookEvents.length === desired.events.length && desired.events.every((event) => hook.hookEvents.includes(event));
	return (
		hook.url === desired.url &&
		sameEvents &&
		Object.keys(headers).length === 1 &&
		headers[desired.secretHeaderName] === desired.secret &&
		hook.label === bodyOf(desired).label
	);
}

async function getIfExists(client: PlatformApiClient, hookId: string): Promise<Webhook | undefined> {
	try {
		return await client.getWebhook(hookId);
	} catch (error) {
		if ((error as { statusCode?: number }).statusCode === 404) return undefined;
		throw error;
	}
}

export async function deleteIfExists(client: PlatformApiClient, hookId: string): Promise<void> {
	try {
		await client.deleteWebhook(hookId);
	} catch (error) {
		if ((error as { statusCode?: number }).statusCode !== 404) throw error;
	}
}

/**
 * This trigger's hooks on the platform: the one whose id it remembers (if it still exists),
 * then any other hook in the project pointing at its current or previous URL.
 */
export async function findTriggerHooks(
	client: PlatformApiClient,
	projectId: string,
	urls: Array<string | undefined>,
	knownHookId?: string,
): Promise<Webhook[]> {
	const known = knownHookId ? await getIfExists(client, knownHookId) : undefined;
	const wanted = new Set(urls.filter(Boolean));
	const sameUrl = (await client.listWebhooks(projectId)).filter((hook) => wanted.has(hook.url) && hook.hookId !== known?.hookId);
	return known ? [known, ...sameUrl] : sameUrl;
}

/**
 * Brings this trigger's hook in line with what is wanted (URL, events, secret header, label)
 * and removes duplicates. Returns its id, or undefined when there is none to keep.
 */
export async function reconcileHook(client: PlatformApiClient, desired: DesiredHook, knownHookId?: string, previousUrl?: string): Promise<string | undefined> {
	const [keep, ...duplicates] = await findTriggerHooks(client, desired.projectId, [desired.url, previousUrl], knownHookId);
	for (const duplicate of duplicates) await deleteIfExists(client, duplicate.hookId);
	if (!keep) return undefined;
	if (keep.projectId !== desired.projectId) {
		// The trigger moved to another project: its old hook goes, a new one is created.
		await deleteIfExists(client, keep.hookId);
		return undefined;
	}
	if (!inSync(keep, desired)) await client.updateWebhook(keep.hookId, bodyOf(desired));
	return keep.hookId;
}

export async function createHook(client: PlatformApiClient, desired: DesiredHook): Promise<string> {
	return (await client.createWebhook(desired.projectId, bodyOf(desired))).hookId;
}
