import { Container } from '@n8n/di';
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';

// n8n-core's SSH client manager (created with the helpers of every node execution) keeps a cleanup interval alive;
// n8n stops it on shutdown, and so does each test file, so that jest can exit.
afterAll(() => {
	if (Container.has(SSHClientsManager)) Container.get(SSHClientsManager).onShutdown();
});
