// n8n-core's SSH client manager keeps a 60 s interval that would hold jest open.
import { Container } from '@n8n/di';
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';

afterAll(() => {
	Container.get(SSHClientsManager).onShutdown();
});
