/**
 * `npm start`'s readiness against a stand-in for n8n that, like n8n on a loaded machine, answers `/rest/settings`
 * before it has mounted the routes called next: owner setup, login and the editor's lists are retried while they
 * answer 404 (or 503), for a bounded time, and a route that never comes is reported by name.
 */
import type { ChildProcess } from 'child_process';
import { writeFileSync } from 'fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import { join } from 'path';
import { EditorApi } from '../../dev/demo/editorApi';
import { runTempFolder } from '../harness/runFolder';

const OWNER = { email: 'demo@example.com', password: 'LearnosityDemo1' };
const running = { exitCode: null, signalCode: null } as ChildProcess;

/** Answers each route with Express's "Cannot <METHOD> <path>" 404 until it has been asked `mountedAfter[route]` times. */
class SlowN8n {
	readonly calls: Record<string, number> = {};
	private server?: Server;

	constructor(
		private readonly mountedAfter: Record<string, number>,
		private readonly unavailable = false,
	) {}

	async start(): Promise<string> {
		this.server = createServer((request, response) => this.answer(request, response));
		await new Promise<void>((done) => this.server!.listen(0, '127.0.0.1', done));
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	stop(): Promise<void> {
		return new Promise((done) => this.server?.close(() => done()) ?? done());
	}

	private answer(request: IncomingMessage, response: ServerResponse): void {
		const route = `${request.method} ${request.url}`;
		const count = (this.calls[route] = (this.calls[route] ?? 0) + 1);
		if (count <= (this.mountedAfter[route] ?? 0)) {
			response.writeHead(this.unavailable ? 503 : 404, { 'content-type': 'text/html' });
			return void response.end(`Cannot ${route}`);
		}
		const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
			response.writeHead(status, { 'content-type': 'application/json', ...headers });
			response.end(JSON.stringify(body));
		};
		const loggedIn = request.headers.cookie === 'n8n-auth=token';
		if (route === 'GET /rest/settings') return json(200, { data: {} });
		if (route === 'POST /rest/owner/setup') return json(200, { data: {} });
		if (route === 'POST /rest/login')
			return json(200, { data: {} }, { 'set-cookie': 'n8n-auth=token; Path=/; HttpOnly' });
		if (!loggedIn) return json(401, { message: 'Unauthorized' });
		if (route === 'GET /rest/workflows') return json(200, { data: [{ id: 'w1', name: 'One' }] });
		if (route === 'GET /types/nodes.json') return json(200, [{ name: 'n8n-nodes-learnosity.learnositySessions' }]);
		json(404, { message: 'not found' });
	}
}

describe('npm start waits for the routes it calls next', () => {
	let n8n: SlowN8n | undefined;
	afterEach(() => n8n?.stop());

	test('owner setup, login and the editor lists answering 404 for a while after /rest/settings: retried until they answer', async () => {
		n8n = new SlowN8n({
			'POST /rest/owner/setup': 4,
			'POST /rest/login': 2,
			'GET /rest/workflows': 3,
			'GET /types/nodes.json': 2,
		});
		const api = new EditorApi(await n8n.start(), { routesMs: 30_000, retryMs: 20 });
		await api.waitUntilReady(running, '/nonexistent.log');
		await expect(api.setUpOwnerOrLogIn(OWNER)).resolves.toBe('created');
		await expect(api.workflows()).resolves.toEqual([{ id: 'w1', name: 'One' }]);
		await expect(api.nodeTypeNames()).resolves.toEqual(['n8n-nodes-learnosity.learnositySessions']);
		expect(n8n.calls).toEqual({
			'GET /rest/settings': 1,
			'POST /rest/owner/setup': 5,
			'POST /rest/login': 3,
			'GET /rest/workflows': 4,
			'GET /types/nodes.json': 3,
		});
	});

	test('503 while starting is retried the same way', async () => {
		n8n = new SlowN8n({ 'POST /rest/owner/setup': 3 }, true);
		const api = new EditorApi(await n8n.start(), { routesMs: 30_000, retryMs: 20 });
		await api.waitUntilReady(running, '/nonexistent.log');
		await expect(api.setUpOwnerOrLogIn(OWNER)).resolves.toBe('created');
		expect(n8n.calls['POST /rest/owner/setup']).toBe(4);
	});

	test('a route that never comes: a bounded wait, then an error naming the route, the wait and the log', async () => {
		n8n = new SlowN8n({ 'POST /rest/owner/setup': Infinity });
		const api = new EditorApi(await n8n.start(), { routesMs: 1_500, retryMs: 50 });
		await api.waitUntilReady(running, '/demo/n8n.log');
		const started = Date.now();
		await expect(api.setUpOwnerOrLogIn(OWNER)).rejects.toThrow(
			"POST /rest/owner/setup still answered 404 (Cannot POST /rest/owner/setup) 1.5 s after n8n's REST API came up: n8n never mounted this route; see /demo/n8n.log",
		);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
		expect(n8n.calls['POST /rest/owner/setup']).toBeGreaterThan(5);
	});

	test('the REST API never answering: an error after the bounded wait', async () => {
		n8n = new SlowN8n({ 'GET /rest/settings': Infinity });
		const api = new EditorApi(await n8n.start(), { apiMs: 1_000, retryMs: 50 });
		await expect(api.waitUntilReady(running, '/demo/n8n.log')).rejects.toThrow(
			/^n8n did not answer on http:\/\/127\.0\.0\.1:\d+ within 1 s; see \/demo\/n8n\.log$/,
		);
	});

	test('n8n exiting while its routes are awaited: its exit code and the end of its log, no more waiting', async () => {
		n8n = new SlowN8n({ 'POST /rest/owner/setup': Infinity });
		const server = { exitCode: null, signalCode: null } as { exitCode: number | null; signalCode: null };
		const logFile = join(runTempFolder('n8n-log-'), 'n8n.log');
		writeFileSync(logFile, 'Last session crashed\nError: database is locked\n');
		const api = new EditorApi(await n8n.start(), { routesMs: 60_000, retryMs: 20 });
		await api.waitUntilReady(server as ChildProcess, logFile);
		setTimeout(() => (server.exitCode = 1), 200);
		const started = Date.now();
		await expect(api.setUpOwnerOrLogIn(OWNER)).rejects.toThrow(
			'n8n exited (1) while starting:\nLast session crashed\nError: database is locked',
		);
		expect(Date.now() - started).toBeLessThan(10_000);
	});
});
