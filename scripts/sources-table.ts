/**
 * The README's table of trigger sources, generated from the registry (lib/sources), so it
 * cannot drift: `npx tsx scripts/sources-table.ts` prints it, and test/lib/sources/index.test.ts
 * fails while README.md does not contain it.
 */
import { SOURCE_DEFINITIONS } from '../lib/sources';

/** A Markdown table cell: no pipe or line break may end it early. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

export function sourcesTable(): string {
	const rows = SOURCE_DEFINITIONS.map(({ value, displayName, group, docs }) =>
		[`\`${value}\``, group, `${displayName} — ${docs.platform}`, docs.proves, docs.cannotProve, docs.deliveryId, docs.setup].map(cell),
	);
	return [
		'| source | group | platform | proof it checks | what it cannot prove | delivery id | set up on the platform |',
		'| --- | --- | --- | --- | --- | --- | --- |',
		...rows.map((row) => `| ${row.join(' | ')} |`),
	].join('\n');
}

if (require.main === module) console.log(sourcesTable());
