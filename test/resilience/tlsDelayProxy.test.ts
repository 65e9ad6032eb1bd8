import { readFileSync } from 'fs';
import { createServer, type Server } from 'http';
import { Agent, request } from 'https';
import type { AddressInfo } from 'net';
import { TlsDelayProxy } from '../../dev/tlsProxy/tlsDelayProxy';

/*
 * The bench's stand-in for a real Learnosity region: HTTPS with a self-signed certificate and a set round-trip time.
 * A request on a kept-alive connection pays one RTT; a new connection pays TCP and TLS set-up on top (3 RTT with
 * TLS 1.3). Lower bounds only: a loaded machine may add time, never remove it.
 */

const RTT_MS = 60;
let target: Server;
let proxy: TlsDelayProxy;
let baseUrl: string;

beforeAll(async () => {
	target = createServer((req, res) => {
		req.resume();
		req.on('end', () => res.end(JSON.stringify({ path: req.url })));
	});
	await new Promise<void>((done) => target.listen(0, '127.0.0.1', done));
	proxy = new TlsDelayProxy({ rttMs: RTT_MS, targetPort: (target.address() as AddressInfo).port });
	baseUrl = await proxy.start();
});

afterAll(async () => {
	await proxy.stop();
	target.closeAllConnections();
	await new Promise((done) => target.close(done));
});

async function get(path: string, agent: Agent): Promise<{ body: string; ms: number }> {
	const started = Date.now();
	const body = await new Promise<string>((resolve, reject) => {
		const req = request(`${baseUrl}${path}`, { agent, ca: readFileSync(proxy.certificateFile) }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		});
		req.on('error', reject);
		req.end();
	});
	return { body, ms: Date.now() - started };
}

test('forwards requests over verified TLS to the plain-HTTP target', async () => {
	const agent = new Agent({ keepAlive: false });
	expect(JSON.parse((await get('/v2025.2.LTS/sessions/scores', agent)).body)).toEqual({
		path: '/v2025.2.LTS/sessions/scores',
	});
});

test('a new connection pays TCP and TLS set-up (3 RTT); a kept-alive one pays one RTT per request', async () => {
	const connectionsBefore = proxy.connections;
	const fresh = await get('/fresh', new Agent({ keepAlive: false }));
	expect(fresh.ms).toBeGreaterThanOrEqual(3 * RTT_MS);

	const agent = new Agent({ keepAlive: true, maxSockets: 1 });
	await get('/warm-up', agent);
	const kept = await get('/kept', agent);
	agent.destroy();
	expect(kept.ms).toBeGreaterThanOrEqual(RTT_MS);
	expect(kept.ms).toBeLessThan(fresh.ms);
	expect(proxy.connections - connectionsBefore).toBe(2);
});
