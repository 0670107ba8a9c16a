// Renders three equivalent templates with this package's engine, liquidjs and precompiled
// handlebars in one process, and prints operations per second and ratios.
//   npm run bench:template     (also part of `npm run bench`, through measureTemplates())
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { renderTemplate, compileTemplate } = require('../dist/lib/template/index.js');
const { Liquid } = require('liquidjs');
const Handlebars = require('handlebars');

const failures = Array.from({ length: 100 }, (_, i) => ({ name: `Test ${i}`, reason: i % 3 ? `Timeout after ${i} s` : null, url: `https://example.com/t/${i}` }));
const data = {
	run: { name: 'nightly', status: 'failed', totals: { tests: 420, passed: 320, failed: 100 }, failures, app: { name: 'Shop', platform: 'android' } },
	event: 'RUN_FINISH',
};

const cases = [
	{
		name: 'small object',
		ours: 'Run ${ run.name } on ${ run.app.name } (${ run.app.platform }): ${ run.status }, ${ run.totals.failed } of ${ run.totals.tests } failed.',
		liquid: 'Run {{ run.name }} on {{ run.app.name }} ({{ run.app.platform }}): {{ run.status }}, {{ run.totals.failed }} of {{ run.totals.tests }} failed.',
		handlebars: 'Run {{ run.name }} on {{ run.app.name }} ({{ run.app.platform }}): {{ run.status }}, {{ run.totals.failed }} of {{ run.totals.tests }} failed.',
	},
	{
		name: 'loop over 100 failures',
		ours: '@{ for f in run.failures }- ${ f.name }: ${ f.reason | ReplaceIfEmpty("unknown") } <${ f.url }>\n@{ end for }',
		liquid: '{% for f in run.failures %}- {{ f.name }}: {{ f.reason | default: "unknown" }} <{{ f.url }}>\n{% endfor %}',
		handlebars: '{{#each run.failures}}- {{ this.name }}: {{#if this.reason}}{{ this.reason }}{{else}}unknown{{/if}} <{{ this.url }}>\n{{/each}}',
	},
	{
		name: 'nested conditionals',
		ours: '@{ if run.status = "failed" }@{ if run.totals.failed > 50 }MANY@{ else if run.totals.failed > 10 }SOME@{ else }FEW@{ end if } failures@{ else }@{ if run.status = "passed" }all good@{ else }other@{ end if }@{ end if } in ${ run.name }',
		liquid: '{% if run.status == "failed" %}{% if run.totals.failed > 50 %}MANY{% elsif run.totals.failed > 10 %}SOME{% else %}FEW{% endif %} failures{% else %}{% if run.status == "passed" %}all good{% else %}other{% endif %}{% endif %} in {{ run.name }}',
		handlebars: '{{#if failed}}{{#if many}}MANY{{else if some}}SOME{{else}}FEW{{/if}} failures{{else}}{{#if passed}}all good{{else}}other{{/if}}{{/if}} in {{ run.name }}',
	},
];

// Handlebars has no comparisons: the equivalent template reads precomputed flags.
const handlebarsData = { ...data, failed: true, passed: false, many: true, some: true };

function measure(fn, minMs = 400) {
	for (let i = 0; i < 200; i++) fn();
	const samples = [];
	for (let round = 0; round < 5; round++) {
		let count = 0;
		const start = performance.now();
		let elapsed = 0;
		while (elapsed < minMs / 5) {
			for (let i = 0; i < 50; i++) fn();
			count += 50;
			elapsed = performance.now() - start;
		}
		samples.push((count / elapsed) * 1000);
	}
	samples.sort((a, b) => a - b);
	return samples[2];
}

/** Operations per second of the three engines on each template (median of 5 slices). */
export function measureTemplates() {
const liquid = new Liquid({ cache: true });
const rows = [];
for (const c of cases) {
	const oursTemplate = compileTemplate(c.ours);
	const liquidTemplate = liquid.parse(c.liquid);
	const hb = Handlebars.compile(c.handlebars, { noEscape: true });
	// Same output from all three, or the comparison means nothing.
	const expected = renderTemplate(c.ours, data);
	const fromLiquid = liquid.renderSync(liquidTemplate, data);
	const fromHandlebars = hb(handlebarsData);
	for (const [who, text] of [['liquidjs', fromLiquid], ['handlebars', fromHandlebars]]) {
		if (text !== expected) throw new Error(`${c.name}: ${who} renders differently:\n${text}\n---\n${expected}`);
	}
	const ours = measure(() => oursTemplate.render(data));
	const liquidOps = measure(() => liquid.renderSync(liquidTemplate, data));
	const handlebarsOps = measure(() => hb(handlebarsData));
	rows.push({ case: c.name, ours, liquidOps, handlebarsOps });
}
return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
const rows = measureTemplates();

const fmt = (n) => Math.round(n).toLocaleString('en-US');
console.log(`node ${process.version}`);
console.log('| template | ours (ops/s) | liquidjs (ops/s) | handlebars, precompiled (ops/s) | ours ÷ liquidjs | ours ÷ handlebars |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
	console.log(`| ${r.case} | ${fmt(r.ours)} | ${fmt(r.liquidOps)} | ${fmt(r.handlebarsOps)} | ${(r.ours / r.liquidOps).toFixed(1)}× | ${(r.ours / r.handlebarsOps).toFixed(2)}× |`);
}
}
