import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { installN8n, N8nServer, OWNER, packPackage } from '../../tools/n8nServer';
import { N8N_2 } from '../../tools/n8nVersions';

/**
 * What a person sees in the n8n 2.x editor: set up the owner account, search the node panel
 * for "Test Run", add Test Run Trigger, look at its parameters, add Webhook Dispatch after it.
 * Screenshots go to docs/ for the README.
 */
const DOCS = resolve(__dirname, '..', '..', 'docs');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let n8n: N8nServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
	mkdirSync(DOCS, { recursive: true });
	n8n = new N8nServer(installN8n(process.env.E2E_EDITOR_N8N_VERSION ?? N8N_2), packPackage());
	await n8n.start({ setUpOwner: false });
	browser = await chromium.launch({
		executablePath: CHROMIUM,
		// As root, in a closed network: no sandbox, no background traffic.
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
	// The editor loads slowly on a busy 2-core machine.
	page.setDefaultTimeout(90_000);
}, 30 * 60_000);

afterAll(async () => {
	await browser?.close();
	await n8n?.stop();
}, 60_000);

const shot = (name: string) => page.screenshot({ path: join(DOCS, name) });

describe('the n8n 2.x editor with this package', () => {
	it('sets up the owner account', async () => {
		await page.goto(`${n8n.baseUrl}/setup`);
		await page.fill('input[name=email]', OWNER.email);
		await page.fill('input[name=firstName]', OWNER.firstName);
		await page.fill('input[name=lastName]', OWNER.lastName);
		await page.fill('input[name=password]', OWNER.password);
		await page.click('[data-test-id=form-submit-button]');
		await page.waitForURL((url) => !url.pathname.startsWith('/setup'));
	});

	it('finds both nodes when the node panel is searched for "Test Run"', async () => {
		await page.goto(`${n8n.baseUrl}/workflow/new`);
		await page.click('[data-test-id=canvas-add-button]');
		await page.locator('[data-test-id=node-creator]').waitFor();
		// The search field has the focus when the panel opens: type as a person would.
		await page.keyboard.type('Test Run');
		const names = page.locator('[data-test-id=node-creator-item-name]');
		await names.filter({ hasText: 'Test Run Webhooks' }).first().waitFor();
		// The trigger panel lists trigger nodes without the word "Trigger".
		await expectText(names, ['Test Run', 'Test Run Webhooks']);
		await shot('node-panel-search.png');
	});

	it('adds Test Run Trigger and shows its parameters', async () => {
		await page.getByText('Test Run', { exact: true }).first().click();
		await page.getByText('On run finished').click();
		await page.locator('[data-test-id=ndv]').waitFor();
		await expect(page.locator('[data-test-id=node-title-container]').first().textContent()).resolves.toContain('Test Run Trigger');
		const labels = await page.locator('[data-test-id=ndv] [data-test-id=input-label]').allTextContents();
		const visible = labels.map((label) => label.replace(/FixedExpression|\s+/g, ' ').trim());
		for (const label of ['Source', 'Registration', 'Project', 'Secret Header Name', 'Events']) {
			expect(visible.some((text) => text.startsWith(label))).toBe(true);
		}
		await expect(page.locator('[data-test-id=parameter-input-source]').textContent()).resolves.toBe('');
		await expect(page.locator('[data-test-id=parameter-input-source] input').inputValue()).resolves.toBe('Currents');
		await expect(page.locator('[data-test-id=parameter-input-events]').textContent()).resolves.toContain('Run Finished');
		await shot('test-run-trigger-parameters.png');
		await expect(page.locator('[data-test-id=ndv] [data-test-id=credentials-label]').allTextContents()).resolves.toEqual([
			expect.stringContaining('Test Run Platform API'),
			expect.stringContaining('Redis'),
		]);

		// The Redis credential (queue mode) is offered for every source, and optional.
		// Another source asks for the shared secret instead, and has no registration mode.
		await page.locator('[data-test-id=parameter-input-source]').click();
		await page.getByText('Maestro Cloud', { exact: true }).click();
		await expect(page.locator('[data-test-id=ndv] [data-test-id=credentials-label]').allTextContents()).resolves.toEqual([
			expect.stringContaining('Test Run Webhook Secret'),
			expect.stringContaining('Redis'),
		]);
		await expect(page.locator('[data-test-id=parameter-input-registration]').count()).resolves.toBe(0);
		await page.click('[data-test-id=ndv-close-button]');
	});

	it('adds Webhook Dispatch after the trigger and shows its parameters and two outputs', async () => {
		await page.locator('[data-test-id=canvas-handle-plus]').first().click();
		await page.locator('[data-test-id=node-creator]').waitFor();
		await page.keyboard.type('Webhook Dispatch');
		await page.locator('[data-test-id=node-creator-item-name]', { hasText: 'Webhook Dispatch' }).first().click();
		// An installed community node opens its details first, with "Add to workflow".
		await page.getByText('Add to workflow').click();
		await page.locator('[data-test-id=ndv]').waitFor();
		const labels = (await page.locator('[data-test-id=ndv] [data-test-id=input-label]').allTextContents()).map((label) =>
			label.replace(/FixedExpression|\s+/g, ' ').trim(),
		);
		// A new node is version 1.1, with On Failure.
		for (const label of ['Method', 'Path', 'Query Parameters', 'Headers', 'Body Content Type', 'Body', 'Transactional ID', 'On Failure']) {
			expect(labels.some((text) => text.startsWith(label))).toBe(true);
		}
		await shot('webhook-dispatch-parameters.png');
		// The editor's Docs link opens the node's README section (the codex file's first link).
		await expect(page.getByRole('link', { name: 'Docs' }).first().getAttribute('href')).resolves.toContain(
			'github.com/test-run-webhooks/n8n-nodes-test-run-webhooks#webhook-dispatch-webhookdispatch',
		);
		await page.getByText('On Failure', { exact: true }).scrollIntoViewIfNeeded();
		await shot('webhook-dispatch-on-failure.png');
		await page.click('[data-test-id=ndv-close-button]');
		const nodes = page.locator('[data-test-id=canvas-node]');
		await expect(nodes.count()).resolves.toBe(2);
		await page.click('[data-test-id=zoom-to-fit]');
		await page.waitForTimeout(500);
		const canvasText = await page.locator('[data-test-id=canvas]').textContent();
		expect(canvasText).toContain('Test Run Trigger');
		expect(canvasText).toContain('Webhook Dispatch');
		expect(canvasText).toContain('Success');
		expect(canvasText).toContain('Failure');
		await shot('canvas-trigger-and-dispatch.png');
	});
});

async function expectText(locator: ReturnType<Page['locator']>, expected: string[]): Promise<void> {
	const texts = (await locator.allTextContents()).map((text) => text.trim());
	for (const name of expected) expect(texts).toContain(name);
}
