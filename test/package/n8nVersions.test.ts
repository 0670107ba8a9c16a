import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { N8N_1, N8N_2, n8nVersions } from '../../tools/n8nVersions';

/**
 * The n8n versions the suite, the demo, `npm run dev` and the benchmarks run on are named in
 * tools/n8nVersions.ts only, and README says which they are.
 */
const ROOT = resolve(__dirname, '..', '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return sourceFiles(path);
		return /\.(ts|mjs|js|sh)$/.test(name) ? [path] : [];
	});
}

describe('the tested n8n versions', () => {
	it('are spelled in no script, tool, test or benchmark but tools/n8nVersions.ts', () => {
		// A version as a whole token, also in a comma-separated list or a comment; not within a longer version.
		const token = (version: string) => new RegExp(`(?<![\\d.])${version.replaceAll('.', '\\.')}(?![\\d.])`);
		const spelled = ['scripts', 'tools', 'test', 'bench']
			.flatMap((dir) => sourceFiles(join(ROOT, dir)))
			.filter((file) => !file.endsWith(join('tools', 'n8nVersions.ts')))
			.filter((file) => [N8N_2, N8N_1].some((version) => token(version).test(readFileSync(file, 'utf8'))))
			.map((file) => relative(ROOT, file));
		expect(spelled).toEqual([]);
	});

	it('are both run unless a comma-separated override names others', () => {
		expect(n8nVersions(undefined)).toEqual([N8N_2, N8N_1]);
		expect(n8nVersions('')).toEqual([N8N_2, N8N_1]);
		expect(n8nVersions('1.123.0,2.40.7')).toEqual(['1.123.0', '2.40.7']);
	});

	it('are the ones README names as tested, and the one the demo installs', () => {
		const install = readme.slice(readme.indexOf('## Install in your n8n'), readme.indexOf('## The nodes'));
		expect(install).toContain(`Tested end to end in real n8n **${N8N_2}** (Node 24) and **${N8N_1}** (Node 22`);
		expect(readme).toContain(`\`npm run demo\` installs n8n ${N8N_2} and Node 24`);
	});
});
