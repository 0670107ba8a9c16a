/**
 * Draws a Slack Block Kit message or a Discord webhook message as plain HTML, close enough to
 * the apps' look to show in the README what a recipe posts. Only what the recipes use is drawn.
 */
// The payloads are the recipes' JSON output, already checked by test/support/targets.ts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const lines = (text: string) => escape(text).replace(/\n/g, '<br>');
/** Status emoji as coloured dots: the machine that draws these pictures has no emoji font. */
const DOTS: Record<string, string> = {
	':red_circle:': '#e01e5a',
	'🔴': '#e01e5a',
	':hourglass:': '#e8912d',
	'⏳': '#e8912d',
	':large_green_circle:': '#2eb67d',
	'🟢': '#2eb67d',
};
const emoji = (html: string) =>
	html.replace(/:[a-z_]+:|🔴|⏳|🟢/gu, (code) => (DOTS[code] ? `<span class="dot" style="background:${DOTS[code]}"></span>` : code));

/** Discord's Markdown as the recipe writes it: **bold** and [text](url). */
const discordMarkdown = (text: string) =>
	emoji(lines(text))
		.replace(/\*\*(.+?)\*\*/g, '<b>$1</b>')
		.replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '<a>$1</a>');

function page(body: string, style: string): string {
	return `<!doctype html><html><head><meta charset="utf-8"><style>body{margin:0;padding:24px;font:15px/1.45 system-ui,sans-serif}.dot{display:inline-block;width:.8em;height:.8em;border-radius:50%;vertical-align:-.05em}${style}</style></head><body>${body}</body></html>`;
}

export function slackPreview(message: Json): string {
	const blocks = (message.blocks as Json[]).map((block) => {
		switch (block.type) {
			case 'header':
				return `<h2>${emoji(escape(block.text.text))}</h2>`;
			case 'section':
				return `<div class="fields">${(block.fields ?? []).map((field: Json) => `<div>${escape(field.text)}</div>`).join('')}</div>`;
			case 'rich_text':
				return (block.elements as Json[])
					.map((element) => {
						const section = (s: Json) =>
							(s.elements as Json[])
								.map((e) => {
									const text = lines(e.text ?? e.url);
									const styled = e.style?.bold ? `<b>${text}</b>` : e.style?.italic ? `<i>${text}</i>` : text;
									return e.type === 'link' ? `<a>${styled}</a>` : styled;
								})
								.join('');
						return element.type === 'rich_text_list'
							? `<ul>${element.elements.map((item: Json) => `<li>${section(item)}</li>`).join('')}</ul>`
							: `<p>${section(element)}</p>`;
					})
					.join('');
			case 'context':
				return `<p class="context">${block.elements.map((element: Json) => escape(element.text)).join(' ')}</p>`;
			case 'actions':
				return `<div>${block.elements.map((button: Json) => `<span class="button">${escape(button.text.text)}</span>`).join('')}</div>`;
			default:
				return '';
		}
	});
	return page(
		`<div class="message"><div class="avatar"></div><div><div class="app">Test runs <span>APP</span></div>${blocks.join('')}</div></div>`,
		`body{background:#fff;color:#1d1c1d}.message{display:flex;gap:10px;max-width:760px}.avatar{width:36px;height:36px;border-radius:6px;background:#4a154b;flex:none}
		.app{font-weight:700}.app span{font-size:10px;background:#e8e8e8;color:#616061;padding:1px 3px;border-radius:2px}h2{font-size:18px;margin:6px 0}
		.fields{display:grid;grid-template-columns:1fr 1fr;gap:4px 24px;margin:8px 0}ul{margin:4px 0;padding-left:22px}p{margin:6px 0}a{color:#1264a3}
		.context{color:#616061;font-size:13px}.button{display:inline-block;border:1px solid #bbb;border-radius:4px;padding:4px 12px;font-weight:700;margin-top:6px}`,
	);
}

export function discordPreview(message: Json): string {
	const [embed] = message.embeds as Json[];
	const color = `#${Number(embed.color).toString(16).padStart(6, '0')}`;
	const fields = ((embed.fields ?? []) as Json[])
		.map(
			(field) =>
				`<div class="field${field.inline ? ' inline' : ''}"><div class="name">${escape(field.name)}</div><div>${discordMarkdown(field.value)}</div></div>`,
		)
		.join('');
	return page(
		`<div class="message"><div class="avatar"></div><div><div class="app">Test runs <span>APP</span></div><div>${discordMarkdown(message.content)}</div>
		<div class="embed" style="border-left-color:${color}"><div class="title">${escape(embed.title)}</div>${embed.description ? `<div class="description">${discordMarkdown(embed.description)}</div>` : ''}
		<div class="fields">${fields}</div><div class="footer">${escape(embed.footer?.text ?? '')}</div></div></div></div>`,
		`body{background:#313338;color:#dbdee1}.message{display:flex;gap:14px;max-width:760px}.avatar{width:40px;height:40px;border-radius:50%;background:#5865f2;flex:none}
		.app{font-weight:600;color:#f2f3f5}.app span{font-size:10px;background:#5865f2;color:#fff;padding:1px 4px;border-radius:3px}
		.embed{background:#2b2d31;border-left:4px solid;border-radius:4px;padding:10px 14px;margin-top:6px;max-width:520px}.title{font-weight:600;color:#00a8fc}
		.description{margin:6px 0}.fields{display:grid;grid-template-columns:repeat(3,1fr);gap:8px}.field{grid-column:1/-1}.field.inline{grid-column:auto}
		.name{font-weight:600;color:#f2f3f5}a{color:#00a8fc}.footer{font-size:12px;color:#949ba4;margin-top:8px}`,
	);
}
