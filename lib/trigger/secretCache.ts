import { sameSecrets } from '../verify/secrets';

/**
 * How long a production delivery may be judged by a credential read that started before it
 * arrived. A secret removed from the credential stops verifying within this bound; a new
 * secret works at once, because a refusal judged by such a read is judged again by a fresh
 * one. The Test URL always reads fresh: that is where a user tries an edit.
 */
export const SECRET_FRESHNESS_SECONDS = 5;

/**
 * The secrets a trigger verifies with, read from n8n once for many requests instead of once per
 * request, with a stated bound on how stale a decision can be.
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
 * - `recent`: a read that started at most `maxAgeMs` ago is good enough. The caller asks `get`
 *   when the answer was not `fresh` and it matters (a refusal), so a new secret works at once
 *   and only a removed one lingers, for at most `maxAgeMs`.
 *
 * What a read yields is prepared once per distinct credential content (`prepare`, e.g. key
 * decoding) and kept only in this process's memory: nothing is written to workflow static data.
 */
export class CoalescedSecretReader<T> {
	private readonly slots = new Map<string, Slot<T>>();
	private readonly prepare: (secrets: readonly string[]) => T;
	private readonly maxScopes: number;
	private readonly now: () => number;

	constructor(options: {
		prepare: (secrets: readonly string[]) => T;
		/** Scopes remembered at most (one per trigger and credential); the oldest is dropped. */
		maxScopes?: number;
		now?: () => number;
	}) {
		this.prepare = options.prepare;
		this.maxScopes = options.maxScopes ?? 1000;
		this.now = options.now ?? (() => Date.now());
	}

	/**
	 * The prepared secrets of `scope` from a read that starts now or, if one is running, right
	 * after it. `read` fetches the current secrets (n8n's `getCredentials`).
	 */
	async get(scope: string, read: () => Promise<readonly string[]>): Promise<T> {
		const slot = this.slot(scope);
		if (!slot.running) return await this.start(slot, read);
		// The running read may have started before this request arrived: wait for the next one.
		slot.next ??= slot.running.value.then(noop, noop).then(async () => {
			slot.next = undefined;
			return await this.start(slot, read);
		});
		return await slot.next;
	}

	/**
	 * The prepared secrets of `scope` from a read that started at most `maxAgeMs` ago (a
	 * finished one, else the one in flight), or from a fresh read as `get` makes one.
	 */
	async recent(scope: string, read: () => Promise<readonly string[]>, maxAgeMs: number): Promise<SecretRead<T>> {
		const slot = this.slot(scope);
		const oldestStart = this.now() - maxAgeMs;
		if (slot.prepared && slot.prepared.startedAt >= oldestStart) return { value: slot.prepared.value, fresh: false };
		if (slot.running && slot.running.startedAt >= oldestStart) return { value: await slot.running.value, fresh: false };
		return { value: await this.get(scope, read), fresh: true };
	}

	/** Forgets a scope (its trigger was deactivated). */
	forget(scope: string): void {
		this.slots.delete(scope);
	}

	private slot(scope: string): Slot<T> {
		let slot = this.slots.get(scope);
		if (!slot) {
			if (this.slots.size >= this.maxScopes) this.slots.delete(this.slots.keys().next().value!);
			slot = {};
			this.slots.set(scope, slot);
		}
		return slot;
	}

	private start(slot: Slot<T>, read: () => Promise<readonly string[]>): Promise<T> {
		const startedAt = this.now();
		const value = (async () => {
			const secrets = await read();
			if (!slot.prepared || !sameSecrets(slot.prepared.secrets, secrets)) {
				slot.prepared = { secrets: [...secrets], value: this.prepare(secrets), startedAt };
			} else {
				// Reads of a scope run one after another, so this one is the newest.
				slot.prepared.startedAt = startedAt;
			}
			return slot.prepared.value;
		})();
		const running = { value, startedAt };
		slot.running = running;
		const clear = () => {
			if (slot.running === running) slot.running = undefined;
		};
		value.then(clear, clear);
		return value;
	}
}

/** Prepared secrets, and whether the read that gave them started after they were asked for. */
export interface SecretRead<T> {
	value: T;
	fresh: boolean;
}

interface Slot<T> {
	/** The read in flight, and when it started. */
	running?: { value: Promise<T>; startedAt: number };
	/** The read that starts when `running` ends, shared by everyone who arrived meanwhile. */
	next?: Promise<T>;
	/** The last secrets read, what was prepared from them, and when the read that gave them started. */
	prepared?: { secrets: readonly string[]; value: T; startedAt: number };
}

const noop = () => undefined;
