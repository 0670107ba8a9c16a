import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const README_URL = 'https://github.com/test-run-webhooks/n8n-nodes-test-run-webhooks#';
/** The categories n8n's node panel knows (docs.n8n.io, "Node codex files"); "Core Nodes" is n8n's own. */
const N8N_CATEGORIES = [
	'Analytics',
	'Communication',
	'Data & Storage',
	'Development',
	'Finance & Accounting',
	'Marketing & Content',
	'Miscellaneous',
	'Productivity',
	'Sales',
	'Utility',
];

interface Codex {
	node: string;
	categories: string[];
	subcategories?: Record<string, string[]>;
	resources: { primaryDocumentation: Array<{ url: string }> };
}

/** GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string) =>
	heading
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s-]/gu, '')
		.trim()
		.replace(/\s/g, '-');

const readmeAnchors = new Set(
	readFileSync(join(ROOT, 'README.md'), 'utf8')
		.split('\n')
		.filter((line) => /^#{1,6} /.test(line))
		.map((line) => anchorOf(line.replace(/^#+ /, ''))),
);

const codexFiles = readdirSync(join(ROOT, 'nodes')).flatMap((dir) =>
	readdirSync(join(ROOT, 'nodes', dir))
		.filter((file) => file.endsWith('.node.json'))
		.map((file) => [file, JSON.parse(readFileSync(join(ROOT, 'nodes', dir, file), 'utf8')) as Codex] as const),
);

describe('codex files', () => {
	it('there is one per node', () => {
		expect(codexFiles.map(([file]) => file).sort()).toEqual(['TestRunTrigger.node.json', 'TestRunWebhooks.node.json', 'WebhookDispatch.node.json']);
	});

	it.each(codexFiles)('%s: categories from n8n\'s list, never "Core Nodes"', (_file, codex) => {
		expect(codex.categories.length).toBeGreaterThan(0);
		for (const category of [...codex.categories, ...Object.keys(codex.subcategories ?? {})]) expect(N8N_CATEGORIES).toContain(category);
	});

	it.each(codexFiles)("%s: the first documentation link (the editor's Docs link) is the node's README section", (_file, codex) => {
		const [first] = codex.resources.primaryDocumentation;
		expect(first.url.startsWith(README_URL)).toBe(true);
		const anchor = first.url.slice(README_URL.length);
		expect(readmeAnchors).toContain(anchor);
		expect(anchor).toContain(codex.node.split('.')[1].toLowerCase());
	});
});
