import { createHmac } from 'node:crypto';
import { header } from '../http/headers';
import { matchesAny, matchesAnyExpected } from './crypto';
import { credentialSecrets } from './secrets';
import { checkStandardWebhookSignature } from './standardWebhooks';
import { checkFreshness, mismatch, parseEpoch, refuse, type Verification, type VerificationInput } from './verification';

/** Proofs several sources share, each checked against the trigger credential's secrets. */

/** Currents: a custom header holding a shared secret, and `x-timestamp` on every request. */
export function verifySharedHeader(input: VerificationInput, headerName: string): Verification {
	const secrets = credentialSecrets(input.secrets, 'text');
	if ('ok' in secrets) return secrets;
	const presented = header(input.headers, headerName);
	if (presented === undefined) return refuse(`missing header ${headerName}`);
	if (!matchesAnyExpected(presented, secrets.expectedTexts)) return mismatch(`wrong value in header ${headerName}`);
	const stamp = header(input.headers, 'x-timestamp');
	if (stamp === undefined) return refuse('missing header x-timestamp');
	const timestampMs = parseEpoch(stamp);
	if (timestampMs === undefined) return refuse('header x-timestamp is not an epoch time');
	return checkFreshness(timestampMs, input, 'header x-timestamp');
}

/** Maestro Cloud: the project's webhook token as `Authorization: Bearer <token>`. */
export function verifyBearer(input: VerificationInput): Verification {
	const secrets = credentialSecrets(input.secrets, 'text');
	if ('ok' in secrets) return secrets;
	const authorization = header(input.headers, 'authorization');
	if (authorization === undefined) return refuse('missing header Authorization');
	const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
	if (!match) return refuse('header Authorization is not a Bearer token');
	if (!matchesAnyExpected(match[1], secrets.expectedTexts)) return mismatch('wrong token in header Authorization');
	return { ok: true };
}

/**
 * `sha256=<hex HMAC-SHA256>` in one header (no list): over the raw body (Autosana, GitHub), or,
 * with `timestampHeader`, over `<timestamp>.<raw body>` with that header in epoch seconds
 * within the tolerance (Cypress Cloud).
 */
export function verifyHexSignature(input: VerificationInput, headerName: string, timestampHeader?: string): Verification {
	const prepared = credentialSecrets(input.secrets, 'text');
	if ('ok' in prepared) return prepared;
	const secrets = prepared.texts;
	const signature = header(input.headers, headerName);
	if (signature === undefined) return refuse(`missing header ${headerName}`);
	if (!signature.startsWith('sha256=')) return refuse(`header ${headerName} does not start with sha256=`);
	let signedPrefix = '';
	if (timestampHeader !== undefined) {
		const stamp = header(input.headers, timestampHeader);
		if (stamp === undefined) return refuse(`missing header ${timestampHeader}`);
		if (!/^\d{1,12}$/.test(stamp)) return refuse(`header ${timestampHeader} is not epoch seconds`);
		const fresh = checkFreshness(Number(stamp) * 1000, input, `header ${timestampHeader}`);
		if (!fresh.ok) return fresh;
		signedPrefix = `${stamp}.`;
	}
	const presented = signature.slice('sha256='.length).toLowerCase();
	const expected = secrets.map((secret) => createHmac('sha256', secret).update(signedPrefix).update(input.rawBody).digest('hex'));
	if (!matchesAny(presented, expected)) return mismatch(`signature in header ${headerName} does not match the body`);
	return { ok: true };
}

/** Standard Webhooks: webhook-id, webhook-timestamp (seconds), webhook-signature (`v1,<b64>` list). */
export function verifyStandardWebhook(input: VerificationInput): Verification {
	const secrets = credentialSecrets(input.secrets, 'signingKey');
	if ('ok' in secrets) return secrets;
	return checkStandardWebhookSignature(input, secrets.signingKeys);
}
