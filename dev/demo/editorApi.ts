import type { ChildProcess } from 'child_process';
import { readFileSync } from 'fs';
import { tail } from '../n8n/n8nInstance';
import type { OwnerLogin } from './config';

/** n8n binds its auth cookie to the browser-id header of the login; every call of one session sends the same. */
const BROWSER_ID = 'learnosity-demo-start-script';

export class OwnerLoginError extends Error {}

/** The REST calls the start script makes on the editor's behalf: owner setup, login, and checks of what it shows. */
export class EditorApi {
	private cookie?: string;

	constructor(readonly baseUrl: string) {}

	/** Waits until the REST API answers (`/healthz` answers earlier, before it is mounted). */
	async waitUntilReady(server: ChildProcess, logFile: string, timeoutMs = 180_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (server.exitCode !== null || server.signalCode !== null) {
				throw new Error(
					`n8n exited (${server.exitCode ?? server.signalCode}) while starting:\n${tail(readFileSync(logFile, 'utf8'), 2000)}`,
				);
			}
			const status = await fetch(`${this.baseUrl}/rest/settings`).then(
				(response) => response.status,
				() => 0,
			);
			if (status === 200) return;
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		throw new Error(`n8n did not answer on ${this.baseUrl} within ${timeoutMs / 1000} s; see ${logFile}`);
	}

	private async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
		const headers: Record<string, string> = { 'browser-id': BROWSER_ID };
		if (body !== undefined) headers['content-type'] = 'application/json';
		if (this.cookie) headers.cookie = this.cookie;
		const response = await fetch(`${this.baseUrl}${path}`, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
		});
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
