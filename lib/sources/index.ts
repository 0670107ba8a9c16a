import type { ZodIssue } from 'zod';
import type { Normalized } from '../normalize/item';
import { autosana } from './autosana';
import { buildkite } from './buildkite';
import { circleci } from './circleci';
import { currents } from './currents';
import { cypressCloud } from './cypressCloud';
import { githubActions } from './githubActions';
import { gitlab } from './gitlab';
import { maestro } from './maestro';
import { quoted } from './mapping';
import { signedWebhook } from './signedWebhook';
import { standardWebhooks } from './standardWebhooks';
import { SOURCE_GROUPS, type SourceDefinition } from './types';

export * from './types';

/** Every source, in the editor's order within its group. Adding a platform: one file, one line here. */
const DEFINITIONS = [currents, cypressCloud, maestro, autosana, githubActions, gitlab, circleci, buildkite, standardWebhooks, signedWebhook] as const;

export type Source = (typeof DEFINITIONS)[number]['value'];
export const SOURCES: readonly Source[] = DEFINITIONS.map((definition) => definition.value);

/** The definitions grouped as the editor shows them (group order, then registry order). */
export const SOURCE_DEFINITIONS: readonly SourceDefinition<Source>[] = SOURCE_GROUPS.flatMap((group) =>
	DEFINITIONS.filter((definition) => definition.group === group),
) as readonly SourceDefinition<Source>[];

const BY_VALUE = new Map<string, SourceDefinition<Source>>(SOURCE_DEFINITIONS.map((definition) => [definition.value, definition]));

export function sourceDefinition(source: Source): SourceDefinition<Source> {
	const definition = BY_VALUE.get(source);
	if (!definition) throw new Error(`Unknown source ${JSON.stringify(source)}`);
	return definition;
}

export type ParseResult = { ok: true; value: unknown } | { ok: false; reason: string };

/** Checks a parsed JSON body against the source's schema, naming the first field at fault. */
export function parsePayload(definition: SourceDefinition<Source>, payload: unknown): ParseResult {
	const parsed = definition.schema.safeParse(payload);
	if (parsed.success) return { ok: true, value: parsed.data };
	const issue = issueAtFault(parsed.error.issues);
	return { ok: false, reason: `${issue.path.join('.') || 'body'}: ${messageOf(issue)}` };
}

/**
 * The first issue; for a union, that of the branch the body fits best: the fewest issues, then
 * the deepest field (a union's own issue names no field).
 */
function issueAtFault(issues: readonly ZodIssue[]): ZodIssue {
	const issue = issues[0];
	if (issue.code !== 'invalid_union') return issue;
	const branches = issue.unionErrors.map((error) => ({ count: error.issues.length, issue: issueAtFault(error.issues) }));
	const fits = (a: (typeof branches)[number], b: (typeof branches)[number]) =>
		a.count < b.count || (a.count === b.count && a.issue.path.length > b.issue.path.length);
	return branches.reduce((best, candidate) => (fits(candidate, best) ? candidate : best)).issue;
}

/** zod's message, but a value the delivery sent is quoted cut short (zod's enum message repeats it whole). */
function messageOf(issue: ZodIssue): string {
	if (issue.code !== 'invalid_enum_value') return issue.message;
	return `Invalid enum value. Expected ${issue.options.map((option) => `'${String(option)}'`).join(' | ')}, received ${quoted(String(issue.received))}`;
}

/** `ignored`: the body fits but is no run event (a ping, a state that maps to none). */
export type NormalizeResult = { ok: true; value: Normalized } | { ok: false; reason: string; ignored?: true };

/** Maps a parsed JSON body of a source to the common run shape, or says why it does not (fit). */
export function normalizePayload(source: Source, payload: unknown): NormalizeResult {
	const definition = sourceDefinition(source);
	const parsed = parsePayload(definition, payload);
	if (!parsed.ok) return parsed;
	const normalized = definition.normalize(parsed.value);
	return 'ignored' in normalized ? { ok: false, reason: normalized.ignored, ignored: true } : { ok: true, value: normalized };
}
