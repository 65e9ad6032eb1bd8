import type { ChildProcess } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { tail } from '../n8n/n8nInstance';
import type { OwnerLogin } from './config';

/** n8n binds its auth cookie to the browser-id header of the login; every call of one session sends the same. */
const BROWSER_ID = 'learnosity-demo-start-script';

export class OwnerLoginError extends Error {}

export interface ReadinessTimes {
	/** How long n8n may take to answer `GET /rest/settings` at all. */
	apiMs: number;
	/** How long after that the routes called next (owner setup, login, lists) may still answer 404 or 503. */
	routesMs: number;
	/** Pause between two tries. */
	retryMs: number;
}

/**
 * Measured on a 2-core machine under load: the first start of a new user folder can take minutes before the REST API
 * answers, and n8n answers `/rest/settings` before it has mounted its other routes (`Cannot POST /rest/owner/setup`).
 */
const DEFAULT_TIMES: ReadinessTimes = { apiMs: 600_000, routesMs: 300_000, retryMs: 500 };

/** An answer that means "not mounted yet" while n8n starts: Express's 404 for an unknown route, or 503. */
const notMountedYet = (status: number) => status === 404 || status === 503;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The REST calls the start script makes on the editor's behalf: owner setup, login, and checks of what it shows. */
export class EditorApi {
	private cookie?: string;
	private readonly times: ReadinessTimes;
	private server?: ChildProcess;
	private logFile?: string;
	/** Until then, a route that answers 404 or 503 is asked again: n8n may still be mounting it. */
	private routesDeadline = 0;

	constructor(
		readonly baseUrl: string,
		times: Partial<ReadinessTimes> = {},
	) {
		this.times = { ...DEFAULT_TIMES, ...times };
	}

	private serverExit(): string | undefined {
		const server = this.server;
		if (!server || (server.exitCode === null && server.signalCode === null)) return undefined;
		const log = this.logFile && existsSync(this.logFile) ? `:\n${tail(readFileSync(this.logFile, 'utf8'), 2000)}` : '';
		return `n8n exited (${server.exitCode ?? server.signalCode}) while starting${log}`;
	}

	/**
	 * Waits until the REST API answers (`/healthz` answers earlier, before it is mounted). The routes called next may
	 * still be missing then: each call retries them for a bounded time (see `request`).
	 */
	async waitUntilReady(server: ChildProcess, logFile: string): Promise<void> {
		this.server = server;
		this.logFile = logFile;
		const deadline = Date.now() + this.times.apiMs;
		while (Date.now() < deadline) {
			const exit = this.serverExit();
			if (exit) throw new Error(exit);
			const status = await fetch(`${this.baseUrl}/rest/settings`).then(
				(response) => response.status,
				() => 0,
			);
			if (status === 200) {
				this.routesDeadline = Date.now() + this.times.routesMs;
				return;
			}
			await pause(this.times.retryMs);
		}
		throw new Error(`n8n did not answer on ${this.baseUrl} within ${this.times.apiMs / 1000} s; see ${logFile}`);
	}

	private send(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
		const headers: Record<string, string> = { 'browser-id': BROWSER_ID };
		if (body !== undefined) headers['content-type'] = 'application/json';
		if (this.cookie) headers.cookie = this.cookie;
		return fetch(`${this.baseUrl}${path}`, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
		});
	}

	/** One call; while n8n is still mounting its routes after start, a 404 or 503 is retried until the deadline. */
	private async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
		let response = await this.send(method, path, body);
		let retried = false;
		while (notMountedYet(response.status) && Date.now() < this.routesDeadline) {
			const exit = this.serverExit();
			if (exit) throw new Error(exit);
			await pause(this.times.retryMs);
			response = await this.send(method, path, body);
			retried = true;
		}
		if (retried && notMountedYet(response.status)) {
			const see = this.logFile ? `; see ${this.logFile}` : '';
			throw new Error(
				`${method} ${path} still answered ${response.status} (${tail(await response.text(), 300)}) ` +
					`${this.times.routesMs / 1000} s after n8n's REST API came up: n8n never mounted this route${see}`,
			);
		}
		const authCookie = /(n8n-auth=[^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
		if (authCookie) this.cookie = authCookie;
		return response;
	}

	private async json<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
		const response = await this.request(method, path, body);
		if (!response.ok)
			throw new Error(`${method} ${path} answered ${response.status}: ${tail(await response.text(), 300)}`);
		return (await response.json()) as T;
	}

	/** Creates the owner on a new instance; on an instance that has one, checks that this login works. */
	async setUpOwnerOrLogIn(owner: OwnerLogin): Promise<'created' | 'existing'> {
		const setup = await this.request('POST', '/rest/owner/setup', { ...owner, firstName: 'Demo', lastName: 'Owner' });
		if (setup.ok) {
			await this.logIn(owner);
			return 'created';
		}
		const answer = await setup.text();
		if (!/already set ?up/i.test(answer)) throw new Error(`owner setup answered ${setup.status}: ${tail(answer, 300)}`);
		await this.logIn(owner);
		return 'existing';
	}

	async logIn(owner: OwnerLogin): Promise<void> {
		let response = await this.request('POST', '/rest/login', {
			emailOrLdapLoginId: owner.email,
			password: owner.password,
		});
		// Older n8n versions name the field `email`.
		if (response.status === 400)
			response = await this.request('POST', '/rest/login', { email: owner.email, password: owner.password });
		if (response.status === 401) throw new OwnerLoginError(`n8n does not accept the login ${owner.email}`);
		if (!response.ok) throw new Error(`login answered ${response.status}: ${tail(await response.text(), 300)}`);
	}

	/** The workflows the logged-in owner sees in the editor's list. */
	async workflows(): Promise<Array<{ id: string; name: string }>> {
		const answer = await this.json<{ data: Array<{ id: string; name: string }> }>('GET', '/rest/workflows');
		return answer.data;
	}

	async nodeTypeNames(): Promise<string[]> {
		const types = await this.json<Array<{ name: string }>>('GET', '/types/nodes.json');
		return types.map((type) => type.name);
	}
}
