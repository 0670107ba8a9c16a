import type { IncomingHttpHeaders } from 'node:http';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Dispatcher } from 'undici';
import type { Deadline } from './deadline';

export interface CollectedAnswer {
	statusCode: number;
	headers: Record<string, string>;
	text: string;
	truncated: boolean;
}

const DECODERS: Record<string, () => NodeJS.ReadWriteStream & { destroy(): void }> = {
	gzip: createGunzip,
	'x-gzip': createGunzip,
	deflate: createInflate,
	br: createBrotliDecompress,
};

export function flattenHeaders(raw: IncomingHttpHeaders): Record<string, string> {
	const flat: Record<string, string> = {};
	for (const [name, value] of Object.entries(raw)) {
		if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	return flat;
}

/** Why an exchange was cut short on our side: the kept body reached the cap, or did not decode. */
const CUT_SHORT = new Error('answer kept as far as it came');

/**
 * One exchange read straight from undici's dispatch callbacks: no response stream, no promise
 * per chunk, no abort signal (each of those costs about as much CPU as a loopback request).
 *
 * Rejects with what undici or the deadline gave when no status arrived. Once the status arrived
 * the answer stands: a body cut off (reset, deadline, the cap, a coding that does not decode) is
 * kept as far as it came and marked truncated. The body is decoded (gzip, deflate, br) before
 * the cap counts it, and reading stops at the cap, so a decompression bomb costs no more.
 */
class AnswerCollector implements Dispatcher.DispatchHandler {
	private controller: Dispatcher.DispatchController | undefined;
	private statusCode = 0;
	private headers: Record<string, string> = {};
	private decoder: (NodeJS.ReadWriteStream & { destroy(): void }) | undefined;
	private readonly parts: Buffer[] = [];
	private kept = 0;
	private settled = false;
	private readonly stopListening: () => void;

	constructor(
		private readonly deadline: Deadline,
		private readonly limit: number,
		private readonly resolve: (answer: CollectedAnswer) => void,
		private readonly reject: (error: unknown) => void,
	) {
		// undici only starts a request once a connection carries it: the deadline must also end
		// one still queued behind a proxy that never answers.
		this.stopListening = deadline.onExpire(() => this.fail(deadline.reason));
	}

	onRequestStart(controller: Dispatcher.DispatchController): void {
		this.controller = controller;
		if (this.settled) controller.abort(this.deadline.reason ?? CUT_SHORT);
	}

	onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
		// 1xx (103 Early Hints) precede the answer.
		if (statusCode < 200 || this.settled) return;
		this.statusCode = statusCode;
		this.headers = flattenHeaders(headers);
		const makeDecoder = DECODERS[(this.headers['content-encoding'] ?? '').trim().toLowerCase()];
		if (!makeDecoder) return;
		const decoder = (this.decoder = makeDecoder());
		decoder.on('data', (chunk: Buffer) => this.keep(chunk));
		decoder.once('end', () => this.finish(false));
		// `on`, not `once`: an error after the first (a write racing destroy) must not go unheard.
		decoder.on('error', () => this.finish(true));
		decoder.on('drain', () => controller.resume());
	}

	onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
		if (this.settled) return;
		if (!this.decoder) this.keep(chunk);
		else if (!this.decoder.write(chunk)) controller.pause();
	}

	onResponseEnd(): void {
		if (this.settled) return;
		if (this.decoder) this.decoder.end();
		else this.finish(false);
	}

	onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
		this.fail(error);
	}

	/** Before the status: the exchange failed; after it: the body ends here. */
	private fail(error: unknown): void {
		if (this.statusCode !== 0) return this.finish(true);
		if (this.settled) return;
		this.settled = true;
		this.stopListening();
		this.controller?.abort(error as Error);
		this.reject(error);
	}

	private keep(chunk: Buffer): void {
		const room = this.limit - this.kept;
		if (chunk.length > room) {
			this.parts.push(chunk.subarray(0, room));
			this.kept = this.limit;
			return this.finish(true);
		}
		this.parts.push(chunk);
		this.kept += chunk.length;
	}

	private finish(truncated: boolean): void {
		if (this.settled) return;
		this.settled = true;
		this.stopListening();
		this.decoder?.destroy();
		if (truncated) this.controller?.abort(CUT_SHORT);
		const bytes = Buffer.concat(this.parts, this.kept);
		// A multi-byte character cut at the end of what was kept is dropped rather than shown broken.
		const text = truncated ? new TextDecoder().decode(bytes, { stream: true }) : bytes.toString('utf8');
		this.resolve({ statusCode: this.statusCode, headers: this.headers, text, truncated });
	}
}

/** Sends one request through `dispatcher` and collects its answer (see AnswerCollector). */
export function exchange(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions, bounds: { deadline: Deadline; limit: number }): Promise<CollectedAnswer> {
	return new Promise((resolve, reject) => {
		dispatcher.dispatch(options, new AnswerCollector(bounds.deadline, bounds.limit, resolve, reject));
	});
}
