import { sameSecrets } from '../verify/secrets';

/**
 * The secrets a trigger verifies with, read from n8n once for many requests instead of once per
 * request, without ever deciding on a stale credential.
 *
 * n8n does not tell an active trigger that its credential was edited (saving a credential
 * emits `credentials-updated` to n8n's event relays only; active webhooks keep running), and
 * `getCredentials()` in a webhook costs a database read, a decryption and a fresh expression
 * sandbox (n8n 2.x builds a mock workflow and acquires an isolated-vm isolate for it). So each
 * request still waits for a read, but for one that *started after the request arrived*:
 * requests arriving while a read is in flight share the next read, which starts the moment
 * the current one ends. A credential saved before a request arrived is therefore always what
 * that request is checked against (the edit takes effect at once, rotation included), and
 * under load one read serves every request that came in meanwhile.
 *
 * What a read yields is prepared once per distinct credential content (`prepare`, e.g. key
 * decoding) and kept only in this process's memory: nothing is written to workflow static data.
 */
export class CoalescedSecretReader<T> {
	private readonly slots = new Map<string, Slot<T>>();

	constructor(
		private readonly prepare: (secrets: readonly string[]) => T,
		/** Scopes remembered at most (one per trigger and credential); the oldest is dropped. */
		private readonly maxScopes = 1000,
	) {}

	/**
	 * The prepared secrets of `scope` from a read that starts now or, if one is running, right
	 * after it. `read` fetches the current secrets (n8n's `getCredentials`).
	 */
	async get(scope: string, read: () => Promise<readonly string[]>): Promise<T> {
		const slot = this.slot(scope);
		if (!slot.running) return await this.start(slot, read);
		// The running read may have started before this request arrived: wait for the next one.
		slot.next ??= slot.running.then(noop, noop).then(async () => {
			slot.next = undefined;
			return await this.start(slot, read);
		});
		return await slot.next;
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
		const running = (async () => {
			const secrets = await read();
			if (!slot.prepared || !sameSecrets(slot.prepared.secrets, secrets)) {
				slot.prepared = { secrets: [...secrets], value: this.prepare(secrets) };
			}
			return slot.prepared.value;
		})();
		slot.running = running;
		const clear = () => {
			if (slot.running === running) slot.running = undefined;
		};
		running.then(clear, clear);
		return running;
	}
}

interface Slot<T> {
	/** The read in flight. */
	running?: Promise<T>;
	/** The read that starts when `running` ends, shared by everyone who arrived meanwhile. */
	next?: Promise<T>;
	/** The last secrets read and what was prepared from them. */
	prepared?: { secrets: readonly string[]; value: T };
}

const noop = () => undefined;
