import { execFileSync } from 'node:child_process';

interface Example {
	name: string;
	examples: Array<Record<string, unknown>>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const EXAMPLES = require('@octokit/webhooks-examples/api.github.com/index.json') as Example[];

/** GitHub's own example payloads of one webhook event (octokit/webhooks). */
export function githubExamples(event: 'workflow_run' | 'ping'): Array<Record<string, unknown>> {
	return EXAMPLES.find((entry) => entry.name === event)!.examples;
}

/** GitHub's example `workflow_run` delivery completed with success, with another conclusion when given. */
export function githubWorkflowRunBody(conclusion: string | null = 'success'): string {
	const example = githubExamples('workflow_run').find(
		(payload) => payload.action === 'completed' && (payload.workflow_run as { conclusion: string | null }).conclusion === 'success',
	)!;
	return JSON.stringify({ ...example, workflow_run: { ...(example.workflow_run as object), conclusion } });
}

/**
 * `X-Hub-Signature-256` values made by GitHub's own library, @octokit/webhooks-methods. It is
 * ESM-only and exports no `require` condition, which jest (CommonJS here) cannot load, so a
 * Node child process imports it and signs every pair at once.
 */
export function octokitSignatures(pairs: Array<{ secret: string; body: string }>): string[] {
	const script =
		"import { sign } from '@octokit/webhooks-methods'; let input = ''; process.stdin.on('data', (chunk) => (input += chunk)); " +
		"process.stdin.on('end', async () => { const pairs = JSON.parse(input); const out = []; for (const { secret, body } of pairs) out.push(await sign(secret, body)); console.log(JSON.stringify(out)); });";
	const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { input: JSON.stringify(pairs), cwd: __dirname, encoding: 'utf8' });
	return JSON.parse(output) as string[];
}
