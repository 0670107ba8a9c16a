import type { Clock } from '../../lib/dispatch';

/** Real time plus a virtual offset: sleeping advances the offset at once and is recorded. */
export class FakeClock implements Clock {
	private offset = 0;
	readonly sleeps: number[] = [];

	now(): number {
		return Date.now() + this.offset;
	}

	async sleep(ms: number): Promise<void> {
		this.sleeps.push(ms);
		this.offset += ms;
	}
}
