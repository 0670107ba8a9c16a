/**
 * The n8n releases the end-to-end suite, the demo, `npm run dev` and the benchmarks run on, named
 * only here. N8N_2 is the newest 2.x that installs from the npm registry: 2.41.3 (newer) needs
 * `@n8n/config@2.39.1`, which the registry does not have. N8N_1 is the newest 1.x.
 * README ("Install in your n8n") names the same two; test/package/n8nVersions.test.ts keeps it so.
 */
export const N8N_2 = '2.41.1';
export const N8N_1 = '1.123.81';

/** The versions a suite runs on: a comma-separated override (e.g. E2E_N8N_VERSIONS), or both. */
export function n8nVersions(override: string | undefined): string[] {
	return override ? override.split(',') : [N8N_2, N8N_1];
}
