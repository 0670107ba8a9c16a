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

/** The proxy HTTP_PROXY / HTTPS_PROXY name for a URL (lower case wins, as curl reads them), unless NO_PROXY exempts it. */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv = process.env): URL | undefined {
	const httpProxy = env.http_proxy ?? env.HTTP_PROXY;
	const proxy = url.protocol === 'https:' ? (env.https_proxy ?? env.HTTPS_PROXY ?? httpProxy) : httpProxy;
	if (!proxy || exempt(url, env.no_proxy ?? env.NO_PROXY ?? '')) return undefined;
	return new URL(proxy);
}
