/**
 * What each notification target accepts, written from the vendors' documented request formats
 * and limits, as receiver checks: given a request, the list of problems a real endpoint would
 * reject (or silently cut). Shared by the recipe unit tests and the end-to-end suite.
 */

export interface Delivery {
	method: string;
	/** Path and query as received. */
	url: string;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

/** What a recipe showed of a run's failures: the names listed and the "and N more" count. */
export interface Listing {
	names: string[];
	more: number;
}

export interface TargetSpec {
	/** The recipe file's name in examples/recipes, without ".json". */
	recipe: string;
	/** Shaped like the vendor's real URL, under a prefix that tells the receiver which target. */
	rootPath: string;
	/** The path (before any query) a request must reach. */
	requestPath: string;
	credential?: { headers?: Record<string, string>; secretHeaders?: Record<string, string> };
	/** The vendor's answer to an accepted request. */
	answer(body: Json): { status: number; body?: unknown };
	check(body: Json, delivery: Delivery): string[];
	listing(body: Json): Listing;
}

// The payloads are arbitrary JSON; the checks test every field before trusting it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const chars = (text: string) => Array.from(text).length;
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isHttpUrl = (value: unknown) => typeof value === 'string' && /^https?:\/\/[^\s]+$/.test(value);
const moreCount = (text: unknown) => (typeof text === 'string' ? Number(/and (\d+) more/.exec(text)?.[1] ?? 0) : 0);

/** Collects problems; every method names the field it checks. */
class Problems {
	readonly found: string[] = [];

	add(problem: string): void {
		this.found.push(problem);
	}

	require(condition: boolean, problem: string): boolean {
		if (!condition) this.add(problem);
		return condition;
	}

	/** A string of `min`..`max` characters (code points, as the vendors count). */
	text(value: unknown, field: string, max: number, min = 1): boolean {
		if (typeof value !== 'string') return this.require(false, `${field} must be a string, got ${JSON.stringify(value)}`);
		const length = chars(value);
		return this.require(length >= min && length <= max, `${field} has ${length} characters; allowed ${min}..${max}`);
	}

	optionalText(value: unknown, field: string, max: number): void {
		if (value !== undefined) this.text(value, field, max);
	}

	array(value: unknown, field: string, max: number, min = 0): value is unknown[] {
		if (!Array.isArray(value)) return this.require(false, `${field} must be a list`);
		return this.require(value.length >= min && value.length <= max, `${field} has ${value.length} entries; allowed ${min}..${max}`);
	}

	oneOf(value: unknown, field: string, allowed: readonly unknown[]): void {
		this.require(allowed.includes(value), `${field} is ${JSON.stringify(value)}; allowed ${allowed.join(', ')}`);
	}

	url(value: unknown, field: string, max = Infinity): void {
		if (this.require(isHttpUrl(value), `${field} must be an http(s) URL, got ${JSON.stringify(value)}`)) this.text(value, field, max);
	}

	header(delivery: Delivery, name: string, pattern: RegExp): void {
		const value = delivery.headers[name];
		this.require(typeof value === 'string' && pattern.test(value), `header ${name} is ${JSON.stringify(value)}; expected ${pattern}`);
	}
}

function common(problems: Problems, delivery: Delivery, path: string): void {
	problems.require(delivery.method === 'POST', `method is ${delivery.method}; expected POST`);
	problems.require(delivery.url.split('?')[0] === path, `path is ${delivery.url}; expected ${path}`);
	problems.header(delivery, 'content-type', /^application\/json\b/);
}

// ---- Slack: incoming webhook with Block Kit -------------------------------------------------

const SLACK = {
	blocks: 50,
	header: 150,
	sectionText: 3000,
	fields: 10,
	fieldText: 2000,
	contextElements: 10,
	actionElements: 25,
	buttonText: 75,
	buttonUrl: 3000,
	blockId: 255,
	messageText: 40000,
};

function slackTextObject(problems: Problems, value: unknown, field: string, max: number, types = ['plain_text', 'mrkdwn']): void {
	if (!problems.require(isObject(value), `${field} must be a text object`)) return;
	const object = value as Record<string, unknown>;
	problems.oneOf(object.type, `${field}.type`, types);
	problems.text(object.text, `${field}.text`, max);
	if (object.emoji !== undefined) problems.require(object.type === 'plain_text', `${field}.emoji is for plain_text only`);
}

/** Rich text has no published per-element limit; 3000 (Slack's text-object limit) keeps it sane. */
function slackRichTextSection(problems: Problems, value: unknown, field: string): void {
	if (!problems.require(isObject(value) && value.type === 'rich_text_section', `${field} must be a rich_text_section`)) return;
	const elements = (value as Record<string, unknown>).elements;
	if (!problems.array(elements, `${field}.elements`, 1000, 1)) return;
	elements.forEach((element, i) => {
		const at = `${field}.elements[${i}]`;
		if (!problems.require(isObject(element), `${at} must be an object`)) return;
		const e = element as Record<string, unknown>;
		problems.oneOf(e.type, `${at}.type`, ['text', 'link', 'emoji', 'user', 'channel', 'usergroup', 'date', 'broadcast', 'color']);
		if (e.type === 'text') problems.text(e.text, `${at}.text`, SLACK.sectionText);
		if (e.type === 'link') {
			problems.url(e.url, `${at}.url`, SLACK.buttonUrl);
			problems.optionalText(e.text, `${at}.text`, SLACK.sectionText);
		}
	});
}

function checkSlack(body: Json, delivery: Delivery): string[] {
	const problems = new Problems();
	common(problems, delivery, slack.requestPath);
	problems.text(body?.text, 'text', SLACK.messageText);
	if (!problems.array(body?.blocks, 'blocks', SLACK.blocks, 1)) return problems.found;
	(body.blocks as unknown[]).forEach((block, index) => {
		const at = `blocks[${index}]`;
		if (!problems.require(isObject(block), `${at} must be an object`)) return;
		const b = block as Json;
		problems.optionalText(b.block_id, `${at}.block_id`, SLACK.blockId);
		switch (b.type) {
			case 'header':
				slackTextObject(problems, b.text, `${at}.text`, SLACK.header, ['plain_text']);
				break;
			case 'section':
				problems.require(b.text !== undefined || b.fields !== undefined, `${at} needs text or fields`);
				if (b.text !== undefined) slackTextObject(problems, b.text, `${at}.text`, SLACK.sectionText);
				if (b.fields !== undefined && problems.array(b.fields, `${at}.fields`, SLACK.fields, 1)) {
					b.fields.forEach((field: unknown, i: number) => slackTextObject(problems, field, `${at}.fields[${i}]`, SLACK.fieldText));
				}
				break;
			case 'context':
				if (problems.array(b.elements, `${at}.elements`, SLACK.contextElements, 1)) {
					b.elements.forEach((element: unknown, i: number) => slackTextObject(problems, element, `${at}.elements[${i}]`, SLACK.sectionText));
				}
				break;
			case 'actions':
				if (problems.array(b.elements, `${at}.elements`, SLACK.actionElements, 1)) {
					b.elements.forEach((element: Json, i: number) => {
						problems.oneOf(element?.type, `${at}.elements[${i}].type`, ['button']);
						slackTextObject(problems, element?.text, `${at}.elements[${i}].text`, SLACK.buttonText, ['plain_text']);
						if (element?.url !== undefined) problems.url(element.url, `${at}.elements[${i}].url`, SLACK.buttonUrl);
					});
				}
				break;
			case 'rich_text':
				if (problems.array(b.elements, `${at}.elements`, 1000, 1)) {
					b.elements.forEach((element: Json, i: number) => {
						const where = `${at}.elements[${i}]`;
						if (element?.type === 'rich_text_list') {
							problems.oneOf(element.style, `${where}.style`, ['bullet', 'ordered']);
							if (problems.array(element.elements, `${where}.elements`, 1000, 1)) {
								element.elements.forEach((item: unknown, j: number) => slackRichTextSection(problems, item, `${where}.elements[${j}]`));
							}
						} else {
							slackRichTextSection(problems, element, where);
						}
					});
				}
				break;
			case 'divider':
				break;
			default:
				problems.add(`${at}.type ${JSON.stringify(b.type)} is not a message block this check knows`);
		}
	});
	return problems.found;
}

const slackSectionText = (section: Json): string => section.elements.map((element: Json) => element.text ?? '').join('');

export const slack: TargetSpec = {
	recipe: 'slack',
	rootPath: '/slack/services/T0E2E0001/B0E2E0001/e2eSlackWebhookToken',
	requestPath: '/slack/services/T0E2E0001/B0E2E0001/e2eSlackWebhookToken',
	answer: () => ({ status: 200, body: 'ok' }),
	check: checkSlack,
	listing(body) {
		const richText = (body.blocks as Json[]).find((block) => block.type === 'rich_text');
		if (!richText) return { names: [], more: 0 };
		const list = richText.elements.find((element: Json) => element.type === 'rich_text_list');
		const trailer = richText.elements
			.filter((element: Json) => element.type === 'rich_text_section')
			.map(slackSectionText)
			.join(' ');
		return { names: (list?.elements ?? []).map((item: Json) => item.elements[0].text), more: moreCount(trailer) };
	},
};

// ---- Microsoft Teams: Workflows webhook with an Adaptive Card ----------------------------

/** Teams refuses messages over about 28 KB; Workflows renders Adaptive Cards up to 1.5. */
const TEAMS = { messageBytes: 28 * 1024, versions: ['1.0', '1.1', '1.2', '1.3', '1.4', '1.5'] };
const CARD_ELEMENTS = ['TextBlock', 'FactSet', 'Container', 'ColumnSet', 'Image', 'ImageSet', 'ActionSet', 'RichTextBlock', 'Table'];
const CARD_COLORS = ['Default', 'Dark', 'Light', 'Accent', 'Good', 'Warning', 'Attention'];

function checkTeams(body: Json, delivery: Delivery): string[] {
	const problems = new Problems();
	common(problems, delivery, teams.requestPath);
	problems.require(/[?&]sig=[^&]+/.test(delivery.url), 'the query lost the sig parameter of the Workflows URL');
	problems.require(bytes(delivery.body) <= TEAMS.messageBytes, `message is ${bytes(delivery.body)} bytes; Teams allows ${TEAMS.messageBytes}`);
	problems.oneOf(body?.type, 'type', ['message']);
	if (!problems.array(body?.attachments, 'attachments', 10, 1)) return problems.found;
	const [attachment] = body.attachments as Json[];
	problems.oneOf(attachment?.contentType, 'attachments[0].contentType', ['application/vnd.microsoft.card.adaptive']);
	const card = attachment?.content;
	if (!problems.require(isObject(card), 'attachments[0].content must be the card')) return problems.found;
	problems.oneOf(card.type, 'card.type', ['AdaptiveCard']);
	problems.oneOf(card.version, 'card.version', TEAMS.versions);
	if (problems.array(card.body, 'card.body', 1000, 1)) {
		(card.body as Json[]).forEach((element, i) => {
			const at = `card.body[${i}]`;
			problems.oneOf(element?.type, `${at}.type`, CARD_ELEMENTS);
			if (element?.type === 'TextBlock') {
				problems.text(element.text, `${at}.text`, Infinity);
				if (element.color !== undefined) problems.oneOf(element.color, `${at}.color`, CARD_COLORS);
			}
			if (element?.type === 'FactSet' && problems.array(element.facts, `${at}.facts`, 1000, 1)) {
				element.facts.forEach((fact: Json, j: number) => {
					problems.text(fact?.title, `${at}.facts[${j}].title`, Infinity);
					problems.text(fact?.value, `${at}.facts[${j}].value`, Infinity);
				});
			}
		});
	}
	if (card.actions !== undefined && problems.array(card.actions, 'card.actions', 100, 1)) {
		(card.actions as Json[]).forEach((action, i) => {
			problems.oneOf(action?.type, `card.actions[${i}].type`, ['Action.OpenUrl', 'Action.ShowCard', 'Action.ToggleVisibility']);
			if (action?.type === 'Action.OpenUrl') {
				problems.text(action.title, `card.actions[${i}].title`, Infinity);
				problems.url(action.url, `card.actions[${i}].url`);
			}
		});
	}
	return problems.found;
}

export const teams: TargetSpec = {
	recipe: 'teams',
	rootPath: '/teams/workflows/e2e0flow/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=e2eSignature',
	requestPath: '/teams/workflows/e2e0flow/triggers/manual/paths/invoke',
	answer: () => ({ status: 202 }),
	check: checkTeams,
	listing(body) {
		const blocks: Json[] = body.attachments[0].content.body;
		const start = blocks.findIndex((element) => element.text === 'Failures');
		if (start < 0) return { names: [], more: 0 };
		const items = blocks.slice(start + 1).map((element) => String(element.text));
		const names = items
			.map((text) => /^\[(.*?)\]\(|^\*\*(.*?)\*\*:/s.exec(text))
			.filter((match) => match !== null)
			.map((match) => match[1] ?? match[2]);
		return { names, more: moreCount(items[items.length - 1]) };
	},
};

// ---- Discord: webhook with one embed ---------------------------------------------------------

const DISCORD = {
	content: 2000,
	embeds: 10,
	title: 256,
	description: 4096,
	fields: 25,
	fieldName: 256,
	fieldValue: 1024,
	footer: 2048,
	author: 256,
	total: 6000,
};

function checkDiscord(body: Json, delivery: Delivery): string[] {
	const problems = new Problems();
	common(problems, delivery, discord.requestPath);
	problems.require(body?.content !== undefined || body?.embeds !== undefined, 'a message needs content or embeds');
	problems.optionalText(body?.content, 'content', DISCORD.content);
	// Test names are untrusted text: the recipe promises they can never ping anyone.
	problems.require(Array.isArray(body?.allowed_mentions?.parse) && body.allowed_mentions.parse.length === 0, 'allowed_mentions.parse must be an empty list');
	if (body?.embeds === undefined || !problems.array(body.embeds, 'embeds', DISCORD.embeds)) return problems.found;
	let total = 0;
	const counted = (value: unknown) => (typeof value === 'string' ? (total += chars(value)) : 0);
	(body.embeds as Json[]).forEach((embed, e) => {
		const at = `embeds[${e}]`;
		problems.optionalText(embed.title, `${at}.title`, DISCORD.title);
		problems.optionalText(embed.description, `${at}.description`, DISCORD.description);
		if (embed.url !== undefined) problems.url(embed.url, `${at}.url`);
		if (embed.color !== undefined)
			problems.require(Number.isInteger(embed.color) && embed.color >= 0 && embed.color <= 0xffffff, `${at}.color must be an RGB integer`);
		if (embed.timestamp !== undefined)
			problems.require(typeof embed.timestamp === 'string' && !Number.isNaN(Date.parse(embed.timestamp)), `${at}.timestamp must be ISO 8601`);
		if (embed.footer !== undefined) problems.text(embed.footer?.text, `${at}.footer.text`, DISCORD.footer);
		if (embed.author !== undefined) problems.text(embed.author?.name, `${at}.author.name`, DISCORD.author);
		[embed.title, embed.description, embed.footer?.text, embed.author?.name].forEach(counted);
		if (embed.fields !== undefined && problems.array(embed.fields, `${at}.fields`, DISCORD.fields)) {
			(embed.fields as Json[]).forEach((field, i) => {
				problems.text(field?.name, `${at}.fields[${i}].name`, DISCORD.fieldName);
				problems.text(field?.value, `${at}.fields[${i}].value`, DISCORD.fieldValue);
				if (field?.inline !== undefined) problems.require(typeof field.inline === 'boolean', `${at}.fields[${i}].inline must be a boolean`);
				counted(field?.name);
				counted(field?.value);
			});
		}
	});
	problems.require(total <= DISCORD.total, `the embeds hold ${total} characters; Discord allows ${DISCORD.total}`);
	return problems.found;
}

export const discord: TargetSpec = {
	recipe: 'discord',
	rootPath: '/discord/api/webhooks/1000000000000000001/e2eDiscordWebhookToken',
	requestPath: '/discord/api/webhooks/1000000000000000001/e2eDiscordWebhookToken',
	answer: () => ({ status: 204 }),
	check: checkDiscord,
	listing(body) {
		const fields: Json[] = body.embeds[0].fields ?? [];
		const failureFields = fields.filter((field) => field.inline !== true);
		const trailer = failureFields.find((field) => /^and \d+ more$/.test(field.name));
		return { names: failureFields.filter((field) => field !== trailer).map((field) => field.name), more: moreCount(trailer?.name) };
	},
};

// ---- Google Chat: incoming webhook with cardsV2 ----------------------------------------------

const GOOGLE_CHAT = { messageBytes: 32000, text: 4096, widgetsPerCard: 100 };
const CHAT_WIDGETS = ['textParagraph', 'decoratedText', 'buttonList', 'divider', 'image', 'columns', 'grid'];

function chatButton(problems: Problems, button: Json, at: string): void {
	problems.text(button?.text, `${at}.text`, Infinity);
	problems.url(button?.onClick?.openLink?.url, `${at}.onClick.openLink.url`);
}

function checkGoogleChat(body: Json, delivery: Delivery): string[] {
	const problems = new Problems();
	common(problems, delivery, googleChat.requestPath);
	const query = new URLSearchParams(delivery.url.split('?')[1] ?? '');
	problems.require(query.get('key') === 'e2eKey' && query.get('token') === 'e2eToken', 'the query lost the key or token of the webhook URL');
	problems.require(
		bytes(delivery.body) <= GOOGLE_CHAT.messageBytes,
		`message is ${bytes(delivery.body)} bytes; Google Chat allows ${GOOGLE_CHAT.messageBytes}`,
	);
	problems.require(body?.text !== undefined || body?.cardsV2 !== undefined, 'a message needs text or cardsV2');
	problems.optionalText(body?.text, 'text', GOOGLE_CHAT.text);
	if (body?.cardsV2 === undefined || !problems.array(body.cardsV2, 'cardsV2', 100, 1)) return problems.found;
	(body.cardsV2 as Json[]).forEach((entry, c) => {
		const at = `cardsV2[${c}]`;
		problems.text(entry?.cardId, `${at}.cardId`, Infinity);
		const card = entry?.card;
		if (card?.header !== undefined) problems.text(card.header.title, `${at}.card.header.title`, Infinity);
		if (!problems.array(card?.sections, `${at}.card.sections`, 100, 1)) return;
		let widgets = 0;
		(card.sections as Json[]).forEach((section, s) => {
			if (!problems.array(section?.widgets, `${at}.card.sections[${s}].widgets`, Infinity, 1)) return;
			(section.widgets as Json[]).forEach((widget, w) => {
				widgets++;
				const where = `${at}.card.sections[${s}].widgets[${w}]`;
				const kinds = Object.keys(widget ?? {});
				if (!problems.require(kinds.length === 1 && CHAT_WIDGETS.includes(kinds[0]), `${where} must be exactly one known widget, got ${kinds.join(', ')}`))
					return;
				if (widget.textParagraph) problems.text(widget.textParagraph.text, `${where}.textParagraph.text`, Infinity);
				if (widget.decoratedText) {
					problems.text(widget.decoratedText.text, `${where}.decoratedText.text`, Infinity);
					if (widget.decoratedText.button !== undefined) chatButton(problems, widget.decoratedText.button, `${where}.decoratedText.button`);
				}
				if (widget.buttonList && problems.array(widget.buttonList.buttons, `${where}.buttonList.buttons`, 100, 1)) {
					widget.buttonList.buttons.forEach((button: Json, b: number) => chatButton(problems, button, `${where}.buttonList.buttons[${b}]`));
				}
			});
		});
		// Chat drops widgets beyond the limit silently: the end of the list would vanish.
		problems.require(widgets <= GOOGLE_CHAT.widgetsPerCard, `${at} has ${widgets} widgets; Google Chat shows ${GOOGLE_CHAT.widgetsPerCard}`);
	});
	return problems.found;
}

export const googleChat: TargetSpec = {
	recipe: 'google-chat',
	rootPath: '/chat/v1/spaces/AAAAe2e0000/messages?key=e2eKey&token=e2eToken',
	requestPath: '/chat/v1/spaces/AAAAe2e0000/messages',
	answer: () => ({ status: 200, body: { name: 'spaces/AAAAe2e0000/messages/1' } }),
	check: checkGoogleChat,
	listing(body) {
		const section = (body.cardsV2[0].card.sections as Json[]).find((candidate) => candidate.header === 'Failures');
		if (!section) return { names: [], more: 0 };
		const widgets: Json[] = section.widgets;
		return {
			names: widgets.filter((widget) => widget.decoratedText).map((widget) => widget.decoratedText.topLabel),
			more: moreCount(widgets.find((widget) => widget.textParagraph)?.textParagraph.text),
		};
	},
};

// ---- PagerDuty: Events API v2 -----------------------------------------------------------------

const PAGERDUTY = { routingKey: 32, dedupKey: 255, summary: 1024, requestBytes: 512 * 1024 };

function checkPagerDuty(body: Json, delivery: Delivery): string[] {
	const problems = new Problems();
	common(problems, delivery, pagerDuty.requestPath);
	problems.require(bytes(delivery.body) <= PAGERDUTY.requestBytes, `event is ${bytes(delivery.body)} bytes; PagerDuty allows ${PAGERDUTY.requestBytes}`);
	problems.require(
		typeof body?.routing_key === 'string' && body.routing_key.length === PAGERDUTY.routingKey,
		'routing_key must be the 32-character integration key',
	);
	problems.oneOf(body?.event_action, 'event_action', ['trigger', 'acknowledge', 'resolve']);
	// Optional for a trigger in the API, but resolving needs it: the recipe always sends one.
	problems.text(body?.dedup_key, 'dedup_key', PAGERDUTY.dedupKey);
	if (body?.event_action !== 'trigger') return problems.found;
	const payload = body.payload;
	if (!problems.require(isObject(payload), 'payload is required to trigger')) return problems.found;
	problems.text(payload.summary, 'payload.summary', PAGERDUTY.summary);
	problems.text(payload.source, 'payload.source', Infinity);
	problems.oneOf(payload.severity, 'payload.severity', ['critical', 'error', 'warning', 'info']);
	if (payload.timestamp !== undefined)
		problems.require(typeof payload.timestamp === 'string' && !Number.isNaN(Date.parse(payload.timestamp)), 'payload.timestamp must be ISO 8601');
	for (const field of ['component', 'group', 'class'] as const) problems.optionalText(payload[field], `payload.${field}`, Infinity);
	if (payload.custom_details !== undefined) problems.require(isObject(payload.custom_details), 'payload.custom_details must be an object');
	if (body.client_url !== undefined) problems.url(body.client_url, 'client_url');
	if (body.links !== undefined && problems.array(body.links, 'links', 100)) {
		(body.links as Json[]).forEach((link, i) => {
			problems.url(link?.href, `links[${i}].href`);
			problems.optionalText(link?.text, `links[${i}].text`, Infinity);
		});
	}
	return problems.found;
}

export const pagerDuty: TargetSpec = {
	recipe: 'pagerduty',
	rootPath: '/pagerduty',
	requestPath: '/pagerduty/v2/enqueue',
	answer: (body) => ({ status: 202, body: { status: 'success', message: 'Event processed', dedup_key: body?.dedup_key } }),
	check: checkPagerDuty,
	listing(body) {
		const details = body.payload?.custom_details;
		return { names: (details?.failures ?? []).map((failure: Json) => failure.name), more: details?.more_failures ?? 0 };
	},
};

// ---- GitHub: REST "Create an issue" ----------------------------------------------------------

const GITHUB = { title: 256, body: 65536, label: 50 };

function checkGitHub(body: Json, delivery: Delivery): string[] {
	const problems = new Problems();
	common(problems, delivery, gitHubIssues.requestPath);
	problems.header(delivery, 'authorization', /^(Bearer|token) \S+$/);
	problems.header(delivery, 'user-agent', /\S/);
	problems.header(delivery, 'accept', /^application\/vnd\.github\+json$/);
	problems.header(delivery, 'x-github-api-version', /^\d{4}-\d{2}-\d{2}$/);
	problems.text(body?.title, 'title', GITHUB.title);
	problems.optionalText(body?.body, 'body', GITHUB.body);
	if (body?.labels !== undefined && problems.array(body.labels, 'labels', 100)) {
		(body.labels as unknown[]).forEach((label, i) => problems.text(label, `labels[${i}]`, GITHUB.label));
	}
	return problems.found;
}

export const gitHubIssues: TargetSpec = {
	recipe: 'github-issues',
	rootPath: '/github/repos/acme/shop',
	requestPath: '/github/repos/acme/shop/issues',
	credential: { secretHeaders: { Authorization: 'Bearer ghp_e2eTokenNotReal' } },
	answer: () => ({ status: 201, body: { number: 1347, html_url: 'https://github.com/acme/shop/issues/1347' } }),
	check: checkGitHub,
	listing(body) {
		const lines = String(body.body).split('\n');
		const names = lines
			.map((line) => /^- (?:\[(.*?)\]\(|\*\*(.*?)\*\*:)/.exec(line))
			.filter((match) => match !== null)
			.map((match) => match[1] ?? match[2]);
		return { names, more: moreCount(lines.find((line) => /^_and \d+ more/.test(line))) };
	},
};

export const TARGETS: TargetSpec[] = [slack, teams, discord, googleChat, pagerDuty, gitHubIssues];
