import { NUMERIC_FIELDS, readNumericField } from '../numericFields';
import { credentialOf, MIN_SECRET_LENGTH } from '../redact';
import type { Value } from '../template/values';
import { hasStandardWebhooksPrefix, prepareSecrets, STANDARD_WEBHOOKS_SECRET_PREFIX, standardWebhooksKeyText } from '../verify';

export interface Integration {
	rootUrl: string;
	headers: Record<string, string>;
	secretHeaders: Record<string, string>;
	rateLimitPerSecond: number;
	signingSecret: string;
	/** Whole milliseconds; the credential's `timeoutSeconds` may have decimals (16.1). */
	timeoutMs: number;
	blockPrivateNetworks: boolean;
	/** Values brought into range (a rate limit or timeout past its maximum), said to the user. */
	notices: string[];
}

/** Reads a JSON object of header name → value; the message never quotes a secret field's content. */
export function headerObject(value: Value, field: string, secret: boolean): Record<string, string> {
	if (value === undefined || value === null || value === '') return {};
	let parsed = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch {
			throw new Error(`${field} is not valid JSON${secret ? '' : `: ${value.slice(0, 60)}`}; write an object such as {"X-Team": "qa"}`);
		}
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${field} must be a JSON object of header names and values`);
	return Object.fromEntries(Object.entries(parsed as Record<string, Value>).map(([name, headerValue]) => [name, String(headerValue)]));
}

/**
 * Refuses secret header values too short to mask safely: the value, and its credential when it
 * is written as `<scheme> <credential>` (a receiver may echo the token alone). Names the header,
 * never the value.
 */
function checkSecretHeaders(secretHeaders: Record<string, string>): Record<string, string> {
	for (const [name, value] of Object.entries(secretHeaders)) {
		if (value.length < MIN_SECRET_LENGTH || (credentialOf(value) ?? value).length < MIN_SECRET_LENGTH) {
			throw new Error(
				`Secret Headers (secretHeaders): the value of "${name}" is too short to keep secret; use at least ${MIN_SECRET_LENGTH} characters (after the scheme word, as in "Bearer <token>")`,
			);
		}
	}
	return secretHeaders;
}

/** A secret receivers can verify with: `whsec_` and a base64 key of at least MIN_SECRET_BYTES (an empty key signs for anyone). */
function checkSigningSecret(signingSecret: string): void {
	if (!hasStandardWebhooksPrefix(signingSecret))
		throw new Error(`Signing Secret must be a Standard Webhooks secret starting with ${STANDARD_WEBHOOKS_SECRET_PREFIX}`);
	const prepared = prepareSecrets([{ field: 'Signing Secret', value: signingSecret }], 'signingKey');
	if ('problem' in prepared) throw new Error(`${prepared.field} ${prepared.problem}`);
}

/** Every value of the integration that must never appear in an output, an error or a log. */
export function integrationSecrets(integration: Integration): string[] {
	const signingKey = standardWebhooksKeyText(integration.signingSecret);
	return [...Object.values(integration.secretHeaders), integration.signingSecret, signingKey].filter(Boolean);
}

/** Checks and reads the Webhook Integration credential's fields; errors name the field. */
export function readIntegration(raw: Record<string, Value>): Integration {
	const rootUrl = String(raw.rootUrl ?? '').trim();
	let valid = false;
	try {
		const url = new URL(rootUrl);
		valid = url.protocol === 'http:' || url.protocol === 'https:';
	} catch {
		valid = false;
	}
	if (!valid) throw new Error(`Root URL "${rootUrl}" is not a valid http(s) URL`);
	const signingSecret = String(raw.signingSecret ?? '').trim();
	if (signingSecret) checkSigningSecret(signingSecret);
	const rate = readNumericField(NUMERIC_FIELDS.rateLimitPerSecond, raw.rateLimitPerSecond);
	const timeout = readNumericField(NUMERIC_FIELDS.integrationTimeoutSeconds, raw.timeoutSeconds);
	return {
		rootUrl,
		headers: headerObject(raw.headers, 'Headers', false),
		secretHeaders: checkSecretHeaders(headerObject(raw.secretHeaders, 'Secret Headers', true)),
		rateLimitPerSecond: rate.value,
		signingSecret,
		// Decimals allowed (16.1 s), as whole milliseconds.
		timeoutMs: Math.max(1, Math.round(timeout.value * 1000)),
		blockPrivateNetworks: raw.blockPrivateNetworks === true,
		notices: [rate.notice, timeout.notice].filter((notice) => notice !== undefined),
	};
}
