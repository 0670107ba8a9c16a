// Run in a child process by the transport test: fetches one URL with sendHttp and reports
// what it kept and the process's peak resident memory.
import { readFileSync } from 'node:fs';
import { sendHttp } from '../../lib/http/transport';

/**
 * This process's peak resident memory. Not resourceUsage().maxRSS: Linux carries the parent's
 * resident size at fork into the child's maxRSS, so a busy test worker made this read 250 MiB.
 * VmHWM belongs to the memory of this program alone, reset by exec.
 */
function peakRssMiB(): number {
	const vmHwmKiB = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
	return Math.round(Number(vmHwmKiB ?? process.resourceUsage().maxRSS) / 1024);
}

void (async () => {
	const answer = await sendHttp({ method: 'GET', url: process.argv[2], timeoutMs: 30_000 });
	process.stdout.write(
		JSON.stringify({
			keptBytes: Buffer.byteLength(answer.bodyText),
			truncated: answer.bodyTruncated,
			peakRssMiB: peakRssMiB(),
		}),
	);
})();
