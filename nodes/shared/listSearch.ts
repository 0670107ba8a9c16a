import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { platformClient, toNodeError } from './platform';

function matches(filter: string | undefined, ...texts: Array<string | null | undefined>): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return texts.some((text) => text?.toLowerCase().includes(needle));
}

export async function searchProjects(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	try {
		const projects = await (await platformClient(this)).listProjects();
		return {
			results: projects
				.filter((project) => matches(filter, project.name, project.projectId))
				.map((project) => ({ name: project.name, value: project.projectId })),
		};
	} catch (error) {
		throw toNodeError(this.getNode(), error, 0, 'The project list');
	}
}

export async function searchWebhooks(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const projectId = this.getCurrentNodeParameter('projectId', { extractValue: true }) as string | undefined;
	if (!projectId) return { results: [] };
	try {
		const hooks = await (await platformClient(this)).listWebhooks(projectId);
		return {
			results: hooks
				.filter((hook) => matches(filter, hook.label, hook.url, hook.hookId))
				.map((hook) => ({ name: hook.label ? `${hook.label} (${hook.url})` : hook.url, value: hook.hookId, url: hook.url })),
		};
	} catch (error) {
		throw toNodeError(this.getNode(), error, 0, `Project ${projectId}`);
	}
}
