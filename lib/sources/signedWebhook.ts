import { z } from 'zod';
import { RUN_EVENTS, type RunEvent } from '../currents/contract';
import { parseDotPath, readDotPath, type DotPath } from '../normalize/dotPath';
import { durationBetween, isoFromEpochMs, isoFromText, type Normalized, type NormalizedRun, type RunStatus } from '../normalize/item';
import { HMAC_ALGORITHMS, refuse, SIGNATURE_ENCODINGS, SIGNED_CONTENTS, verifyHmacSignature, type HmacScheme, type Refusal } from '../verify';
import { defineSource, type Ignored, type SourceDefinition, type SourceParameters } from './types';

/**
 * The node's parameters for this source, by name, with the names the editor shows: refusals
 * name both, so the user finds the one at fault.
 */
export const SIGNED_WEBHOOK_PARAMETERS = {
	signatureHeader: 'Signature Header',
	signatureAlgorithm: 'Signature Algorithm',
	signatureEncoding: 'Signature Encoding',
	signaturePrefix: 'Signature Prefix',
	signedContent: 'Signed Content',
	timestampHeader: 'Timestamp Header',
	deliveryIdHeader: 'Delivery ID Header',
	eventField: 'Event Field',
	runStartValues: 'Run Start Values',
	runFinishValues: 'Run Finish Values',
	runTimeoutValues: 'Run Timeout Values',
	runCanceledValues: 'Run Canceled Values',
	statusField: 'Status Field',
	failedValues: 'Failed Values',
	runFields: 'Run Fields',
} as const;
type ParameterName = keyof typeof SIGNED_WEBHOOK_PARAMETERS;

/** The Run Fields collection: where each run field is read from (dot paths, all optional). */
export const SIGNED_WEBHOOK_RUN_FIELDS = ['id', 'name', 'url', 'startedAt', 'endedAt', 'branch', 'commit'] as const;
type RunField = (typeof SIGNED_WEBHOOK_RUN_FIELDS)[number];

const EVENT_VALUE_PARAMETERS: Record<RunEvent, ParameterName> = {
	RUN_START: 'runStartValues',
	RUN_FINISH: 'runFinishValues',
	RUN_TIMEOUT: 'runTimeoutValues',
	RUN_CANCELED: 'runCanceledValues',
};

/** Which body values mean which run event, and where the run is read. */
export interface EventMapping {
	eventPath: DotPath;
	/** Lower-case configured value → its event. */
	events: ReadonlyMap<string, RunEvent>;
	statusPath: DotPath;
	failedValues: ReadonlySet<string>;
	runPaths: Partial<Record<RunField, DotPath>>;
}

const REFUSES_ALL = 'this trigger refuses every request until it is set';
const named = (name: ParameterName) => `the parameter ${SIGNED_WEBHOOK_PARAMETERS[name]} (${name})`;
const misconfigured = (what: string): Refusal => refuse(`${what}; ${REFUSES_ALL}`);

class ConfigurationError extends Error {}
const fail = (what: string): never => {
	throw new ConfigurationError(what);
};

/** A text parameter, trimmed; left out means empty. */
function text(parameters: SourceParameters, name: ParameterName): string {
	const value = parameters[name] ?? '';
	if (typeof value !== 'string') fail(`${named(name)} is not text`);
	return (value as string).trim();
}

function required(parameters: SourceParameters, name: ParameterName): string {
	const value = text(parameters, name);
	if (value === '') fail(`${named(name)} is empty`);
	return value;
}

function oneOf<T extends string>(parameters: SourceParameters, name: ParameterName, allowed: readonly T[]): T {
	const value = required(parameters, name);
	if (!allowed.includes(value as T)) fail(`${named(name)} is none of ${allowed.join(', ')}`);
	return value as T;
}

/** A header name as HTTP allows it (a space or line break could never match a received header). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function headerName(parameters: SourceParameters, name: ParameterName, isRequired: boolean): string | undefined {
	const value = isRequired ? required(parameters, name) : text(parameters, name);
	if (value === '') return undefined;
	if (!HEADER_NAME.test(value)) fail(`${named(name)} is not a valid header name`);
	return value;
}

function dotPath(value: string, what: string): DotPath {
	const path = parseDotPath(value);
	if ('error' in path) fail(`${what} ${path.error}`);
	return path as DotPath;
}

/** Comma-separated values, trimmed, compared without regard to case. */
const listOf = (value: string): string[] =>
	value
		.split(',')
		.map((entry) => entry.trim().toLowerCase())
		.filter((entry) => entry !== '');

/** Checked in the editor's order, so the first parameter at fault is the one named. */
function schemeOf(parameters: SourceParameters): HmacScheme {
	const signatureHeader = headerName(parameters, 'signatureHeader', true)!;
	const algorithm = oneOf(parameters, 'signatureAlgorithm', HMAC_ALGORITHMS);
	const encoding = oneOf(parameters, 'signatureEncoding', SIGNATURE_ENCODINGS);
	const prefix = text(parameters, 'signaturePrefix');
	if (/\s/.test(prefix)) fail(`${named('signaturePrefix')} holds a space`);
	const signedContent = oneOf(parameters, 'signedContent', SIGNED_CONTENTS);
	return {
		signatureHeader,
		algorithm,
		encoding,
		prefix,
		signedContent,
		timestampHeader: headerName(parameters, 'timestampHeader', signedContent !== '{body}'),
		idHeader: headerName(parameters, 'deliveryIdHeader', signedContent === '{id}.{timestamp}.{body}'),
	};
}

function mappingOf(parameters: SourceParameters): EventMapping {
	const eventPath = dotPath(required(parameters, 'eventField'), named('eventField'));
	const events = new Map<string, RunEvent>();
	for (const event of RUN_EVENTS) {
		const name = EVENT_VALUE_PARAMETERS[event];
		for (const value of listOf(text(parameters, name))) {
			const other = events.get(value);
			// One value meaning two events would make the mapping depend on the order of the checks.
			if (other && other !== event) fail(`${named(name)} and ${named(EVENT_VALUE_PARAMETERS[other])} both hold the value ${JSON.stringify(value)}`);
			events.set(value, event);
		}
	}
	if (events.size === 0) fail(`every run event's values are empty (${RUN_EVENTS.map((event) => EVENT_VALUE_PARAMETERS[event]).join(', ')}): set at least one`);
	const status = text(parameters, 'statusField');
	const runFields = parameters.runFields ?? {};
	if (typeof runFields !== 'object' || runFields === null || Array.isArray(runFields)) fail(`${named('runFields')} is not a collection`);
	const runPaths: EventMapping['runPaths'] = {};
	for (const field of SIGNED_WEBHOOK_RUN_FIELDS) {
		const value = (runFields as Record<string, unknown>)[field] ?? '';
		if (typeof value !== 'string') fail(`${named('runFields')}: ${field} is not text`);
		if ((value as string).trim() !== '') runPaths[field] = dotPath(value as string, `${named('runFields')}: ${field}`);
	}
	return {
		eventPath,
		events,
		statusPath: status === '' ? eventPath : dotPath(status, named('statusField')),
		failedValues: new Set(listOf(text(parameters, 'failedValues'))),
		runPaths,
	};
}

/** A body value compared with the configured values: text, a number or a boolean. */
function comparable(value: unknown): string | undefined {
	return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))
		? String(value).toLowerCase()
		: undefined;
}

function textAt(payload: unknown, path: DotPath | undefined): string | null {
	const value = path ? readDotPath(payload, path) : undefined;
	if (typeof value === 'string') return value;
	return typeof value === 'number' && Number.isFinite(value) ? String(value) : null;
}

/** The largest time a Date holds (±8.64e15 ms): beyond it there is no ISO string. */
const MAX_EPOCH_MS = 8.64e15;

/** An ISO 8601 text or an epoch number (seconds below 10^11, else milliseconds) as ISO, or null. */
function timeAt(payload: unknown, path: DotPath | undefined): string | null {
	const value = path ? readDotPath(payload, path) : undefined;
	if (typeof value === 'string') return isoFromText(value);
	if (typeof value !== 'number' || !(value >= 0)) return null;
	const ms = value < 1e11 ? value * 1000 : value;
	return ms <= MAX_EPOCH_MS ? isoFromEpochMs(ms) : null;
}

const STATUS_OF: Record<Exclude<RunEvent, 'RUN_FINISH'>, RunStatus> = { RUN_START: 'running', RUN_TIMEOUT: 'timedOut', RUN_CANCELED: 'canceled' };

const UNCOUNTED: NormalizedRun['totals'] = { tests: null, passed: null, failed: null, skipped: null, pending: null, flaky: null, retries: null };

export function normalizeSignedWebhook(payload: unknown, mapping: EventMapping): Normalized | Ignored {
	const where = `body field ${mapping.eventPath.join('.')}`;
	const found = readDotPath(payload, mapping.eventPath);
	if (found === undefined || found === null) return { ignored: `${where} is missing` };
	const value = comparable(found);
	if (value === undefined) return { ignored: `${where} is not text, a number or a boolean` };
	const event = mapping.events.get(value);
	if (!event) return { ignored: `${where} holds a value configured for no run event` };
	const failed = mapping.failedValues.has(comparable(readDotPath(payload, mapping.statusPath)) ?? '');
	const { runPaths } = mapping;
	const startedAt = timeAt(payload, runPaths.startedAt);
	const endedAt = timeAt(payload, runPaths.endedAt);
	const duration = durationBetween(startedAt, endedAt);
	const branch = textAt(payload, runPaths.branch);
	const sha = textAt(payload, runPaths.commit);
	return {
		event,
		run: {
			id: textAt(payload, runPaths.id),
			name: textAt(payload, runPaths.name),
			url: textAt(payload, runPaths.url),
			status: event === 'RUN_FINISH' ? (failed ? 'failed' : 'passed') : STATUS_OF[event],
			startedAt,
			endedAt,
			durationMs: duration !== null && duration >= 0 ? duration : null,
			app: null,
			git: branch !== null || sha !== null ? { sha, branch, author: null, message: null, remote: null } : null,
			tags: [],
			totals: UNCOUNTED,
			failures: [],
		},
	};
}

/** Any JSON object: which fields matter is configured. */
const signedWebhookPayloadSchema = z.record(z.unknown());

/** This trigger's definition from its parameters, or a refusal naming the parameter at fault. */
export function configureSignedWebhook(parameters: SourceParameters): SourceDefinition<'signedWebhook'> | Refusal {
	let scheme: HmacScheme;
	let mapping: EventMapping;
	try {
		scheme = schemeOf(parameters);
		mapping = mappingOf(parameters);
	} catch (error) {
		if (error instanceof ConfigurationError) return misconfigured(error.message);
		throw error;
	}
	return {
		...signedWebhook,
		verify: (input) => verifyHmacSignature(input, scheme),
		normalize: (payload) => normalizeSignedWebhook(payload, mapping),
		...(scheme.idHeader ? { deliveryId: { header: scheme.idHeader, signed: scheme.signedContent === '{id}.{timestamp}.{body}' } } : {}),
	};
}

export const signedWebhook = defineSource({
	value: 'signedWebhook',
	displayName: 'Signed Webhook (HMAC)',
	group: 'Generic',
	summary: 'Any other sender that signs with an HMAC: header, algorithm and event values configured here',
	docs: {
		platform: 'any other sender that signs with an HMAC; which body field and values mean each run event is configured in the node',
		proves:
			'the configured header: `<prefix><hex or base64 HMAC>` (SHA-256, SHA-512 or SHA-1; a list separated by spaces or commas) over `{body}`, `{timestamp}.{body}` or `{id}.{timestamp}.{body}`; the timestamp header (s or ms), when set, within the tolerance',
		cannotProve:
			'Without a timestamp header nothing dates a delivery: a replay is refused only by the delivery id memory, so attach the Redis credential and lengthen the Deduplication Window. SHA-1 is the weaker choice.',
		deliveryId: 'the Delivery ID Header (with a hash of the body unless it is signed), else a hash of the body',
		setup:
			"In the sender's webhook settings, paste the Production URL and the signing secret (the credential's Secret); then set how it signs and which values mean each run event here.",
	},
	// Never used as it is: the pipeline configures it from the node's parameters first.
	verify: () => misconfigured('the signed webhook settings were not given'),
	schema: signedWebhookPayloadSchema,
	normalize: () => ({ ignored: 'the signed webhook settings were not given' }),
	configure: configureSignedWebhook,
});
