import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { deriveHookSecret } from '../../lib/currents';
import { PLATFORM_CREDENTIAL } from '../shared/platform';
import { DEFAULT_SECRET_HEADER } from './description';

type TriggerContext = IHookFunctions | IWebhookFunctions;

/** Currents with automatic registration: the node owns the hook and derives its secret. */
export function isAutomaticRegistration(fn: TriggerContext): boolean {
	return fn.getNodeParameter('source') === 'currents' && fn.getNodeParameter('registration', 'automatic') === 'automatic';
}

export function secretHeaderName(fn: TriggerContext): string {
	return (fn.getNodeParameter('secretHeaderName', DEFAULT_SECRET_HEADER) as string) || DEFAULT_SECRET_HEADER;
}

/** The secret this trigger's hook carries, from the API key, the workflow and the node. */
export async function derivedSecret(fn: TriggerContext): Promise<string> {
	const { apiKey } = await fn.getCredentials<{ apiKey: string }>(PLATFORM_CREDENTIAL);
	return deriveHookSecret(apiKey, fn.getWorkflow().id ?? '', fn.getNode().id);
}
