import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INodeProperties } from 'n8n-workflow';
import { SOURCE_DEFINITIONS, SOURCE_GROUPS, SOURCES, sourceDefinition, type Source } from '../../lib/sources';
import { TestRunTrigger } from '../../nodes/TestRunTrigger/TestRunTrigger.node';
import { sourcesTable } from '../../scripts/sources-table';

const description = new TestRunTrigger().description;
const property = (name: string) => description.properties.find((candidate) => candidate.name === name) as INodeProperties;

describe('the source registry', () => {
	it('holds each source value once, and every value resolves to its own definition', () => {
		expect(new Set(SOURCES).size).toBe(SOURCES.length);
		for (const source of SOURCES) expect(sourceDefinition(source).value).toBe(source);
		expect(() => sourceDefinition('nope' as Source)).toThrow('Unknown source "nope"');
	});

	it('orders the definitions by group, in the editor group order', () => {
		const groupIndexes = SOURCE_DEFINITIONS.map((definition) => SOURCE_GROUPS.indexOf(definition.group));
		expect(groupIndexes).toEqual([...groupIndexes].sort((a, b) => a - b));
		expect(groupIndexes).not.toContain(-1);
	});

	it('says for every source what it proves, what it cannot, its delivery id and a one-line setup without markup for the editor', () => {
		for (const { docs } of SOURCE_DEFINITIONS) {
			for (const text of Object.values(docs)) expect(text.trim()).not.toBe('');
			expect(docs.setup).not.toMatch(/[`\n]/);
			expect(docs.cannotProve).not.toMatch(/[`\n]/);
		}
	});
});

describe('the trigger reads the registry', () => {
	it('offers every source, grouped, with the group and its proof in the description; the default stays currents', () => {
		const source = property('source');
		expect(source.default).toBe('currents');
		expect(source.options).toEqual(
			SOURCE_DEFINITIONS.map((definition) => ({ name: definition.displayName, value: definition.value, description: `${definition.group} · ${definition.summary}` })),
		);
	});

	it.each(SOURCES)('shows %s a notice of its own with the setup line and what it cannot prove', (value) => {
		const { displayName, docs } = sourceDefinition(value);
		const notice = property(`${value}Notice`);
		expect(notice.type).toBe('notice');
		expect(notice.displayOptions).toEqual({ show: { source: [value] } });
		expect(notice.displayName).toBe(`<b>${displayName}</b>: ${docs.setup} ${docs.cannotProve}`);
	});

	it("lists every source's setup line in the trigger panel", () => {
		const panel = description.triggerPanel as { executionsHelp: { inactive: string } };
		for (const { displayName, docs } of SOURCE_DEFINITIONS) expect(panel.executionsHelp.inactive).toContain(`${displayName}: ${docs.setup}`);
	});
});

describe('README', () => {
	it('holds the sources table as generated from the registry (npx tsx scripts/sources-table.ts)', () => {
		const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
		const table = sourcesTable();
		expect(table.split('\n')).toHaveLength(SOURCES.length + 2);
		expect(readme).toContain(table);
	});
});
