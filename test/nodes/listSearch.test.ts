import { TestRunWebhooks } from '../../nodes/TestRunWebhooks/TestRunWebhooks.node';
import { listSearch, node, NodeTypeRegistry } from '../support/engine';
import { startFakeCurrents, type FakeCurrents } from '../../tools/fakeCurrents';

const nodeTypes = new NodeTypeRegistry({ testRunWebhooks: new TestRunWebhooks() });
let fake: FakeCurrents;

beforeEach(async () => {
	// A page size of 1 makes the project list span several pages.
	fake = await startFakeCurrents({
		pageSize: 1,
		projects: [
			{ projectId: 'proj_web', name: 'Web shop' },
			{ projectId: 'proj_mobile', name: 'Mobile app' },
			{ projectId: 'proj_api', name: 'Public API' },
		],
	});
});
afterEach(async () => {
	await fake.close();
});

function search(method: string, parameters: Record<string, unknown>, filter?: string) {
	const target = node('testRunWebhooks', { resource: 'webhook', ...parameters } as never, {
		name: 'Webhooks',
		credentials: { testRunPlatformApi: { id: '1', name: 'Currents' } },
	});
	return listSearch({
		nodes: [target],
		connections: {},
		nodeTypes,
		nodeName: 'Webhooks',
		method,
		parameterPath: method === 'searchProjects' ? 'projectId' : 'hookId',
		filter,
		credentials: { testRunPlatformApi: { baseUrl: fake.baseUrl, apiKey: fake.apiKey } },
	});
}

describe('list search', () => {
	it('lists every project across pages, by name', async () => {
		const { results } = await search('searchProjects', { operation: 'getAll' });
		expect(results).toEqual([
			{ name: 'Web shop', value: 'proj_web' },
			{ name: 'Mobile app', value: 'proj_mobile' },
			{ name: 'Public API', value: 'proj_api' },
		]);
		expect(fake.requests.filter((r) => r.url.startsWith('/v1/projects'))).toHaveLength(3);
	});

	it('filters projects by name or id, ignoring case', async () => {
		const { results } = await search('searchProjects', { operation: 'getAll' }, 'MOBILE');
		expect(results).toEqual([{ name: 'Mobile app', value: 'proj_mobile' }]);
	});

	it("lists the chosen project's webhooks by label and URL", async () => {
		const hook = { projectId: 'proj_web', hookEvents: ['RUN_FINISH'], headers: null, createdAt: '', updatedAt: '' };
		fake.hooks.set('11111111-1111-4111-8111-111111111111', {
			...hook,
			hookId: '11111111-1111-4111-8111-111111111111',
			url: 'https://a.example.com/',
			label: 'Alerts',
		});
		fake.hooks.set('22222222-2222-4222-8222-222222222222', {
			...hook,
			hookId: '22222222-2222-4222-8222-222222222222',
			url: 'https://b.example.com/',
			label: null,
		});
		const { results } = await search('searchWebhooks', { operation: 'get', projectId: { __rl: true, mode: 'id', value: 'proj_web' } });
		expect(results).toEqual([
			{ name: 'Alerts (https://a.example.com/)', value: '11111111-1111-4111-8111-111111111111', url: 'https://a.example.com/' },
			{ name: 'https://b.example.com/', value: '22222222-2222-4222-8222-222222222222', url: 'https://b.example.com/' },
		]);
	});

	it('offers no webhooks until a project is chosen', async () => {
		const { results } = await search('searchWebhooks', { operation: 'get' });
		expect(results).toEqual([]);
		expect(fake.requests).toHaveLength(0);
	});
});
