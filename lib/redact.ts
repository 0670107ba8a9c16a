/** What a secret value is shown as, wherever it would otherwise appear. */
export const MASK = '***';

/** Replaces every secret value in a text; longer secrets first so no part of one survives. */
export function redact(text: string, secrets: readonly string[]): string {
	let result = text;
	for (const secret of [...secrets].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length)) result = result.split(secret).join(MASK);
	return result;
}
