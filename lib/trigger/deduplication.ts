/** Remembers delivery ids for a while; `firstSeen` is an atomic check-and-remember. */
export interface DeliveryMemory {
	firstSeen(key: string, windowMs: number, nowMs: number): Promise<boolean>;
}

/** Per-process memory, bounded: expired entries are swept as new ones arrive. */
export class InProcessDeliveryMemory implements DeliveryMemory {
	private readonly expiries = new Map<string, number>();

	constructor(private readonly maxEntries = 100_000) {}

	async firstSeen(key: string, windowMs: number, nowMs: number): Promise<boolean> {
		const expiry = this.expiries.get(key);
		if (expiry !== undefined && expiry > nowMs) return false;
		this.expiries.delete(key);
		if (this.expiries.size >= this.maxEntries) this.sweep(nowMs);
		this.expiries.set(key, nowMs + windowMs);
		return true;
	}

	private sweep(nowMs: number): void {
		for (const [key, expiry] of this.expiries) if (expiry <= nowMs) this.expiries.delete(key);
		// Still full of live entries: forget the oldest (Map keeps insertion order).
		while (this.expiries.size >= this.maxEntries) this.expiries.delete(this.expiries.keys().next().value as string);
	}
}
