import type { ICredentialsDecrypted, ICredentialTestFunctions } from 'n8n-workflow';
import { TestRunPlatformApi } from '../../credentials/TestRunPlatformApi.credentials';
import { WebhookIntegration } from '../../credentials/WebhookIntegration.credentials';
import { readIntegration } from '../../lib/dispatch';
import { TestRunTrigger } from '../../nodes/TestRunTrigger/TestRunTrigger.node';
import { WebhookDispatch } from '../../nodes/WebhookDispatch/WebhookDispatch.node';
import { newStandardSecret } from '../support/signing';

const credential = (data: Record<string, unknown>) => ({ id: '1', name: 'c', type: 't', data }) as ICredentialsDecrypted;
const context = {} as ICredentialTestFunctions;

describe('credential tests', () => {
	const secretTest = new TestRunTrigger().methods.credentialTest.testRunWebhookSecretTest;
	const integrationTest = new WebhookDispatch().methods.credentialTest.webhookIntegrationTest;

	it.each([
		[{ secret: 'sixteen-bytes-ok' }, 'OK', 'The secret is usable'],
		[{ secret: 'abc' }, 'Error', 'The secret holds less than 16 bytes of key material: the trigger refuses every request until it is set to a longer secret'],
		[
			{ secret: 'sixteen-bytes-ok', previousSecret: 'fifteen-bytes!!' },
			'Error',
			'The previousSecret holds less than 16 bytes of key material: the trigger refuses every request until it is set to a longer secret',
		],
		[{ secret: newStandardSecret(), previousSecret: newStandardSecret() }, 'OK', 'The secret is usable'],
		[{ secret: '' }, 'Error', 'The secret is empty: the trigger refuses every request until it is set to a longer secret'],
		[{ secret: ' abc' }, 'Error', 'The secret has spaces around it'],
		[
			{ secret: 'whsec_Zm9v' },
			'Error',
			'The secret holds less than 16 bytes of key material: the trigger refuses every request until it is set to a longer secret',
		],
		[
			{ secret: 'sixteen-bytes-ok', previousSecret: 'whsec_' },
			'Error',
			'The previousSecret holds less than 16 bytes of key material (nothing follows whsec_): the trigger refuses every request until it is set to a longer secret',
		],
	])('Test Run Webhook Secret %j → %s', async (data, status, message) => {
		await expect(secretTest.call(context, credential(data))).resolves.toEqual({ status, message });
	});

	it.each([
		[
			{ rootUrl: 'https://hooks.example.com', headers: '{"X-Team":"qa"}', secretHeaders: '{"Authorization":"Bearer x7Rk2pQw"}', timeoutSeconds: 16.1 },
			'OK',
			'The integration settings are valid',
		],
		[
			{ rootUrl: 'https://h.example.com', secretHeaders: '{"Authorization":"Bearer x"}' },
			'Error',
			'Secret Headers (secretHeaders): the value of "Authorization" is too short to keep secret; use at least 8 characters (after the scheme word, as in "Bearer <token>")',
		],
		[{ rootUrl: 'https://h.example.com', secretHeaders: '{"X-Key":"8chars!!","Authorization":"Bearer 8chars!!"}' }, 'OK', 'The integration settings are valid'],
		[
			{ rootUrl: 'https://h.example.com', secretHeaders: '{"X-Key":"7chars!"}' },
			'Error',
			expect.stringMatching(/^Secret Headers \(secretHeaders\): the value of "X-Key" is too short/),
		],
		[
			{ rootUrl: 'https://h.example.com', secretHeaders: '{"Authorization":"Bearer 7chars!"}' },
			'Error',
			expect.stringMatching(/the value of "Authorization" is too short/),
		],
		[{ rootUrl: 'https://h.example.com', timeoutSeconds: 0 }, 'Error', 'Timeout (timeoutSeconds) must be a number from 0.001 to 86400, got 0'],
		[{ rootUrl: 'https://h.example.com', timeoutSeconds: 'soon' }, 'Error', 'Timeout (timeoutSeconds) must be a number from 0.001 to 86400, got "soon"'],
		[{ rootUrl: 'ftp://hooks.example.com' }, 'Error', 'Root URL "ftp://hooks.example.com" is not a valid http(s) URL'],
		[{ rootUrl: 'https://h.example.com', headers: '[1]' }, 'Error', 'Headers must be a JSON object of header names and values'],
		[
			{ rootUrl: 'https://h.example.com', secretHeaders: '{"Authorization": "Bearer leak' },
			'Error',
			'Secret Headers is not valid JSON; write an object such as {"X-Team": "qa"}',
		],
		[{ rootUrl: 'https://h.example.com', signingSecret: 'plain' }, 'Error', 'Signing Secret must be a Standard Webhooks secret starting with whsec_'],
	])('Webhook Integration %j → %s', async (data, status, message) => {
		await expect(integrationTest.call(context, credential(data))).resolves.toEqual({ status, message });
	});

	it('Webhook Integration: the timeout field offers what the code accepts (decimals, down to its minimum)', () => {
		const field = new WebhookIntegration().properties.find((property) => property.name === 'timeoutSeconds')!;
		expect(field.type).toBe('number');
		expect(field.typeOptions?.numberPrecision).toBeGreaterThanOrEqual(1);
		const minimum = field.typeOptions?.minValue as number;
		expect(readIntegration({ rootUrl: 'https://h.example.com', timeoutSeconds: minimum }).timeoutMs).toBe(Math.round(minimum * 1000));
		expect(readIntegration({ rootUrl: 'https://h.example.com', timeoutSeconds: 16.1 }).timeoutMs).toBe(16_100);
	});

	it('Test Run Platform API tests itself by listing projects with the bearer key', () => {
		const platform = new TestRunPlatformApi();
		expect(platform.test.request).toMatchObject({ url: '/projects' });
		expect(platform.authenticate.properties.headers).toEqual({ Authorization: '=Bearer {{$credentials.apiKey}}' });
	});
});
