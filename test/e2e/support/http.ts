/** POSTs a JSON body; the answer's body parsed as JSON when it is JSON (some answers are plain text). */
export async function post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: unknown }> {
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
	const text = await response.text();
	try {
		return { status: response.status, body: JSON.parse(text) as unknown };
	} catch {
		return { status: response.status, body: text };
	}
}
