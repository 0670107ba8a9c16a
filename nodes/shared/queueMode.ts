/** n8n in queue mode: main, webhook processors and workers are separate processes. */
export function runsInQueueMode(env: NodeJS.ProcessEnv = process.env): boolean {
	return env.EXECUTIONS_MODE === 'queue';
}
