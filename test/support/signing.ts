import { createHmac, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { Source } from '../../lib/sources';

export function newStandardSecret(): string {
	return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * The headers a genuine sender of each platform attaches. Standard Webhooks signatures come
 * from the `standardwebhooks` package, independently of our own code.
 */
export function senderHeaders(source: Source, body: string, secret: string, nowMs: number, messageId = `msg_${randomBytes(8).toString('hex')}`): Record<string, string> {
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
		case 'circleci':
			// CircleCI's recipe: "v1=" + hex HMAC-SHA256(secret, raw body); its send time is the body's happened_at.
			return { 'circleci-event-type': 'workflow-completed', 'circleci-signature': `v1=${hmac(secret, body).digest('hex')}` };
		case 'buildkite': {
			// Buildkite's recipe: hex HMAC-SHA256(secret, "<timestamp>.<raw body>"), timestamp in epoch seconds.
			const seconds = Math.floor(nowMs / 1000);
			return { 'x-buildkite-event': 'build.finished', 'x-buildkite-signature': `timestamp=${seconds},signature=${hmac(secret, `${seconds}.${body}`).digest('hex')}` };
		}
		case 'standardWebhooks': {
			const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
			const seconds = Math.floor(nowMs / 1000);
			const signature = hmac(key, `${messageId}.${seconds}.${body}`).digest('base64');
			return { 'webhook-id': messageId, 'webhook-timestamp': String(seconds), 'webhook-signature': `v1,${signature}` };
		}
	}
}
