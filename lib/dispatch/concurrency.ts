/**
 * Maps items with at most `limit` in flight; results keep the input order. When one item's work
 * fails, no further item starts, and the failure is thrown only once every item already started
 * has settled: nothing is still being sent after this returns.
 */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
	const results = new Array<R>(items.length);
	let next = 0;
	let failed = false;
	const worker = async () => {
		while (!failed && next < items.length) {
			const index = next++;
			try {
				results[index] = await work(items[index], index);
			} catch (error) {
				failed = true;
				throw error;
			}
		}
	};
	const settled = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
	const failure = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
	if (failure) throw failure.reason;
	return results;
}
