/** The workflows and credentials the end-to-end suite imports into a real n8n. */
import { workflowJson } from '../../../tools/workflowJson';

const PKG = 'n8n-nodes-test-run-webhooks';
let position = 0;
const at = (): [number, number] => [(position += 240), 300];

export const IDS = {
	currents: { workflow: 'e2eCurrents00001', webhook: 'a1b2c3d4-0000-4000-8000-000000000001' },
	maestro: { workflow: 'e2eMaestro000001', webhook: 'a1b2c3d4-0000-4000-8000-000000000002' },
	autosana: { workflow: 'e2eAutosana00001', webhook: 'a1b2c3d4-0000-4000-8000-000000000003' },
	manage: { workflow: 'e2eManage0000001', webhook: 'a1b2c3d4-0000-4000-8000-000000000004' },
	cypressCloud: { workflow: 'e2eCypress000001', webhook: 'a1b2c3d4-0000-4000-8000-000000000005' },
	githubActions: { workflow: 'e2eGithub0000001', webhook: 'a1b2c3d4-0000-4000-8000-000000000006' },
};

export const SECRETS = {
	maestro: 'maestro-project-token-e2e',
	autosana: 'autosana-signing-secret-e2e',
	cypressCloud: 'cypress-cloud-secret-e2e',
	githubActions: 'github-webhook-secret-e2e',
	receiverAuth: 'Bearer receiver-secret-e2e',
};

const credentialRef = {
	platform: { testRunPlatformApi: { id: 'e2eCredPlatform1', name: 'Fake Currents API' } },
	maestro: { testRunWebhookSecret: { id: 'e2eCredMaestro01', name: 'Maestro token' } },
	autosana: { testRunWebhookSecret: { id: 'e2eCredAutosana1', name: 'Autosana secret' } },
	cypressCloud: { testRunWebhookSecret: { id: 'e2eCredCypress01', name: 'Cypress Cloud secret' } },
	githubActions: { testRunWebhookSecret: { id: 'e2eCredGithub001', name: 'GitHub secret' } },
	receiver: { webhookIntegration: { id: 'e2eCredReceiver1', name: 'Local receiver' } },
};

export function credentials(fakeCurrents: { baseUrl: string; apiKey: string }, receiverUrl: string) {
	return [
		{ id: 'e2eCredPlatform1', name: 'Fake Currents API', type: 'testRunPlatformApi', data: { baseUrl: fakeCurrents.baseUrl, apiKey: fakeCurrents.apiKey } },
		{ id: 'e2eCredMaestro01', name: 'Maestro token', type: 'testRunWebhookSecret', data: { secret: SECRETS.maestro, previousSecret: '' } },
		{ id: 'e2eCredAutosana1', name: 'Autosana secret', type: 'testRunWebhookSecret', data: { secret: SECRETS.autosana, previousSecret: '' } },
		{ id: 'e2eCredCypress01', name: 'Cypress Cloud secret', type: 'testRunWebhookSecret', data: { secret: SECRETS.cypressCloud, previousSecret: '' } },
		{ id: 'e2eCredGithub001', name: 'GitHub secret', type: 'testRunWebhookSecret', data: { secret: SECRETS.githubActions, previousSecret: '' } },
		{
			id: 'e2eCredReceiver1',
			name: 'Local receiver',
			type: 'webhookIntegration',
			data: {
				rootUrl: receiverUrl,
				headers: '{"X-Team": "qa"}',
				secretHeaders: JSON.stringify({ Authorization: SECRETS.receiverAuth }),
				rateLimitPerSecond: 0,
				signingSecret: '',
				timeoutSeconds: 10,
				blockPrivateNetworks: false,
			},
		},
	];
}

function trigger(name: string, webhookId: string, parameters: Record<string, unknown>, creds: object) {
	return { id: `${webhookId}-node`, name, type: `${PKG}.testRunTrigger`, typeVersion: 1, position: at(), webhookId, parameters, credentials: creds };
}

function dispatch(name: string, path: string, body: string, extra: Record<string, unknown> = {}) {
	return {
		id: `dispatch-${name.replace(/\W/g, '')}`,
		name,
		type: `${PKG}.webhookDispatch`,
		typeVersion: 1,
		position: at(),
		parameters: { method: 'POST', path, bodyContentType: 'json', body, ...extra },
		credentials: credentialRef.receiver,
	};
}

function webhooksNode(name: string, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) {
	return {
		id: `manage-${name.replace(/\W/g, '')}`,
		name,
		type: `${PKG}.testRunWebhooks`,
		typeVersion: 1,
		position: at(),
		parameters: { resource: 'webhook', ...parameters },
		credentials: credentialRef.platform,
		...extra,
	};
}

const link = (to: string) => [{ node: to, type: 'main', index: 0 }];

/** The failures of a run as a JSON message; the transactional id is the idempotency key. */
export const NOTIFY_TEMPLATE = `{
  "text": "\${ run.name }: \${ run.totals.failed } of \${ run.totals.tests } failed",
  "status": "\${ run.status }",
  "failures": [@{ set sep = "" }@{ for f in run.failures }\${ sep }{"name": "\${ f.name }", "reason": "\${ f.reason | ReplaceIfEmpty("unknown") }"}@{ set sep = "," }@{ end for }],
  "id": "\${ WebhookRequest.TransactionalId }"
}`;

const NORMALIZED_TEMPLATE = `{"source": "\${ source }", "event": "\${ event }", "status": "\${ run.status }", "failed": \${ run.totals.failed }, "tests": \${ run.totals.tests }, "platform": "\${ run.app.platform }", "firstFailure": "\${ run.failures[0].name }"}`;

/** A CI platform's run, whose totals may all be null: no counts in the message. */
const CI_TEMPLATE = `{"source": "\${ source }", "event": "\${ event }", "status": "\${ run.status }", "id": "\${ run.id }", "app": "\${ run.app.name }", "deliveryId": "\${ deliveryId }"}`;

export function workflows() {
	position = 0;
	const currents = workflowJson(
		IDS.currents.workflow,
		'E2E: Currents run → notify',
		[
			trigger(
				'Test Run Trigger',
				IDS.currents.webhook,
				{
					source: 'currents',
					registration: 'automatic',
					projectId: { __rl: true, mode: 'id', value: 'proj_web' },
					events: ['RUN_START', 'RUN_FINISH', 'RUN_TIMEOUT', 'RUN_CANCELED'],
				},
				credentialRef.platform,
			),
			dispatch('Notify', '/notify', NOTIFY_TEMPLATE, {
				transactionalId: '={{ $json.deliveryId }}',
				headers: { parameter: [{ name: 'Idempotency-Key', value: '${ WebhookRequest.TransactionalId }' }] },
				options: { maxRetries: 3, retryWindowSeconds: 60 },
			}),
			dispatch('Report Success', '/report', '{"success": ${ success }, "attempts": ${ Count(attempts) }, "status": ${ statusCode }}'),
			dispatch('Report Failure', '/failed', '{"success": ${ success }, "attempts": ${ Count(attempts) }}'),
		],
		{ 'Test Run Trigger': { main: [link('Notify')] }, Notify: { main: [link('Report Success'), link('Report Failure')] } },
	);
	const maestro = workflowJson(
		IDS.maestro.workflow,
		'E2E: Maestro upload → normalized',
		[trigger('Test Run Trigger', IDS.maestro.webhook, { source: 'maestro' }, credentialRef.maestro), dispatch('Forward', '/maestro', NORMALIZED_TEMPLATE)],
		{ 'Test Run Trigger': { main: [link('Forward')] } },
	);
	const autosana = workflowJson(
		IDS.autosana.workflow,
		'E2E: Autosana batch → normalized',
		[trigger('Test Run Trigger', IDS.autosana.webhook, { source: 'autosana' }, credentialRef.autosana), dispatch('Forward', '/autosana', NORMALIZED_TEMPLATE)],
		{ 'Test Run Trigger': { main: [link('Forward')] } },
	);
	const manage = workflowJson(
		IDS.manage.workflow,
		'E2E: manage webhooks',
		[
			{
				id: 'manage-start',
				name: 'Start',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: at(),
				webhookId: IDS.manage.webhook,
				parameters: { httpMethod: 'POST', path: 'manage', responseMode: 'lastNode', options: {} },
			},
			webhooksNode('Create', {
				operation: 'create',
				projectId: { __rl: true, mode: 'id', value: 'proj_mobile' },
				url: '={{ $json.body.url }}',
				hookEvents: ['RUN_FINISH'],
				additionalFields: { label: 'e2e', headers: { header: [{ name: 'x-webhook-secret', value: 'e2e-hook-secret' }] } },
			}),
			webhooksNode('List', { operation: 'getAll', projectId: { __rl: true, mode: 'id', value: 'proj_mobile' }, returnAll: true }, { executeOnce: true }),
			webhooksNode(
				'Send Test',
				{ operation: 'sendTest', hookId: { __rl: true, mode: 'id', value: "={{ $('Create').item.json.hookId }}" }, event: 'RUN_FINISH' },
				{ executeOnce: true },
			),
			webhooksNode('Delete', { operation: 'delete', hookId: { __rl: true, mode: 'id', value: "={{ $('Create').item.json.hookId }}" } }, { executeOnce: true }),
		],
		{ Start: { main: [link('Create')] }, Create: { main: [link('List')] }, List: { main: [link('Send Test')] }, 'Send Test': { main: [link('Delete')] } },
	);
	const ciPlatforms = (['cypressCloud', 'githubActions'] as const).map((source) =>
		workflowJson(
			IDS[source].workflow,
			`E2E: ${source} run → normalized`,
			[trigger('Test Run Trigger', IDS[source].webhook, { source }, credentialRef[source]), dispatch('Forward', `/${source}`, CI_TEMPLATE)],
			{ 'Test Run Trigger': { main: [link('Forward')] } },
		),
	);
	return [currents, maestro, autosana, manage, ...ciPlatforms];
}
