import type { z } from 'zod';
import { transportFailureMessage } from '../http/failureMessage';
import { sendHttp, TransportError, type EgressPolicy, type HttpCall } from '../http/transport';
import { Redactor } from '../redact';
import { envelope, failureEnvelope, projectSchema, webhookSchema, type Project, type Webhook, type WebhookBody } from './contract';

export const DEFAULT_BASE_URL = 'https://api.currents.dev/v1';
export const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_PROJECT_PAGES = 50;

export type PlatformFailureKind = 'http' | 'timeout' | 'network' | 'blocked' | 'invalidResponse';

/** A failed API call. Carries the status and the API's own message, never the API key. */
export class PlatformApiError extends Error {
	constructor(
		readonly kind: PlatformFailureKind,
		message: string,
		readonly statusCode?: number,
		readonly apiMessage?: string,
		/** What the transport said, e.g. "connect ECONNREFUSED 10.0.0.1:443". */
		readonly detail?: string,
	) {
		super(message);
		this.name = 'PlatformApiError';
	}
}

export interface PlatformClientOptions {
	baseUrl?: string;
	apiKey: string;
	timeoutMs?: number;
	/** Which addresses the client may reach (the n8n instance's outbound policy). */
	egress?: EgressPolicy;
}

function apiMessageOf(bodyText: string): string | undefined {
	try {
		const failure = failureEnvelope.safeParse(JSON.parse(bodyText));
		if (failure.success) {
			const { error } = failure.data;
			return typeof error === 'string' ? error : JSON.stringify(error);
		}
	} catch {
		// Not JSON (a proxy's HTML page, say): fall through to the raw text.
	}
	return bodyText.trim().slice(0, 300) || undefined;
}

/** Client for the Currents REST API (`{status, data}` envelopes, bearer auth). */
export class PlatformApiClient {
	private readonly baseUrl: string;
	private readonly apiKey: string;
	private readonly timeoutMs: number;
	private readonly egress?: EgressPolicy;
	/** The API key never appears in an error, whatever form the API or the network echoes it in. */
	private readonly redactor: Redactor;

	constructor(options: PlatformClientOptions) {
		this.baseUrl = (options.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, '');
		this.apiKey = options.apiKey;
		this.redactor = new Redactor([options.apiKey]);
		this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
		this.egress = options.egress;
	}

	async listProjects(): Promise<Project[]> {
		const projects: Project[] = [];
		let after: string | undefined;
		for (let page = 0; page < MAX_PROJECT_PAGES; page++) {
			const query = new URLSearchParams({ limit: '100' });
			if (after) query.set('starting_after', after);
			const answer = await this.call('GET', `/projects?${query}`, projectSchema.array());
			projects.push(...answer.data);
			if (!answer.has_more || answer.data.length === 0) break;
			after = answer.data[answer.data.length - 1].projectId;
		}
		return projects;
	}

	async listWebhooks(projectId: string): Promise<Webhook[]> {
		const query = new URLSearchParams({ projectId });
		return (await this.call('GET', `/webhooks?${query}`, webhookSchema.array())).data;
	}

	async getWebhook(hookId: string): Promise<Webhook> {
		return (await this.call('GET', `/webhooks/${encodeURIComponent(hookId)}`, webhookSchema)).data;
	}

	async createWebhook(projectId: string, body: WebhookBody): Promise<Webhook> {
		const query = new URLSearchParams({ projectId });
		return (await this.call('POST', `/webhooks?${query}`, webhookSchema, body)).data;
	}

	async updateWebhook(hookId: string, body: WebhookBody): Promise<Webhook> {
		return (await this.call('PUT', `/webhooks/${encodeURIComponent(hookId)}`, webhookSchema, body)).data;
	}

	async deleteWebhook(hookId: string): Promise<void> {
		await this.call('DELETE', `/webhooks/${encodeURIComponent(hookId)}`, undefined);
	}

	private async call<T extends z.ZodTypeAny>(
		method: HttpCall['method'],
		path: string,
		dataSchema: T | undefined,
		body?: unknown,
	): Promise<{ data: z.infer<T>; has_more?: boolean }> {
		const what = `${method} ${path.split('?')[0]}`;
		let answer;
		try {
			answer = await sendHttp({
				method,
				url: this.baseUrl + path,
				headers: {
					authorization: `Bearer ${this.apiKey}`,
					accept: 'application/json',
					...(body === undefined ? {} : { 'content-type': 'application/json' }),
				},
				body: body === undefined ? undefined : JSON.stringify(body),
				timeoutMs: this.timeoutMs,
				egress: this.egress,
			});
		} catch (error) {
			const failure = error as TransportError;
			throw new PlatformApiError(
				failure.kind,
				transportFailureMessage(failure, {
					timeoutMs: this.timeoutMs,
					subject: `${what}: the API`,
					unreachable: () => `${what}: could not reach the API at ${this.baseUrl}`,
				}),
				undefined,
				undefined,
				this.redactor.text(failure.message),
			);
		}
		if (answer.statusCode < 200 || answer.statusCode >= 300) {
			const apiMessage = apiMessageOf(answer.bodyText);
			throw new PlatformApiError(
				'http',
				this.redactor.text(`${what} failed with ${answer.statusCode}${apiMessage ? `: ${apiMessage}` : ''}`),
				answer.statusCode,
				apiMessage && this.redactor.text(apiMessage),
			);
		}
		if (!dataSchema) return { data: undefined };
		let json: unknown;
		try {
			json = JSON.parse(answer.bodyText);
		} catch {
			throw new PlatformApiError('invalidResponse', `${what}: the API answered with something that is not JSON`, answer.statusCode);
		}
		const parsed = envelope(dataSchema).safeParse(json);
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			throw new PlatformApiError(
				'invalidResponse',
				`${what}: unexpected answer from the API (${issue.path.join('.') || 'body'}: ${issue.message})`,
				answer.statusCode,
			);
		}
		return { data: parsed.data.data as z.infer<T>, has_more: parsed.data.has_more };
	}
}
