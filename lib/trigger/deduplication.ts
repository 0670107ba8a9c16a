/** Remembers delivery ids for a while; `firstSeen` is an atomic check-and-remember. */
export interface DeliveryMemory {
	firstSeen(key: string, windowMs: number, nowMs: number): Promise<boolean>;
}

interface Remembered {
	key: string;
	expiry: number;
	next?: Remembered;
}

/** Entries of one window length, oldest first (a singly linked queue). */
interface Queue {
	oldest?: Remembered;
	newest?: Remembered;
}

/**
 * Per-process memory, bounded, with O(1) work per delivery. A trigger's window is the same for
 * all its deliveries and time only moves on, so in a queue per window length insertion order
 * is expiry order: expired entries are at the front. (Iterating a JavaScript Map from its
 * start is no substitute: V8 skips the slots of deleted entries one by one, so evicting from
 * the front of a large Map costs time proportional to what was evicted before.)
 */
export class InProcessDeliveryMemory implements DeliveryMemory {
	/** Key → expiry (epoch ms) of every live entry: the lookup. */
	private readonly expiries = new Map<string, number>();
	/** Window length → its entries in insertion order: the eviction order. */
	private readonly queues = new Map<number, Queue>();

	constructor(private readonly maxEntries = 100_000) {}

	async firstSeen(key: string, windowMs: number, nowMs: number): Promise<boolean> {
		this.forgetExpired(nowMs);
		const expiry = this.expiries.get(key);
		if (expiry !== undefined && expiry > nowMs) return false;
		while (this.expiries.size >= this.maxEntries) this.forgetOldest();
		const entry: Remembered = { key, expiry: nowMs + windowMs };
		this.expiries.set(key, entry.expiry);
		let queue = this.queues.get(windowMs);
		if (!queue) this.queues.set(windowMs, (queue = {}));
		if (queue.newest) queue.newest.next = entry;
		else queue.oldest = entry;
		queue.newest = entry;
		return true;
	}

	/** Amortized O(1): each entry leaves its queue once; the scan stops at the first live one. */
	private forgetExpired(nowMs: number): void {
		for (const [windowMs, queue] of this.queues) {
			while (queue.oldest && queue.oldest.expiry <= nowMs) this.dequeue(windowMs, queue);
		}
	}

	/** Full of live entries: forget the one remembered longest ago, at the front of some queue. */
	private forgetOldest(): void {
		let oldest: { windowMs: number; queue: Queue; since: number } | undefined;
		for (const [windowMs, queue] of this.queues) {
			const since = queue.oldest!.expiry - windowMs;
			if (!oldest || since < oldest.since) oldest = { windowMs, queue, since };
		}
		this.dequeue(oldest!.windowMs, oldest!.queue);
	}

	private dequeue(windowMs: number, queue: Queue): void {
		const entry = queue.oldest!;
		// A key seen again after it expired has a newer entry; this one no longer speaks for it.
		if (this.expiries.get(entry.key) === entry.expiry) this.expiries.delete(entry.key);
		queue.oldest = entry.next;
		if (!queue.oldest) this.queues.delete(windowMs);
	}
}
