/**
 * How old a credential read may be when it judges a production delivery: to accept it, and to
 * refuse it. A secret removed from the credential stops verifying within `accepted`; a new
 * secret works within `refused`, because a refusal by an older read is judged again by a newer
 * one (so forged requests cost at most one read per `refused`). The Test URL always reads
 * fresh: that is where a user tries an edit.
 */
export const SECRET_FRESHNESS_SECONDS = { accepted: 5, refused: 1 } as const;

/**
 * A credential a trigger needs on every request (its secrets, the Redis login), read from n8n
 * once for many requests instead of once per request, with a stated bound on how stale a
 * decision can be.
 *
 * n8n does not tell an active trigger that its credential was edited (saving a credential
 * emits `credentials-updated` to n8n's event relays only; active webhooks keep running), and
 * `getCredentials()` in a webhook costs a database read, a decryption and a fresh expression
 * sandbox (n8n 2.x builds a mock workflow and acquires an isolated-vm isolate for it).
 *
 * - `get`: the answer comes from a read that *started after the request arrived*. Requests
 *   arriving while a read is in flight share the next read, which starts the moment the current
 *   one ends, so under load one read serves every request that came in meanwhile, and a
 *   credential saved before a request arrived is what that request sees.
 * - `recent`: a read that started at most `maxAgeMs` ago is good enough, and the answer says
 *   when its read started, so a caller can ask again with a smaller bound when it matters.
 *
 * What a read yields is prepared once per distinct credential content (`prepare`, e.g. key
 * decoding; two reads are the same content when they hold the same values, see `sameContent`)
 * and kept only in this process's memory: nothing is written to workflow static data.
 */
export class CoalescedCredentialReader<Read, Prepared = Read> {
	private readonly slots = new Map<string, Slot<Read, Prepared>>();
	private readonly prepare: (read: Read) => Prepared;
	private readonly maxScopes: number;
	private readonly now: () => number;

	constructor(options: {
		prepare: (read: Read) => Prepared;
		/** Scopes remembered at most (one per trigger and credential); the oldest is dropped. */
		maxScopes?: number;
		now?: () => number;
	}) {
		this.prepare = options.prepare;
		this.maxScopes = options.maxScopes ?? 1000;
		this.now = options.now ?? (() => Date.now());
	}

	/**
	 * The prepared credential of `scope` from a read that starts now or, if one is running, right
	 * after it. `read` fetches the credential's current content (n8n's `getCredentials`).
	 */
	async get(scope: string, read: () => Promise<Read>): Promise<Prepared> {
		return (await this.freshRead(this.slot(scope), read)).value;
	}

	/**
	 * The prepared credential of `scope` from a read that started at most `maxAgeMs` ago (a
	 * finished one, else the one in flight), or from a fresh read as `get` makes one (always,
	 * when `maxAgeMs` is 0).
	 */
	async recent(scope: string, read: () => Promise<Read>, maxAgeMs: number): Promise<CredentialRead<Prepared>> {
		const slot = this.slot(scope);
		// 0: only a read that starts after this call (one in the same millisecond may not).
		const oldestStart = maxAgeMs > 0 ? this.now() - maxAgeMs : Infinity;
		if (slot.prepared && slot.prepared.startedAt >= oldestStart) return { value: slot.prepared.value, startedAt: slot.prepared.startedAt };
		if (slot.running && slot.running.startedAt >= oldestStart) return await slot.running.read;
		return await this.freshRead(slot, read);
	}

	private slot(scope: string): Slot<Read, Prepared> {
		let slot = this.slots.get(scope);
		if (!slot) {
			if (this.slots.size >= this.maxScopes) this.slots.delete(this.slots.keys().next().value!);
			slot = {};
			this.slots.set(scope, slot);
		}
		return slot;
	}

	private async freshRead(slot: Slot<Read, Prepared>, read: () => Promise<Read>): Promise<CredentialRead<Prepared>> {
		if (!slot.running) return await this.start(slot, read);
		// The running read may have started before this request arrived: wait for the next one.
		slot.next ??= slot.running.read.then(noop, noop).then(async () => {
			slot.next = undefined;
			return await this.start(slot, read);
		});
		return await slot.next;
	}

	private start(slot: Slot<Read, Prepared>, read: () => Promise<Read>): Promise<CredentialRead<Prepared>> {
		const startedAt = this.now();
		const prepared = (async () => {
			const content = await read();
			if (!slot.prepared || !sameContent(slot.prepared.content, content)) {
				slot.prepared = { content, value: this.prepare(content), startedAt };
			} else {
				// Reads of a scope run one after another, so this one is the newest.
				slot.prepared.startedAt = startedAt;
			}
			return { value: slot.prepared.value, startedAt };
		})();
		slot.running = { read: prepared, startedAt };
		// Registered before anyone can chain the next read on this one, so it runs first.
		const clear = () => {
			slot.running = undefined;
		};
		prepared.then(clear, clear);
		return prepared;
	}
}

/** A prepared credential, and when the read that gave it started (epoch ms). */
export interface CredentialRead<Prepared> {
	value: Prepared;
	startedAt: number;
}

interface Slot<Read, Prepared> {
	/** The read in flight, and when it started. */
	running?: { read: Promise<CredentialRead<Prepared>>; startedAt: number };
	/** The read that starts when `running` ends, shared by everyone who arrived meanwhile. */
	next?: Promise<CredentialRead<Prepared>>;
	/** The last content read, what was prepared from it, and when the read that gave it started. */
	prepared?: { content: Read; value: Prepared; startedAt: number };
}

const noop = () => undefined;

/**
 * Whether two reads hold the same content: the same values under the same keys or indexes.
 * Credentials are flat (a list of secrets, a Redis login), so one level is all there is; not
 * `util.isDeepStrictEqual`, because n8n's community package rules refuse `node:util`.
 */
function sameContent(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
	const left = a as Record<string, unknown>;
	const right = b as Record<string, unknown>;
	const keys = Object.keys(left);
	return keys.length === Object.keys(right).length && keys.every((key) => Object.hasOwn(right, key) && left[key] === right[key]);
}
