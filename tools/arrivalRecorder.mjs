// A loopback receiver in its own process, for measuring arrival rates: it notes the time each
// request arrives (its first byte, not its end) and answers 200 {"ok":true}. Kept apart from
// the test process so a busy test process cannot bunch the timestamps; started with a higher
// priority when allowed (tools/timingReceiver.ts starts it). Prints its port; GET /__arrivals lists
// {method, url, at, body} of every request so far.
import { createServer } from 'node:http';

const arrivals = [];
const server = createServer((req, res) => {
	const at = Date.now();
	if (req.method === 'GET' && req.url === '/__arrivals') {
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(JSON.stringify(arrivals));
		return;
	}
	const chunks = [];
	req.on('data', (chunk) => chunks.push(chunk));
	req.on('end', () => {
		arrivals.push({ method: req.method, url: req.url, at, body: Buffer.concat(chunks).toString('utf8') });
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end('{"ok":true}');
	});
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(String(server.address().port)));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
