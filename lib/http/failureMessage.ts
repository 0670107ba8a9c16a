import type { TransportError } from './transport';

/** How one caller names what it called; the wording of each kind of failure stays here. */
export interface FailureWording {
	/** The deadline the call had: a timeout is told in seconds. */
	timeoutMs: number;
	/** Who should have answered, as a sentence's subject ("The webhook URL …"); absent: "No answer within …". */
	subject?: string;
	/** The message when no connection was made, given the transport's detail (which may need redacting). */
	unreachable: (detail: string) => string;
	/** The message when the outbound policy refused the address; `unreachable` when absent. */
	blocked?: (detail: string) => string;
}

/** The user's message for a call that produced no HTTP answer. */
export function transportFailureMessage(failure: TransportError, wording: FailureWording): string {
	switch (failure.kind) {
		case 'timeout': {
			const seconds = wording.timeoutMs / 1000;
			return wording.subject ? `${wording.subject} gave no answer within ${seconds} s` : `No answer within ${seconds} s`;
		}
		case 'blocked':
			return (wording.blocked ?? wording.unreachable)(failure.message);
		case 'network':
			return wording.unreachable(failure.message);
	}
}
