import { header, refuse, type Headers, type Refusal } from '../verify/verifiers';
import type { Ignored } from './types';

/** Long enough for any event name a platform sends; a longer value is cut in the answer. */
const SHOWN_CHARACTERS = 60;

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
		return { ignored: `${headerName} ${JSON.stringify(event.slice(0, SHOWN_CHARACTERS))} is not a run event` };
	};
}
