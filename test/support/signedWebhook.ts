import { createHmac } from 'node:crypto';

/**
 * The signedWebhook settings the shared tests use: a sender that signs like Cypress Cloud
 * (`sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`), with its own event names and a run
 * nested in the body (test/fixtures/signed-webhook-run.json).
 */
export const SIGNED_WEBHOOK_SETTINGS = {
	signatureHeader: 'X-Signature',
	signatureAlgorithm: 'sha256',
	signatureEncoding: 'hex',
	signaturePrefix: 'sha256=',
	signedContent: '{timestamp}.{body}',
	timestampHeader: 'X-Signature-Timestamp',
	deliveryIdHeader: 'X-Delivery-Id',
	eventField: 'type',
	runStartValues: 'test_run.started',
	runFinishValues: 'test_run.finished',
	runTimeoutValues: 'test_run.timed_out',
	runCanceledValues: 'test_run.canceled, test_run.cancelled',
	statusField: 'data.run.result',
	failedValues: 'failed, errored',
	runFields: {
		id: 'data.run.id',
		name: 'data.run.title',
		url: 'data.run.html_url',
		startedAt: 'data.run.started_at',
		endedAt: 'data.run.finished_at',
		branch: 'data.run.git.branch',
		commit: 'data.run.git.sha',
	},
};

/** The headers that sender attaches, signed here from its recipe (node:crypto, not the package's verifier). */
export function signedWebhookHeaders(body: string, secret: string, nowMs: number, deliveryId: string): Record<string, string> {
	const seconds = String(Math.floor(nowMs / 1000));
	const signature = createHmac('sha256', secret).update(`${seconds}.${body}`).digest('hex');
	return { 'X-Signature': `sha256=${signature}`, 'X-Signature-Timestamp': seconds, 'X-Delivery-Id': deliveryId };
}

export type RecipeAlgorithm = 'sha256' | 'sha512' | 'sha1';
export type RecipeEncoding = 'hex' | 'base64';
export type RecipeContent = '{body}' | '{timestamp}.{body}' | '{id}.{timestamp}.{body}';

/** How a configurable HMAC sender signs (the Signed Webhook source's settings, by meaning). */
export interface SignerScheme {
	algorithm: RecipeAlgorithm;
	encoding: RecipeEncoding;
	prefix: string;
	content: RecipeContent;
}

/** That sender's recipe, written here (node:crypto): HMAC over the chosen content, its parts joined by dots, encoded, after the prefix. */
export function signByRecipe(scheme: SignerScheme, secret: string, { body, timestamp, id }: { body: string; timestamp: string; id: string }): string {
	const message = { '{body}': body, '{timestamp}.{body}': `${timestamp}.${body}`, '{id}.{timestamp}.{body}': `${id}.${timestamp}.${body}` }[scheme.content];
	return scheme.prefix + createHmac(scheme.algorithm, secret).update(message).digest(scheme.encoding);
}
