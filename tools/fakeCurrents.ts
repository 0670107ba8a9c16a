import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { deliverRunEvent, LIMITS, RUN_EVENTS, runEventRequest, sampleRunEvent, type CurrentsRunEvent, type RunEvent, type Webhook } from '../lib/currents';
import type { HttpAnswer } from '../lib/http/transport';
import { sendJson, startLoopbackServer, type RecordedRequest } from './httpServer';

/** A failure the fake serves instead of the next matching request. */
export type InjectedFailure = { kind: 'status'; status: number; body?: unknown } | { kind: 'slow'; ms: number } | { kind: 'reset' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function failed(res: ServerResponse, status: number, error: string): void {
	sendJson(res, status, { status: 'FAILED', error });
}

function validationError(body: Record<string, unknown>, partial: boolean): string | undefined {
	const { url, hookEvents, headers, label } = body;
	if (url === undefined) {
		if (!partial) return 'url is required';
	} else if (typeof url !== 'string' || url.length > LIMITS.urlMax || !/^https?:\/\//.test(url)) {
		return `url must be an http(s) URI of at most ${LIMITS.urlMax} characters`;
	}
	if (hookEvents !== undefined) {
		if (!Array.isArray(hookEvents) || hookEvents.some((e) => !(RUN_EVENTS as readonly unknown[]).includes(e))) {
			return `hookEvents must be a subset of ${RUN_EVENTS.join(', ')}`;
		}
	}
	if (headers !== undefined && headers !== null) {
		if (typeof headers !== 'string' || headers.length > LIMITS.headersMax) return `headers must be a string of at most ${LIMITS.headersMax} characters`;
		try {
			const parsed: unknown = JSON.parse(headers);
			if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return 'headers must be a JSON object string';
		} catch {
			return 'headers must be a JSON object string';
		}
	}
	if (label !== undefined && label !== null) {
		if (typeof label !== 'string' || label.length < LIMITS.labelMin || label.length > LIMITS.labelMax) return 'label must be 1-255 characters';
	}
	return undefined;
}

/**
 * A local stand-in for the Currents REST API: bearer auth, `{status, data}` envelopes, the
 * field limits, 400/401/404 answers in the platform's shape, an in-memory store, a request log,
 * injectable failures, and delivery of run events to the registered hooks.
 */
export async function startFakeCurrents(options: { apiKey?: string; projects?: Array<{ projectId: string; name: string }>; pageSize?: number } = {}) {
	const apiKey = options.apiKey ?? 'test-api-key';
	const projects = options.projects ?? [
		{ projectId: 'proj_web', name: 'Web shop' },
		{ projectId: 'proj_mobile', name: 'Mobile app' },
	];
	const pageSize = options.pageSize ?? 100;
	const hooks = new Map<string, Webhook>();
	const failures: InjectedFailure[] = [];
	const clock = { now: () => new Date().toISOString() };

	const handle = async (req: RecordedRequest, res: ServerResponse): Promise<void> => {
		const failure = failures.shift();
		if (failure?.kind === 'reset') {
			res.socket?.destroy();
			return;
		}
		// unref: a slow answer still pending when a test ends must not hold the process open
		if (failure?.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, failure.ms).unref());
		if (failure?.kind === 'status') {
			sendJson(res, failure.status, failure.body ?? { status: 'FAILED', error: 'Internal server error' });
			return;
		}
		if (req.headers.authorization !== `Bearer ${apiKey}`) return failed(res, 401, 'Unauthorized: invalid API key');

		const url = new URL(req.url, 'http://fake');
		const path = url.pathname.replace(/^\/v1/, '');
		const body = (() => {
			try {
				return req.body ? (JSON.parse(req.body) as Record<string, unknown>) : {};
			} catch {
				return undefined;
			}
		})();
		if (body === undefined) return failed(res, 400, 'Body is not valid JSON');

		if (path === '/projects' && req.method === 'GET') {
			const after = url.searchParams.get('starting_after');
			const start = after ? projects.findIndex((p) => p.projectId === after) + 1 : 0;
			const limit = Math.min(Number(url.searchParams.get('limit') ?? pageSize), pageSize);
			const page = projects.slice(start, start + limit);
			return sendJson(res, 200, { status: 'OK', has_more: start + limit < projects.length, data: page });
		}
		if (path === '/webhooks') {
			const projectId = url.searchParams.get('projectId');
			if (!projectId) return failed(res, 400, 'projectId is required');
			if (!projects.some((p) => p.projectId === projectId)) return failed(res, 404, `Project ${projectId} not found`);
			if (req.method === 'GET') {
				return sendJson(res, 200, { status: 'OK', data: [...hooks.values()].filter((h) => h.projectId === projectId) });
			}
			if (req.method === 'POST') {
				const problem = validationError(body, false);
				if (problem) return failed(res, 400, problem);
				const hook: Webhook = {
					hookId: randomUUID(),
					projectId,
					url: body.url as string,
					hookEvents: (body.hookEvents as string[] | undefined) ?? [...RUN_EVENTS],
					headers: (body.headers as string | null | undefined) ?? null,
					label: (body.label as string | null | undefined) ?? null,
					createdAt: clock.now(),
					updatedAt: clock.now(),
				};
				hooks.set(hook.hookId, hook);
				return sendJson(res, 200, { status: 'OK', data: hook });
			}
		}
		const match = /^\/webhooks\/([^/]+)$/.exec(path);
		if (match) {
			const hookId = decodeURIComponent(match[1]);
			if (!UUID.test(hookId)) return failed(res, 400, 'hookId must be a UUID');
			const hook = hooks.get(hookId);
			if (!hook) return failed(res, 404, `Webhook ${hookId} not found`);
			if (req.method === 'GET') return sendJson(res, 200, { status: 'OK', data: hook });
			if (req.method === 'PUT') {
				const problem = validationError(body, true);
				if (problem) return failed(res, 400, problem);
				const updated: Webhook = { ...hook, updatedAt: clock.now() };
				for (const field of ['url', 'hookEvents', 'headers', 'label'] as const) {
					if (body[field] !== undefined) (updated as Record<string, unknown>)[field] = body[field];
				}
				hooks.set(hookId, updated);
				return sendJson(res, 200, { status: 'OK', data: updated });
			}
			if (req.method === 'DELETE') {
				hooks.delete(hookId);
				return sendJson(res, 200, { status: 'OK', data: { hookId } });
			}
		}
		return failed(res, 404, `No route for ${req.method} ${path}`);
	};

	const server = await startLoopbackServer(handle);
	return {
		apiKey,
		baseUrl: `${server.url}/v1`,
		hooks,
		requests: server.requests,
		/** Serves the given failures, in order, instead of the next requests. */
		inject(...next: InjectedFailure[]) {
			failures.push(...next);
		},
		/** Posts an event to every hook of the project subscribed to it, as Currents would. */
		async emit(projectId: string, payload: CurrentsRunEvent | RunEvent): Promise<HttpAnswer[]> {
			const event = typeof payload === 'string' ? sampleRunEvent(payload) : payload;
			const targets = [...hooks.values()].filter((h) => h.projectId === projectId && h.hookEvents.includes(event.event));
			return await Promise.all(targets.map((hook) => deliverRunEvent(hook.url, runEventRequest(hook, event), 5000)));
		},
		close: server.close,
	};
}

export type FakeCurrents = Awaited<ReturnType<typeof startFakeCurrents>>;
