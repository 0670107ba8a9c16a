import fc from 'fast-check';
import { fixtureText } from './fixtures';

/** `text` with any of its letters upper-cased: for headers and hex digits that must match whatever their case. */
export const anyLetterCase = (text: string) =>
	fc.array(fc.boolean(), { minLength: text.length, maxLength: text.length }).map((upper) => [...text].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));

/** Degenerate request parts for the trigger: headers of the sources' names with hostile values, and hostile bodies. */
const degenerateText = fc.constantFrom(
	'',
	' ',
	'\t',
	'\r\n',
	'Bearer ',
	'sha256=',
	'v1,',
	'whsec_',
	'%00',
	'%0d%0a',
	'%2e%2e%2f',
	'\u0000',
	'é',
	'\uFFFF',
	'x'.repeat(100_000),
);
export const hostileText = fc.oneof(degenerateText, fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.webUrl());
export const hostileSecret = fc.oneof(
	fc.constantFrom('', '   ', 'whsec_', 'short', 'a'.repeat(15), 'currents-shared-secret-1', `whsec_${Buffer.alloc(32, 5).toString('base64')}`),
	hostileText,
);
const headerName = fc.constantFrom(
	'x-webhook-secret',
	'X-Timestamp',
	'authorization',
	'x-autosana-signature-256',
	'webhook-id',
	'webhook-timestamp',
	'webhook-signature',
	'content-type',
	'x-other',
	'x-signature',
	'x-signature-timestamp',
	'x-delivery-id',
);
const headerValue = fc.oneof(hostileText, fc.array(hostileText, { maxLength: 3 }), fc.constant(undefined));
export const hostileHeaders = fc.dictionary(headerName, headerValue, { maxKeys: 8 });

const nested = (depth: number, open: string, close: string) => open.repeat(depth) + close.repeat(depth);
export const hostileBody = fc.oneof(
	fc.json({ maxDepth: 6 }),
	fc.string({ maxLength: 200 }),
	fc.constantFrom(
		'',
		'null',
		'{"event": "RUN_FINISH",',
		nested(100_000, '[', ']'),
		nested(20_000, '{"a":', '}').replace(/}$/, '1}'),
		`{"event":"RUN_FINISH","runUrl":"${'%41'.repeat(50_000)}"}`,
		fixtureText('currents-run-finish.json'),
		fixtureText('maestro-upload.json'),
		fixtureText('autosana-batch.json'),
		fixtureText('signed-webhook-run.json'),
		fixtureText('signed-webhook-run.json').replace('1795520700', '1e20').replace('"failed"', '{"deep":[[[]]]}'),
		fixtureText('autosana-batch.json').replace('2025-01-31T12:34:56.789Z', 'yesterday'),
		fixtureText('currents-run-finish.json').replace('"RUN_FINISH"', '"RUN_\\r\\nFINISH"'),
	),
	fc.json({ maxDepth: 3 }).map((json) => `{"event":"batch.completed","timestamp":"2026-11-24T12:00:00","app":{},"summary":${json}}`),
);
