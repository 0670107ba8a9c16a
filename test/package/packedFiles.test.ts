import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';

/**
 * What `npm pack` would publish (run after `npm run build`, as `npm run check` does): only
 * what n8n loads — compiled JS, icons, codex JSON — plus README and LICENSE.
 */
const ROOT = resolve(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };
let packed: string[];

beforeAll(() => {
	if (!existsSync(join(ROOT, 'dist'))) throw new Error('dist/ is missing: run `npm run build` first');
	const [pack] = JSON.parse(
		execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
	) as Array<{ files: Array<{ path: string }> }>;
	packed = pack.files.map((file) => file.path);
});

const shippedJs = () => packed.filter((path) => path.endsWith('.js'));

describe('the packed package', () => {
	it('holds only package.json, README.md, LICENSE and dist JS, codex JSON and icons', () => {
		const unexpected = packed.filter(
			(path) => !['package.json', 'README.md', 'LICENSE'].includes(path) && !/^dist\/.+(?<!\.d)\.(js|node\.json|svg|png)$/.test(path),
		);
		expect(unexpected).toEqual([]);
		expect(packed).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE']));
	});

	it('ships every node and credential listed in package.json, each node with its codex file', () => {
		for (const file of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) expect(packed).toContain(file);
		for (const node of manifest.n8n.nodes) expect(packed).toContain(node.replace(/\.js$/, '.json'));
	});

	it('ships the template engine usable on its own', () => {
		expect(packed).toContain('dist/lib/template/index.js');
	});

	it('ships every file the shipped JS requires or names as its icon', () => {
		const missing: string[] = [];
		for (const file of shippedJs()) {
			const source = readFileSync(join(ROOT, file), 'utf8');
			const relativeRequires = [...source.matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)].map(([, target]) => posix.join(dirname(file), target));
			const icons = [...source.matchAll(/['"]file:([^'"]+)['"]/g)].map(([, icon]) => posix.join(dirname(file), icon));
			// A require names a module: a file or a folder's index.js.
			for (const module of relativeRequires)
				if (!packed.includes(`${module}.js`) && !packed.includes(`${module}/index.js`)) missing.push(`${file} → ${module}`);
			for (const icon of icons) if (!packed.includes(icon)) missing.push(`${file} → ${icon}`);
		}
		expect(shippedJs().length).toBeGreaterThan(0);
		expect(missing).toEqual([]);
	});
});
