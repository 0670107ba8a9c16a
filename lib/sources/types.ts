import type { z } from 'zod';
import type { Headers } from '../http/headers';
import type { Normalized } from '../normalize/item';
import type { Refusal, Verification, VerificationInput } from '../verify';

/** How the editor groups the Source options, in this order. */
export const SOURCE_GROUPS = ['Test platforms', 'CI platforms', 'Generic'] as const;
export type SourceGroup = (typeof SOURCE_GROUPS)[number];

/** The trigger's parameters a proof may depend on. */
export interface ProofSettings {
	/** Currents: the custom header carrying the secret. */
	secretHeaderName: string;
}

/** A genuine delivery that starts nothing (a ping, a test event, a state no run event maps): 200 with the reason. */
export interface Ignored {
	ignored: string;
}

/**
 * Where a delivery's id comes from; without a rule it is a hash of the body. An id a
 * verifier returns (signed, e.g. Standard Webhooks' webhook-id) is used as it is.
 */
export type DeliveryIdRule<P> =
	/**
	 * A header the platform keeps across retries and redeliveries; `fallbackHeader` is read
	 * when it is absent (a platform version that does not send it yet). `signed`: the proof covers
	 * it, so it is remembered alone (else with the body's hash: a replay could change it).
	 */
	| { header: string; fallbackHeader?: string; signed?: boolean }
	/** A body field (signed with the body). */
	| { bodyField: string; read(payload: P): string | number | null | undefined };

/** A body field the platform signs with the body, holding the send time: replays are refused by age. */
export interface SignedBodyTimestamp<P> {
	field: string;
	/** Its format in words, for the refusal ("an ISO 8601 date and time"). */
	format: string;
	/** Epoch milliseconds, or null when it cannot be read (refused: it could not be checked). */
	epochMs(payload: P): number | null;
}

/** What the editor and the README say about a source. */
export interface SourceDocs {
	/** The platform in a few words (README table). */
	platform: string;
	/** What a delivery proves, and with what. */
	proves: string;
	/** What it cannot prove, plainly (editor notice and README). */
	cannotProve: string;
	/** Where the delivery id comes from, in words. */
	deliveryId: string;
	/** One line: where to paste the URL and the secret on the platform. */
	setup: string;
}

/**
 * One source of run events: everything the trigger needs to know about a platform, in one
 * place. The receive pipeline (lib/trigger/receive.ts), the node's description and the
 * README table read these; adding a platform is one definition plus its tests.
 */
export interface SourceDefinition<V extends string = string, P = unknown> {
	/** The `source` parameter's value (public: saved workflows refer to it). */
	value: V;
	displayName: string;
	group: SourceGroup;
	/** The Source option's description: what it receives and how it proves itself. */
	summary: string;
	docs: SourceDocs;
	/** How a delivery proves itself, with lib/verify primitives; checked before anything else. */
	verify(input: VerificationInput, settings: ProofSettings): Verification;
	/**
	 * Decides from the headers alone, once the proof holds: a ping, test event or other event
	 * type is ignored (200, nothing starts); a missing event header is refused (400).
	 */
	screen?(headers: Headers): Ignored | Refusal | undefined;
	/** The body's shape; a body that does not fit is answered 400 naming the field. */
	schema: z.ZodType<P, z.ZodTypeDef, unknown>;
	signedBodyTimestamp?: SignedBodyTimestamp<P>;
	/** Maps the body to a run event and the run (the event mapping lives here), or ignores it. */
	normalize(payload: P): Normalized | Ignored;
	deliveryId?: DeliveryIdRule<P>;
	/**
	 * A source the user configures in the node (signedWebhook): the pipeline builds this
	 * trigger's own definition from the node's parameters, or refuses every delivery naming
	 * the parameter at fault.
	 */
	configure?(parameters: SourceParameters): SourceDefinition<V> | Refusal;
}

/** The node's parameters of a configurable source, by parameter name, as n8n hands them over. */
export type SourceParameters = Readonly<Record<string, unknown>>;

/** Types a definition's payload from its schema, so a source file stays declarative. */
export function defineSource<V extends string, P>(definition: SourceDefinition<V, P>): SourceDefinition<V, P> {
	return definition;
}
