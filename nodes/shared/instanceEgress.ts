import { lookup as dnsLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { EgressPolicy } from '../../lib/http/transport';

/** The part of n8n 2.x's `this.helpers.getSecureEgressFilter()` this package uses. */
interface SecureEgressFilter {
	createSecureLookup(): LookupFunction;
}

const policies = new WeakMap<SecureEgressFilter, EgressPolicy | undefined>();

/**
 * The n8n instance's outbound policy (n8n 2.x: `N8N_SSRF_PROTECTION_ENABLED` with its allowed
 * and blocked IP ranges and host names) as an EgressPolicy for this package's own HTTP client.
 * Undefined where there is nothing to apply: on n8n 1.x, which has no such helper, and when the
 * instance leaves the policy off (its filter then resolves with plain `dns.lookup`; applying
 * that would only make a proxied request resolve its target locally).
 */
export function instanceEgress(helpers: object): EgressPolicy | undefined {
	const getFilter = (helpers as { getSecureEgressFilter?: () => SecureEgressFilter }).getSecureEgressFilter;
	if (typeof getFilter !== 'function') return undefined;
	const filter = getFilter.call(helpers);
	// One policy object per filter: the transport keeps connection pools per policy.
	if (!policies.has(filter)) {
		const lookup = filter.createSecureLookup();
		policies.set(filter, lookup === dnsLookup ? undefined : { lookup });
	}
	return policies.get(filter);
}
