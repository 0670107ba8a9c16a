import { deliver } from '../support/recipes';
import { discord, gitHubIssues, googleChat, pagerDuty, slack, teams, type Delivery, type TargetSpec } from '../support/targets';

// The receiver checks must catch what the vendors refuse: each case breaks one documented rule
// in an otherwise valid request and expects the check to name it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const many = <T>(count: number, make: (i: number) => T) => Array.from({ length: count }, (_, i) => make(i));

const cases: Array<[string, TargetSpec, (body: Json, delivery: Delivery) => void, RegExp]> = [
	['Slack: 51 blocks', slack, (body) => body.blocks.push(...many(51 - body.blocks.length, () => ({ type: 'divider' }))), /blocks has 51 entries/],
	['Slack: a 151-character header', slack, (body) => (body.blocks[0].text.text = 'x'.repeat(151)), /blocks\[0\]\.text\.text has 151 characters/],
	['Slack: 11 fields', slack, (body) => body.blocks[1].fields.push(...many(5, () => ({ type: 'plain_text', text: 'x' }))), /fields has 11 entries/],
	['Slack: a button text over 75', slack, (body) => (body.blocks.at(-1).elements[0].text.text = 'x'.repeat(76)), /has 76 characters; allowed 1\.\.75/],
	['Teams: a card of the wrong content type', teams, (body) => (body.attachments[0].contentType = 'application/json'), /contentType/],
	['Teams: over 28 KB', teams, (_body, delivery) => (delivery.body += ' '.repeat(29 * 1024)), /bytes; Teams allows/],
	['Teams: a card version Teams does not render', teams, (body) => (body.attachments[0].content.version = '1.6'), /card\.version/],
	[
		'Discord: 26 fields',
		discord,
		(body) => body.embeds[0].fields.push(...many(26 - body.embeds[0].fields.length, () => ({ name: 'n', value: 'v' }))),
		/fields has 26 entries/,
	],
	[
		'Discord: more than 6000 characters in total',
		discord,
		(body) => body.embeds[0].fields.push(...many(7, () => ({ name: 'n', value: 'v'.repeat(1000) }))),
		/Discord allows 6000/,
	],
	['Discord: a 4097-character description', discord, (body) => (body.embeds[0].description = 'x'.repeat(4097)), /description has 4097/],
	['Discord: mentions allowed', discord, (body) => delete body.allowed_mentions, /allowed_mentions/],
	[
		'Google Chat: 101 widgets',
		googleChat,
		(body) => body.cardsV2[0].card.sections[0].widgets.push(...many(101, () => ({ divider: {} }))),
		/widgets; Google Chat shows 100/,
	],
	['Google Chat: text over 4096', googleChat, (body) => (body.text = 'x'.repeat(4097)), /text has 4097/],
	['Google Chat: the webhook token dropped', googleChat, (_body, delivery) => (delivery.url = delivery.url.replace(/token=[^&]+/, '')), /key or token/],
	['PagerDuty: a 31-character routing key', pagerDuty, (body) => (body.routing_key = body.routing_key.slice(1)), /routing_key/],
	['PagerDuty: a 1025-character summary', pagerDuty, (body) => (body.payload.summary = 'x'.repeat(1025)), /payload\.summary has 1025/],
	['PagerDuty: an unknown severity', pagerDuty, (body) => (body.payload.severity = 'fatal'), /payload\.severity/],
	['GitHub: a 257-character title', gitHubIssues, (body) => (body.title = 'x'.repeat(257)), /title has 257/],
	['GitHub: no User-Agent', gitHubIssues, (_body, delivery) => delete delivery.headers['user-agent'], /user-agent/],
	['GitHub: no token', gitHubIssues, (_body, delivery) => delete delivery.headers.authorization, /authorization/],
];

describe('receiver checks', () => {
	it.each(cases)('refuse %s', (_name, target, breakIt, problem) => {
		const delivery = deliver(target, { status: 'failed', failures: 3 });
		const body = JSON.parse(delivery.body);
		expect(target.check(body, delivery)).toEqual([]);
		breakIt(body, delivery);
		expect(target.check(body, delivery)).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
	});
});
