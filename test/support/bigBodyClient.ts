// Run in a child process by the transport test: fetches one URL with sendHttp and reports
// what it kept and the process's peak resident memory.
import { sendHttp } from '../../lib/http/transport';

void (async () => {
	const answer = await sendHttp({ method: 'GET', url: process.argv[2], timeoutMs: 30_000 });
	process.stdout.write(
		JSON.stringify({
			keptBytes: Buffer.byteLength(answer.bodyText),
			truncated: answer.bodyTruncated,
			peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
		}),
	);
})();
