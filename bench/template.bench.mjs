// Renders three equivalent templates with this package's engine, liquidjs and precompiled
// handlebars in one process, in alternating rounds, and prints renders per CPU-second and the
// ratios with their spread over the rounds.
//   npm run bench:template     (also part of `npm run bench`, through measureTemplates())
//   BENCH_TEMPLATE_ROUNDS=25 npm run bench:template     (more rounds; 15 by default)
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { renderTemplate, compileTemplate } = require('../dist/lib/template/index.js');
const { Liquid } = require('liquidjs');
const Handlebars = require('handlebars');

const failures = Array.from({ length: 100 }, (_, i) => ({
	name: `Test ${i}`,
	reason: i % 3 ? `Timeout after ${i} s` : null,
	url: `https://example.com/t/${i}`,
}));
const data = {
	run: { name: 'nightly', status: 'failed', totals: { tests: 420, passed: 320, failed: 100 }, failures, app: { name: 'Shop', platform: 'android' } },
	event: 'RUN_FINISH',
};

const cases = [
	{
		name: 'small object',
		ours: 'Run ${ run.name } on ${ run.app.name } (${ run.app.platform }): ${ run.status }, ${ run.totals.failed } of ${ run.totals.tests } failed.',
		liquid: 'Run {{ run.name }} on {{ run.app.name }} ({{ run.app.platform }}): {{ run.status }}, {{ run.totals.failed }} of {{ run.totals.tests }} failed.',
		handlebars:
			'Run {{ run.name }} on {{ run.app.name }} ({{ run.app.platform }}): {{ run.status }}, {{ run.totals.failed }} of {{ run.totals.tests }} failed.',
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
		liquid:
			'{% if run.status == "failed" %}{% if run.totals.failed > 50 %}MANY{% elsif run.totals.failed > 10 %}SOME{% else %}FEW{% endif %} failures{% else %}{% if run.status == "passed" %}all good{% else %}other{% endif %}{% endif %} in {{ run.name }}',
		handlebars:
			'{{#if failed}}{{#if many}}MANY{{else if some}}SOME{{else}}FEW{{/if}} failures{{else}}{{#if passed}}all good{{else}}other{{/if}}{{/if}} in {{ run.name }}',
	},
];

// Handlebars has no comparisons: the equivalent template reads precomputed flags.
const handlebarsData = { ...data, failed: true, passed: false, many: true, some: true };

const ROUNDS = Number(process.env.BENCH_TEMPLATE_ROUNDS ?? 15);
/** CPU time one contender renders for in one round. */
const SLICE_CPU_MS = 100;

const cpuMs = () => {
	const { user, system } = process.cpuUsage();
	return (user + system) / 1000;
};

/**
 * Renders per CPU-second of one slice. CPU time, not wall time: on a machine shared with other
 * work, a slice the scheduler pauses still counts only the time it rendered.
 */
function slice(render) {
	let count = 0;
	const start = cpuMs();
	let elapsed = 0;
	while (elapsed < SLICE_CPU_MS) {
		for (let i = 0; i < 20; i++) render();
		count += 20;
		elapsed = cpuMs() - start;
	}
	return (count / elapsed) * 1000;
}

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Median, lowest and highest of the per-round ratios ours ÷ peer. */
function ratios(ours, peer) {
	const perRound = ours.map((value, round) => value / peer[round]);
	return { median: median(perRound), min: Math.min(...perRound), max: Math.max(...perRound) };
}

/**
 * Renders per CPU-second of the three engines on each template: ROUNDS alternating rounds (the
 * order rotates each round), medians, and the per-round ratios with their spread.
 */
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
		for (const [who, text] of [
			['liquidjs', fromLiquid],
			['handlebars', fromHandlebars],
		]) {
			if (text !== expected) throw new Error(`${c.name}: ${who} renders differently:\n${text}\n---\n${expected}`);
		}
		const contenders = [
			{ samples: [], render: () => oursTemplate.render(data) },
			{ samples: [], render: () => liquid.renderSync(liquidTemplate, data) },
			{ samples: [], render: () => hb(handlebarsData) },
		];
		for (const { render } of contenders) for (let i = 0; i < 200; i++) render();
		for (let round = 0; round < ROUNDS; round++) {
			for (let k = 0; k < contenders.length; k++) {
				const contender = contenders[(round + k) % contenders.length];
				contender.samples.push(slice(contender.render));
			}
		}
		const [ours, liquidOps, handlebarsOps] = contenders.map((contender) => contender.samples);
		rows.push({
			case: c.name,
			ours: median(ours),
			liquidOps: median(liquidOps),
			handlebarsOps: median(handlebarsOps),
			liquidRatio: ratios(ours, liquidOps),
			handlebarsRatio: ratios(ours, handlebarsOps),
			rounds: { ours, liquidOps, handlebarsOps },
		});
	}
	return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const rows = measureTemplates();
	const fmt = (n) => Math.round(n).toLocaleString('en-US');
	const spread = (r, digits) => `${r.median.toFixed(digits)}× (${r.min.toFixed(digits)}–${r.max.toFixed(digits)})`;
	const [load] = loadavg();
	console.log(`node ${process.version}, ${ROUNDS} alternating rounds of ${SLICE_CPU_MS} ms CPU each, load average ${load.toFixed(2)}`);
	console.log(
		'| template | ours (renders/CPU-s) | liquidjs | handlebars, precompiled | ours ÷ liquidjs (per-round spread) | ours ÷ handlebars (per-round spread) |',
	);
	console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
	for (const r of rows) {
		console.log(
			`| ${r.case} | ${fmt(r.ours)} | ${fmt(r.liquidOps)} | ${fmt(r.handlebarsOps)} | ${spread(r.liquidRatio, 1)} | ${spread(r.handlebarsRatio, 2)} |`,
		);
	}
}
