import { createHash } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A name-based UUID, version 5 (RFC 9562): the same namespace and name always give the same UUID. */
export function uuidV5(namespace: string, name: string): string {
	if (!UUID.test(namespace)) throw new Error(`The namespace "${namespace}" is not a UUID`);
	const hash = createHash('sha1')
		.update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
		.update(name, 'utf8')
		.digest();
	hash[6] = (hash[6] & 0x0f) | 0x50;
	hash[8] = (hash[8] & 0x3f) | 0x80;
	const hex = hash.subarray(0, 16).toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Where an item sits in a workflow run and what it holds. */
export interface ItemPlace {
	workflowId: string;
	nodeId: string;
	/** How many times the node ran before in this execution (loops run it again with other items). */
	runIndex: number;
	itemIndex: number;
	content: unknown;
}

/**
 * The transactional id of an item, derived from a random per-execution `anchor`: the same
 * anchor and place give the same id (a retried execution carries its anchor over), and a new
 * execution draws a new anchor, so identical items get new ids.
 */
export function stableTransactionalId(anchor: string, place: ItemPlace): string {
	return uuidV5(anchor, JSON.stringify([place.workflowId, place.nodeId, place.runIndex, place.itemIndex, place.content]));
}
