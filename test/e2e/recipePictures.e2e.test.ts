import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { discordPreview, slackPreview } from '../support/messagePreview';
import { deliver } from '../support/recipes';
import { failuresOf } from '../support/recipeRuns';
import { discord, slack, type TargetSpec } from '../support/targets';

/**
 * Pictures for the README: the Slack and Discord recipes' messages for a run with 12 failures,
 * rendered through Webhook Dispatch's request preparation and drawn as HTML in Chromium.
 */
const DOCS = resolve(__dirname, '..', '..', 'docs');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let browser: Browser;

beforeAll(async () => {
	mkdirSync(DOCS, { recursive: true });
	browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
}, 120_000);

afterAll(async () => {
	await browser?.close();
});

const pictures: Array<[string, TargetSpec, (message: unknown) => string]> = [
	['recipe-slack.png', slack, slackPreview],
	['recipe-discord.png', discord, discordPreview],
];

describe('recipe pictures', () => {
	it.each(pictures)('%s shows the listed failures and "and N more"', async (file, target, draw) => {
		const message = JSON.parse(deliver(target, { status: 'failed', failures: 12 }).body);
		const { names, more } = target.listing(message);
		const page = await browser.newPage({ viewport: { width: 820, height: 400 } });
		await page.setContent(draw(message));
		await expect(page.getByText(failuresOf(12)[0].name).isVisible()).resolves.toBe(true);
		await expect(page.getByText(`and ${more} more`).first().isVisible()).resolves.toBe(true);
		expect(names.length + more).toBe(12);
		await page.screenshot({ path: join(DOCS, file), fullPage: true });
		await page.close();
	});
});
