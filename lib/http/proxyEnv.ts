import { isIP } from 'node:net';

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/** Whether NO_PROXY (comma- or space-separated; `*`, `host`, `.domain`, `*.domain`, `host:port`) exempts the URL. */
function exempt(url: URL, noProxy: string): boolean {
	const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
	const port = Number(url.port) || DEFAULT_PORTS[url.protocol];
	return noProxy
		.split(/[\s,]+/)
		.filter(Boolean)
		.some((entry) => {
			if (entry === '*') return true;
			const lower = entry.toLowerCase();
			const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(lower);
			const [name, entryPort] = bracketed ? [bracketed[1], bracketed[2]] : isIP(lower) ? [lower, undefined] : lower.split(':');
			if (entryPort && Number(entryPort) !== port) return false;
			const domain = name.replace(/^\*?\./, '');
			return host === domain || host.endsWith(`.${domain}`);
		});
}

/** A scheme as URLs start with it; without one, "proxy.corp:3128" would parse as the scheme "proxy.corp:". */
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * A proxy variable's value as a URL: without a scheme (`127.0.0.1:3128`, `proxy.corp:3128`)
 * it is an HTTP proxy, as curl and n8n read it. The error names the variable, never the
 * value, which may hold the proxy's password.
 */
function proxyUrl(variable: string, value: string): URL {
	const written = value.trim();
	let url: URL;
	try {
		url = new URL(HAS_SCHEME.test(written) ? written : `http://${written}`);
	} catch {
		throw new Error(`${variable} is not a valid proxy URL; write it as http://host:port`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:')
		throw new Error(`${variable} uses ${url.protocol}//, but only http:// and https:// proxies are supported`);
	return url;
}

/** The first of the variables that is set (lower case wins, as curl reads them): its name and value. */
function firstSet(env: NodeJS.ProcessEnv, names: string[]): [string, string] | undefined {
	const name = names.find((candidate) => env[candidate]?.trim());
	return name === undefined ? undefined : [name, env[name]!];
}

/** The proxy HTTP_PROXY / HTTPS_PROXY name for a URL, unless NO_PROXY exempts it. */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv = process.env): URL | undefined {
	const httpNames = ['http_proxy', 'HTTP_PROXY'];
	const proxy = firstSet(env, url.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY', ...httpNames] : httpNames);
	if (!proxy || exempt(url, env.no_proxy ?? env.NO_PROXY ?? '')) return undefined;
	return proxyUrl(...proxy);
}
