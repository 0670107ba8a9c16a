import {
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type IHookFunctions,
	type ILoadOptionsFunctions,
	type INode,
	type JsonObject,
} from 'n8n-workflow';
import { InputError, PlatformApiClient, PlatformApiError } from '../../lib/currents';
import { instanceEgress } from './instanceEgress';

export const PLATFORM_CREDENTIAL = 'testRunPlatformApi';

type PlatformContext = Pick<IExecuteFunctions | IHookFunctions | ILoadOptionsFunctions, 'getCredentials' | 'helpers'>;

/** A client for the credential's API, held to the n8n instance's outbound policy where it has one. */
export async function platformClient(context: PlatformContext, timeoutMs?: number): Promise<PlatformApiClient> {
	const credentials = await context.getCredentials<{ baseUrl?: string; apiKey: string }>(PLATFORM_CREDENTIAL);
	return new PlatformApiClient({ baseUrl: credentials.baseUrl, apiKey: credentials.apiKey, timeoutMs, egress: instanceEgress(context.helpers) });
}

/** What the user can do about a failed API call, by status. */
function adviceFor(error: PlatformApiError, subject?: string): string {
	if (error.kind === 'timeout') return 'The platform did not answer in time. Try again, or raise the timeout in the node options.';
	if (error.kind === 'network') return 'The platform could not be reached. Check the Base URL in the Test Run Platform API credential and the network.';
	if (error.kind === 'blocked')
		return "This n8n instance's SSRF protection (N8N_SSRF_*) refuses the platform's address. Ask the n8n administrator to allow the host.";
	if (error.kind === 'invalidResponse') return 'The platform answered in an unexpected shape. Check that the Base URL points at the REST API (it ends in /v1).';
	switch (error.statusCode) {
		case 401:
		case 403:
			return 'The platform refused the API key. Check the API key in the Test Run Platform API credential.';
		case 404:
			return `${subject ?? 'The requested item'} was not found. Check the ID, and that the API key belongs to the right organization.`;
		case 429:
			return 'The platform is rate-limiting requests. Wait a moment and try again.';
		default:
			return error.statusCode !== undefined && error.statusCode >= 500
				? 'The platform had an internal problem. Try again later.'
				: 'The platform rejected the request.';
	}
}

/** Turns errors from `lib/` into the n8n errors users see, with advice. */
export function toNodeError(node: INode, error: unknown, itemIndex: number, subject?: string): Error {
	if (error instanceof InputError) {
		return new NodeOperationError(node, error.message, {
			itemIndex,
			description: `Fix the "${error.field}" parameter.`,
		});
	}
	if (error instanceof PlatformApiError) {
		return new NodeApiError(node, { message: error.message, ...(error.apiMessage ? { apiMessage: error.apiMessage } : {}) } as JsonObject, {
			itemIndex,
			message: error.message,
			description: error.detail ? `${adviceFor(error, subject)} (${error.detail})` : adviceFor(error, subject),
			httpCode: error.statusCode === undefined ? undefined : String(error.statusCode),
		});
	}
	if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
	return new NodeOperationError(node, error as Error, { itemIndex });
}
