import type { Value } from '../template/values';

export interface Integration {
	rootUrl: string;
	headers: Record<string, string>;
	secretHeaders: Record<string, string>;
	rateLimitPerSecond: number;
	signingSecret: string;
	timeoutSeconds: number;
	blockPrivateNetworks: boolean;
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
	if (signingSecret && !signingSecret.startsWith('whsec_')) throw new Error('Signing Secret must be a Standard Webhooks secret starting with whsec_');
	return {
		rootUrl,
		headers: headerObject(raw.headers, 'Headers', false),
		secretHeaders: headerObject(raw.secretHeaders, 'Secret Headers', true),
		rateLimitPerSecond: Number(raw.rateLimitPerSecond ?? 0),
		signingSecret,
		timeoutSeconds: Number(raw.timeoutSeconds ?? 30) || 30,
		blockPrivateNetworks: raw.blockPrivateNetworks === true,
	};
}
