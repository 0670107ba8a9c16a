/**
 * `npm run scan`: n8n's community-package scanner (@n8n/scan-community-package, the gate for
 * verified community nodes) on the tarball `npm pack` makes, without the registry.
 *
 * The scanner's command line downloads a published package by name; this package is not
 * published yet, so this runs the same analysis on the local tarball: ESLint with the
 * scanner's own configuration (its exported buildScanConfig, inline disable comments
 * ignored, as the scanner does) over the tarball's JS and package.json, as its tarball leg
 * does. It fails on any error except the allowances below, and on an allowance that no
 * longer matches anything, so the list stays exactly what the package needs.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { ESLint } from 'eslint';
import { buildScanConfig } from '@n8n/scan-community-package/scanner/scanner.mjs';

const ROOT = resolve(import.meta.dirname, '..');

/**
 * Rules this package breaks on purpose. Each forbids something n8n Cloud does not allow; the
 * package is for self-hosted n8n only (README, "Install in your n8n"). `name` is the module
 * or global the finding names; `file` (in the tarball) limits an allowance to one file.
 */
const ALLOWED = [
	{
		rule: '@n8n/community-nodes/no-runtime-dependencies',
		reason: 'undici, zod and ioredis are runtime dependencies by design (pooled, proxy-aware HTTP; payload schemas; Redis for queue mode)',
	},
	{
		rule: '@n8n/community-nodes/no-restricted-imports',
		name: 'ioredis',
		reason: "the optional Redis credential: deduplication and rate limits shared by n8n's processes in queue mode (the client n8n itself uses)",
	},
	{
		rule: '@n8n/community-nodes/no-restricted-imports',
		name: 'undici',
		reason: 'the HTTP transport: keep-alive pools per origin, HTTP(S)_PROXY/NO_PROXY, connect-time address checks',
	},
	{
		rule: '@n8n/community-nodes/no-restricted-imports',
		name: 'node:dns',
		reason: 'blockPrivateNetworks resolves host names to check every address before connecting',
	},
	{
		rule: '@n8n/community-nodes/no-restricted-imports',
		name: 'node:net',
		reason: 'IP address checks (blockPrivateNetworks, NO_PROXY) and the socket of the proxy tunnel',
	},
	{ rule: '@n8n/community-nodes/no-restricted-imports', name: 'node:os', reason: "blockPrivateNetworks refuses the host's own interface addresses" },
	{
		rule: '@n8n/community-nodes/no-restricted-imports',
		name: 'node:tls',
		reason: 'the CONNECT tunnel to an https target through a proxy, with its own deadline',
	},
	{
		rule: '@n8n/community-nodes/no-restricted-globals',
		name: 'setTimeout',
		file: 'dist/lib/http/connector.js',
		reason: "the proxy tunnel's connect deadline (no workflow context there for n8n's sleep helpers)",
	},
	{
		rule: '@n8n/community-nodes/no-restricted-globals',
		name: 'clearTimeout',
		file: 'dist/lib/http/connector.js',
		reason: 'clears that deadline once the tunnel is open',
	},
	{
		rule: '@n8n/community-nodes/no-restricted-imports',
		name: 'node:events',
		reason: "each HTTP request's deadline is an EventEmitter, the signal shape undici accepts (an AbortSignal.timeout costs as much CPU as a loopback request)",
	},
	{
		rule: '@n8n/community-nodes/no-restricted-globals',
		name: 'setTimeout',
		file: 'dist/lib/http/deadline.js',
		reason: "that deadline's one timer (n8n's sleep helpers cannot abort an undici request)",
	},
	{ rule: '@n8n/community-nodes/no-restricted-globals', name: 'clearTimeout', file: 'dist/lib/http/deadline.js', reason: 'clears it when the exchange ends' },
	{
		rule: '@n8n/community-nodes/no-restricted-globals',
		name: 'setTimeout',
		file: 'dist/lib/redis/connection.js',
		reason: 'closes a pooled Redis connection nobody used for 30 s (unref: never keeps n8n from exiting)',
	},
	{
		rule: '@n8n/community-nodes/no-restricted-globals',
		name: 'clearTimeout',
		file: 'dist/lib/redis/connection.js',
		reason: 'keeps a pooled Redis connection open when it is used again',
	},
	{
		rule: '@n8n/community-nodes/no-restricted-globals',
		name: 'process',
		file: 'dist/nodes/shared/queueMode.js',
		reason: 'reads EXECUTIONS_MODE to show the queue-mode notice only where n8n runs in queue mode',
	},
	{
		rule: '@n8n/community-nodes/no-restricted-imports',
		name: 'node:zlib',
		file: 'dist/lib/http/answerCollector.js',
		reason:
			"decodes gzip, deflate and br answers as n8n's HTTP Request node does, with back-pressure, the 1 MiB cap counted on the decoded bytes (a decompression bomb stops there)",
	},
	{
		rule: '@n8n/community-nodes/no-restricted-imports',
		name: 'node:timers/promises',
		file: 'dist/nodes/WebhookDispatch/execute.js',
		reason: "Dispatch's waits (backoff, Retry-After, rate limit) end when the execution is stopped: n8n-workflow 2.x has no sleep that takes an abort signal",
	},
	{
		rule: '@n8n/community-nodes/no-restricted-globals',
		name: 'process',
		file: 'dist/lib/http/proxyEnv.js',
		reason: 'reads HTTP_PROXY, HTTPS_PROXY and NO_PROXY, as n8n itself does',
	},
];

/** The module or global a finding names ("Require of 'undici' is not allowed…", "restricted global 'process'"). */
const namedIn = (message) => /(?:Require|Import) of '([^']+)'|restricted global '([^']+)'/.exec(message)?.slice(1).find(Boolean);

const allowanceFor = (finding) =>
	ALLOWED.find(
		(allowed) =>
			allowed.rule === finding.ruleId &&
			(allowed.name === undefined || allowed.name === namedIn(finding.message)) &&
			(allowed.file === undefined || allowed.file === finding.file),
	);

const describe = (allowed) => `${allowed.rule}${allowed.name ? ` (${allowed.name}${allowed.file ? ` in ${allowed.file}` : ''})` : ''}`;

function packAndExtract() {
	const workDir = mkdtempSync(join(tmpdir(), 'scan-package-'));
	const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', workDir], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop();
	const packageDir = join(workDir, 'package');
	mkdirSync(packageDir);
	execFileSync('tar', ['-xzf', join(workDir, tarball), '-C', packageDir, '--strip-components=1']);
	return { workDir, tarball, packageDir };
}

async function lintLikeTheScanner(packageDir) {
	const eslint = new ESLint({ cwd: packageDir, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: await buildScanConfig() });
	const results = await eslint.lintFiles(['**/*.js', 'package.json']);
	return results.flatMap((result) => result.messages.map((message) => ({ ...message, file: relative(packageDir, result.filePath) })));
}

const { workDir, tarball, packageDir } = packAndExtract();
try {
	const findings = await lintLikeTheScanner(packageDir);
	const errors = findings.filter((finding) => finding.severity === 2);
	const refused = errors.filter((error) => !allowanceFor(error));
	const unused = ALLOWED.filter((allowed) => !errors.some((error) => allowanceFor(error) === allowed));
	const line = (finding) => `  ${finding.file}:${finding.line}  ${finding.ruleId ?? 'parse error'}  ${finding.message}`;

	console.log(`n8n community-package scanner on ${tarball}: ${errors.length} error(s), ${findings.length - errors.length} warning(s)`);
	for (const allowed of ALLOWED) {
		const count = errors.filter((error) => allowanceFor(error) === allowed).length;
		console.log(`  allowed ×${count}  ${describe(allowed)}: ${allowed.reason}`);
	}
	for (const warning of findings.filter((finding) => finding.severity !== 2)) console.log(`warning ${line(warning)}`);
	for (const error of refused) console.error(`refused ${line(error)}`);
	for (const allowed of unused) console.error(`allowance no longer needed, remove it: ${describe(allowed)}`);
	if (refused.length > 0 || unused.length > 0) process.exitCode = 1;
	else console.log('scan passed: every error is an allowed rule above');
} finally {
	rmSync(workDir, { recursive: true, force: true });
}
