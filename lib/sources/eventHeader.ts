import { header, type Headers } from '../http/headers';
import { refuse, type Refusal } from '../verify';
import { quoted } from './mapping';
import type { Ignored } from './types';

/**
 * A `screen` for platforms that name the event in a header: the run events go on to the body,
 * every other event (pings, test events, other subscriptions) is ignored, a missing header is
 * refused (no genuine delivery lacks it).
 */
export function screenByEventHeader(headerName: string, runEvents: readonly string[]): (headers: Headers) => Ignored | Refusal | undefined {
	return (headers) => {
		const event = header(headers, headerName);
		if (event === undefined || event.trim() === '') return refuse(`missing header ${headerName}`, 400);
		if (runEvents.includes(event)) return undefined;
		return { ignored: `${headerName} ${quoted(event)} is not a run event` };
	};
}
