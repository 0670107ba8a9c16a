import { expected, type Expected } from './crypto';
import { decodeStandardWebhooksKey, hasStandardWebhooksPrefix, STANDARD_WEBHOOKS_SECRET_PREFIX, standardWebhooksKeyText } from './standardWebhooks';
import { refuse, type Refusal } from './verification';

/**
 * The least key material a secret must hold (16 bytes, 128 bits): with an empty or tiny key
 * anyone can compute a valid proof, so such a secret is refused wherever it is used.
 */
export const MIN_SECRET_BYTES = 16;

const textKeyBytes = (secret: string): number => Buffer.byteLength(secret.trim(), 'utf8');

/**
 * How a secret holds its key:
 * - `text`: the text is the key (an HMAC key, a shared header value, a bearer token);
 * - `signingKey`: a Standard Webhooks key, `whsec_<base64>` or bare base64, decoded;
 * - `signingKeyOrText`: `signingKey` when it starts with `whsec_`, else `text` (GitLab's signing
 *   and secret tokens; the credential test, which does not know the trigger's source).
 */
export type SecretForm = 'text' | 'signingKey' | 'signingKeyOrText';

/** A secret and the credential field it comes from (named in a refusal, never the value). */
export interface NamedSecret {
	field: string;
	value: string;
}

/** What a proof is checked with, derived once from the secrets. */
export interface PreparedSecrets {
	/** Secrets used as text, in credential order. */
	texts: readonly string[];
	/** `texts` hashed, for comparing a presented value in constant time. */
	expectedTexts: readonly Expected[];
	/** Standard Webhooks keys, decoded. */
	signingKeys: readonly Buffer[];
}

/** Why a secret cannot be used, as `<field> <problem>`; `remedy` ends "refuses … until it is <remedy>". */
export interface SecretRefusal {
	field: string;
	problem: string;
	remedy: string;
}

const TOO_SHORT = `holds less than ${MIN_SECRET_BYTES} bytes of key material`;
const LONGER = 'set to a longer secret';

/** The one secret policy: every secret is prepared as its form says, or the first unusable one is refused. */
export function prepareSecrets(secrets: readonly NamedSecret[], form: SecretForm): PreparedSecrets | SecretRefusal {
	const texts: string[] = [];
	const signingKeys: Buffer[] = [];
	for (const { field, value } of secrets) {
		const refusal = (problem: string, remedy = LONGER): SecretRefusal => ({ field, problem, remedy });
		if (value.trim() === '') return refusal('is empty');
		if (form === 'text' || (form === 'signingKeyOrText' && !hasStandardWebhooksPrefix(value))) {
			if (textKeyBytes(value) < MIN_SECRET_BYTES) return refusal(TOO_SHORT);
			texts.push(value);
			continue;
		}
		if (standardWebhooksKeyText(value) === '') return refusal(`${TOO_SHORT} (nothing follows ${STANDARD_WEBHOOKS_SECRET_PREFIX})`);
		const { key, base64 } = decodeStandardWebhooksKey(value);
		if (key.length < MIN_SECRET_BYTES) return refusal(base64 ? TOO_SHORT : `${TOO_SHORT} (its key is not base64)`);
		if (!base64) return refusal('has a key that is not base64', 'corrected');
		signingKeys.push(key);
	}
	return { texts, expectedTexts: texts.map(expected), signingKeys };
}

/** The trigger credential's secrets by field: `secret`, then `previousSecret` unless empty (there is none). */
export function triggerCredentialSecrets(values: readonly string[]): NamedSecret[] {
	const [current = '', ...previous] = values;
	return [{ field: 'secret', value: current }, ...previous.filter((value) => value.trim() !== '').map((value) => ({ field: 'previousSecret', value }))];
}

export function sameSecrets(a: readonly string[], b: readonly string[]): boolean {
	if (a.length !== b.length) return false;
	// A loop, not every(): this runs on every request.
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

/**
 * The trigger credential's secrets prepared once per distinct values and form, not once per
 * request: keyed by the current secret (a string keeps its hash once computed), then compared
 * whole. Bounded: beyond `maxEntries` the oldest entry is dropped.
 */
export class PreparedSecretsCache {
	private readonly entries = new Map<string, { values: readonly string[]; byForm: Partial<Record<SecretForm, PreparedSecrets | SecretRefusal>> }>();

	constructor(private readonly maxEntries = 256) {}

	get(values: readonly string[], form: SecretForm): PreparedSecrets | SecretRefusal {
		const current = values[0] ?? '';
		let entry = this.entries.get(current);
		if (!entry || !sameSecrets(entry.values, values)) {
			this.entries.delete(current);
			if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
			entry = { values: [...values], byForm: {} };
			this.entries.set(current, entry);
		}
		return (entry.byForm[form] ??= prepareSecrets(triggerCredentialSecrets(values), form));
	}
}

const triggerSecrets = new PreparedSecretsCache();

/** The trigger's secrets prepared for its source's proof, or a 401 naming the field at fault. */
export function credentialSecrets(values: readonly string[], form: SecretForm): PreparedSecrets | Refusal {
	const prepared = triggerSecrets.get(values, form);
	if (!('problem' in prepared)) return prepared;
	return refuse(`the credential field ${prepared.field} ${prepared.problem}; this trigger refuses every request until it is ${prepared.remedy}`);
}

/** The credential test's verdict on the trigger credential: what is wrong, or undefined when the trigger can use it. */
export function secretCredentialProblem(data: Readonly<Record<string, unknown>>): string | undefined {
	const named = triggerCredentialSecrets([data.secret, data.previousSecret].map((value) => (typeof value === 'string' ? value : '')));
	// The trigger would take them as typed, but spaces around a secret are almost always a paste slip.
	const padded = named.find(({ value }) => value !== value.trim());
	if (padded) return `The ${padded.field} has spaces around it`;
	const prepared = prepareSecrets(named, 'signingKeyOrText');
	return 'problem' in prepared ? `The ${prepared.field} ${prepared.problem}: the trigger refuses every request until it is ${prepared.remedy}` : undefined;
}
