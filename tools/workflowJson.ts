/** A workflow as n8n's `import:workflow` reads it: inactive, v1 execution order, no pinned data. */
export const workflowJson = (id: string, name: string, nodes: object[], connections: object = {}, staticData?: object) => ({
	id,
	name,
	active: false,
	nodes,
	connections,
	settings: { executionOrder: 'v1' },
	pinData: {},
	...(staticData ? { staticData } : {}),
});
