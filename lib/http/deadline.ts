import { EventEmitter } from 'node:events';
import { timerDelay } from '../timers';

/**
 * A request's whole-exchange deadline (every redirect hop included): one timer, cleared when the
 * exchange ends, and the listeners that end the exchange when it passes. `AbortSignal.timeout`
 * does the same job, but creating one and passing it to undici costs about as much CPU as the
 * loopback request itself.
 */
export class Deadline extends EventEmitter {
	aborted = false;
	reason: Error | undefined;
	private readonly timer: NodeJS.Timeout;

	constructor(readonly timeoutMs: number) {
		super();
		this.timer = setTimeout(() => this.expire(), timerDelay(timeoutMs));
	}

	private expire(): void {
		this.aborted = true;
		this.reason = new Error(`deadline of ${this.timeoutMs} ms passed`);
		this.reason.name = 'TimeoutError';
		this.emit('abort');
	}

	/** Runs `listener` once when the deadline passes (at once if it has); returns its removal. */
	onExpire(listener: () => void): () => void {
		if (this.aborted) {
			listener();
			return () => undefined;
		}
		this.once('abort', listener);
		return () => this.removeListener('abort', listener);
	}

	/** Ends the deadline: the timer no longer holds the process or fires. */
	clear(): void {
		clearTimeout(this.timer);
	}
}
