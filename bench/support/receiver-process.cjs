/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS file: preloaded with --require, or forked as is */
// A loopback HTTP receiver in its own process (so it does not share the event loop of what is
// measured): answers 200 {"ok":true} at once and, on request, reports arrival times.
//   node receiver-process.cjs   → prints its port; GET /__times returns [ms since start…] and resets
const http = require('node:http');
const { performance } = require('node:perf_hooks');

let times = [];
const server = http.createServer((req, res) => {
	if (req.url === '/__times') {
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(JSON.stringify(times));
		times = [];
		return;
	}
	req.on('data', () => undefined);
	req.on('end', () => {
		times.push(performance.timeOrigin + performance.now());
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end('{"ok":true}');
	});
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('disconnect', () => process.exit(0));
