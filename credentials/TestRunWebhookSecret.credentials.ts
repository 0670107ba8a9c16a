import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';
import { SECRET_FRESHNESS_SECONDS } from '../lib/trigger/credentialReader';

// SPEC.md fixes this credential's public name; it holds a shared secret, not an API's key,
// so the "-Api" naming rules meant for API credentials do not fit it.
/* eslint-disable n8n-nodes-base/cred-class-name-unsuffixed, n8n-nodes-base/cred-class-field-name-unsuffixed, n8n-nodes-base/cred-class-field-display-name-missing-api */
export class TestRunWebhookSecret implements ICredentialType {
	name = 'testRunWebhookSecret';

	displayName = 'Test Run Webhook Secret';
	/* eslint-enable n8n-nodes-base/cred-class-name-unsuffixed, n8n-nodes-base/cred-class-field-name-unsuffixed, n8n-nodes-base/cred-class-field-display-name-missing-api */

	icon: Icon = { light: 'file:testRun.light.svg', dark: 'file:testRun.dark.svg' };

	documentationUrl = 'https://www.standardwebhooks.com/';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Currents: the value of the custom header. Maestro Cloud: the project webhook token. Autosana: the signing secret. Standard Webhooks: the whsec_… secret.',
		},
		{
			displayName: 'Previous Secret',
			name: 'previousSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: `While rotating, the old secret, still accepted until you clear it (and for at most ${SECRET_FRESHNESS_SECONDS.accepted} seconds after)`,
		},
	];
}
