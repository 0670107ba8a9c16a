import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { Source } from '../../lib/sources';
import { signedWebhookHeaders } from './signedWebhook';

export function newStandardSecret(): string {
	return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * The headers a genuine sender of each platform attaches. Standard Webhooks signatures come
 * from the `standardwebhooks` package, independently of our own code.
 */
export function senderHeaders(
	source: Source,
	body: string,
	secret: string,
	nowMs: number,
	messageId = `msg_${randomBytes(8).toString('hex')}`,
): Record<string, string> {
	switch (source) {
		case 'currents':
			return { 'content-type': 'application/json', 'x-webhook-secret': secret, 'x-timestamp': String(nowMs) };
		case 'maestro':
			return { 'content-type': 'application/json', authorization: `Bearer ${secret}` };
		case 'autosana':
			return { 'content-type': 'application/json', 'X-Autosana-Signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` };
		case 'circleci':
			return { 'content-type': 'application/json', 'user-agent': 'CircleCI-Webhook/1.0', ...forgedHeaders(source, body, secret, nowMs, messageId) };
		case 'buildkite':
		case 'cypressCloud':
		case 'githubActions':
			return { 'content-type': 'application/json', ...forgedHeaders(source, body, secret, nowMs, messageId) };
		case 'standardWebhooks': {
			const date = new Date(nowMs);
			return {
				'content-type': 'application/json',
				'webhook-id': messageId,
				'webhook-timestamp': String(Math.floor(nowMs / 1000)),
				'webhook-signature': new Webhook(secret).sign(messageId, date, body),
			};
		}
		case 'gitlab':
			return { 'content-type': 'application/json', ...gitlabSenderHeaders(body, secret, nowMs, messageId) };
		case 'signedWebhook':
			return { 'content-type': 'application/json', ...signedWebhookHeaders(body, secret, nowMs, messageId) };
	}
}

/**
 * Headers whose proof is made with `secret` whatever it is (empty, whitespace, `whsec_` alone),
 * computed with node:crypto directly: what an attacker sends who guesses a degenerate secret.
 */
export function forgedHeaders(source: Source, body: string, secret: string, nowMs = Date.now(), messageId = 'msg_forged'): Record<string, string> {
	const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data);
	switch (source) {
		case 'currents':
			return { 'x-webhook-secret': secret, 'x-timestamp': String(nowMs) };
		case 'maestro':
			return { authorization: `Bearer ${secret}` };
		case 'autosana':
			return { 'X-Autosana-Signature-256': `sha256=${hmac(secret, body).digest('hex')}` };
		case 'cypressCloud': {
			// Cypress Cloud's recipe: "sha256=" + hex HMAC-SHA256(secret, "<X-Cypress-Timestamp>.<raw body>").
			const seconds = String(Math.floor(nowMs / 1000));
			return {
				'x-cypress-event': 'run.completed',
				'x-cypress-event-id': messageId,
				'x-cypress-timestamp': seconds,
				'x-cypress-signature': `sha256=${hmac(secret, `${seconds}.${body}`).digest('hex')}`,
			};
		}
		case 'githubActions':
			// GitHub's recipe (test/lib/sources/githubActions.test.ts checks it against @octokit/webhooks-methods).
			return { 'x-github-event': 'workflow_run', 'x-github-delivery': messageId, 'x-hub-signature-256': `sha256=${hmac(secret, body).digest('hex')}` };
		case 'circleci':
			// CircleCI's recipe: "v1=" + hex HMAC-SHA256(secret, raw body); its send time is the body's happened_at.
			return { 'circleci-event-type': 'workflow-completed', 'circleci-signature': `v1=${hmac(secret, body).digest('hex')}` };
		case 'buildkite': {
			// Buildkite's recipe: hex HMAC-SHA256(secret, "<timestamp>.<raw body>"), timestamp in epoch seconds.
			const seconds = Math.floor(nowMs / 1000);
			return {
				'x-buildkite-event': 'build.finished',
				'x-buildkite-signature': `timestamp=${seconds},signature=${hmac(secret, `${seconds}.${body}`).digest('hex')}`,
			};
		}
		case 'standardWebhooks': {
			const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
			const seconds = Math.floor(nowMs / 1000);
			const signature = hmac(key, `${messageId}.${seconds}.${body}`).digest('base64');
			return { 'webhook-id': messageId, 'webhook-timestamp': String(seconds), 'webhook-signature': `v1,${signature}` };
		}
		case 'gitlab': {
			// GitLab's recipe (ci-platforms.md C.3): a whsec_ signing token signs as Standard Webhooks; a plain token is sent as it is.
			const common = { 'x-gitlab-event': 'Pipeline Hook', 'idempotency-key': messageId };
			if (!secret.startsWith('whsec_')) return { ...common, 'x-gitlab-token': secret };
			return { ...common, ...forgedHeaders('standardWebhooks', body, secret, nowMs, messageId) };
		}
		case 'signedWebhook':
			return signedWebhookHeaders(body, secret, nowMs, messageId);
	}
}

/**
 * What GitLab sends: `X-Gitlab-Event`, `Idempotency-Key` and, with a `whsec_` signing token, the
 * Standard Webhooks headers signed by the `standardwebhooks` package (`webhook-id` equal to the
 * Idempotency-Key); with a plain secret token, `X-Gitlab-Token`.
 */
export function gitlabSenderHeaders(body: string, secret: string, nowMs: number, messageId: string = randomUUID()): Record<string, string> {
	const common = { 'x-gitlab-event': 'Pipeline Hook', 'x-gitlab-event-uuid': randomUUID(), 'idempotency-key': messageId };
	if (!secret.startsWith('whsec_')) return { ...common, 'x-gitlab-token': secret };
	return {
		...common,
		'webhook-id': messageId,
		'webhook-timestamp': String(Math.floor(nowMs / 1000)),
		'webhook-signature': new Webhook(secret).sign(messageId, new Date(nowMs), body),
	};
}
