import type { IAuthenticateGeneric, Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

export class TestRunPlatformApi implements ICredentialType {
	name = 'testRunPlatformApi';

	displayName = 'Test Run Platform API';

	icon: Icon = { light: 'file:testRun.light.svg', dark: 'file:testRun.dark.svg' };

	documentationUrl = 'https://docs.currents.dev/api';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.currents.dev/v1',
			placeholder: 'https://api.currents.dev/v1',
			description: 'Root of the platform REST API, including the version path',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'An API key from the platform dashboard (Currents: Organization Settings → API Keys)',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/projects',
			qs: { limit: 1 },
		},
	};
}
