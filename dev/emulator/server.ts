import { createHmac, timingSafeEqual } from 'crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import { JobStore, type JobOptions } from './jobs';
import type { StoredSession } from './model';
import { RequestDraws, requestKey } from './requestDraws';
import { ParameterError, SESSION_ENDPOINTS, SessionStore, type SessionEndpoint } from './sessionStore';
import { MANAGE_ENDPOINTS, ManageEndpoints } from './writeEndpoints';

export interface Consumer {
	secret: string;
	domains: string[];
}

/** Ways the emulator can misbehave on purpose, one request at a time. */
export type Fault =
	| 'http500'
	| 'http502Html'
	| 'reset'
	| 'truncatedJson'
	| 'hang'
	| 'emptyBody'
	| 'noMeta'
	| 'statusFalse200'
	| 'html200'
	| 'html404'
	| 'clockSkew'
	| 'rateLimited';

export interface RequestLogEntry {
	endpoint: string;
	version: string;
	request?: Record<string, unknown>;
	security?: Record<string, unknown>;
	headers: IncomingMessage['headers'];
	status: number;
	code?: number;
	fault?: Fault;
	records?: number;
}

export interface EmulatorOptions {
	sessions?: StoredSession[];
	consumers?: Record<string, Consumer>;
	/** Per consumer and endpoint over a sliding window, like the real quota (1000 GET per 5 s). */
	rateLimit?: { requests: number; windowMs: number };
	/** How far a request's timestamp may be from the emulator's clock. */
	timestampToleranceMs?: number;
	/** Shifts the emulator's clock, to provoke 41004. */
	clockOffsetMs?: number;
	latencyMs?: number;
	/** Serves short pages mid-stream: see {@link LearnosityEmulator.serveShortPages}. */
	shortPages?: { rate: number; seed?: number };
	/** The write quota, per consumer and endpoint (the real one: 50 UPDATE/SET per 5 s). */
	writeRateLimit?: { requests: number; windowMs: number };
	/** How long jobs take and how often they halt. */
	jobs?: JobOptions;
}

export const DEMO_CONSUMER_KEY = 'demo-consumer';
export const DEMO_CONSUMER_SECRET = 'demo-secret-for-the-local-emulator-only';

const RETIRED_VERSIONS = /^v(201\d|202[0-2])\./;
const VERSION_PATTERN = /^(v\d{4}\.\d+\.(LTS|preview\d+)|latest|latest-lts|developer)$/;

/**
 * A local stand-in for the Learnosity Data API's sessions endpoints: it verifies "$02$" signatures, timestamps and
 * domains like the real service, implements the filters and the paging cursor, enforces a rate limit, and can
 * inject faults. Tests and the demo talk to it over real HTTP.
 */
export class LearnosityEmulator {
	readonly store: SessionStore;
	readonly log: RequestLogEntry[] = [];
	readonly jobs: JobStore;
	writeRateLimit?: { requests: number; windowMs: number };
	private readonly manage: ManageEndpoints;
	/** TCP connections accepted so far: shows whether a client reuses connections. */
	connections = 0;
	consumers: Record<string, Consumer>;
	rateLimit?: { requests: number; windowMs: number };
	timestampToleranceMs: number;
	clockOffsetMs: number;
	latencyMs: number;
	/** The clock of the data (meta.timestamp); tests of the trigger run it faster than real time. */
	dataClock: () => number = () => this.now();
	/** Called before each signed request is answered, e.g. to let learners save sessions mid-export. */
	onRequest?: (requestNumber: number) => void;
	private readonly plannedFaults: Fault[] = [];
	private randomFaults?: {
		rate: number;
		kinds: Fault[];
		draws: RequestDraws;
		inARow: number;
		streaks: Map<string, number>;
	};
	private shortPages?: { rate: number; draws: RequestDraws };
	private readonly windows = new Map<string, number[]>();
	private server?: Server;
	private readonly hanging = new Set<ServerResponse>();

	constructor(options: EmulatorOptions = {}) {
		this.store = new SessionStore(options.sessions ?? []);
		this.consumers = options.consumers ?? {
			[DEMO_CONSUMER_KEY]: { secret: DEMO_CONSUMER_SECRET, domains: ['localhost'] },
		};
		this.rateLimit = options.rateLimit ?? { requests: 1000, windowMs: 5000 };
		this.timestampToleranceMs = options.timestampToleranceMs ?? 5 * 60_000;
		this.clockOffsetMs = options.clockOffsetMs ?? 0;
		this.latencyMs = options.latencyMs ?? 0;
		this.writeRateLimit = options.writeRateLimit ?? { requests: 50, windowMs: 5000 };
		this.jobs = new JobStore(options.jobs ?? {}, () => this.dataClock());
		this.manage = new ManageEndpoints(this.store, this.jobs);
		if (options.shortPages) this.serveShortPages(options.shortPages.rate, options.shortPages.seed);
	}

	/**
	 * From now on, a page that would be full comes back short with probability `rate` (seeded per request, see
	 * RequestDraws): 1 to asked−1 records, never none, since only an empty page means the end. Nothing is skipped: the
	 * next page starts after the last record returned. The API promises no page size, so a client must not stop on one.
	 */
	serveShortPages(rate: number, seed = 1): void {
		this.shortPages = rate > 0 ? { rate, draws: new RequestDraws('short pages', seed) } : undefined;
	}

	/** The next requests fail with these faults, in order. */
	failNext(...faults: Fault[]): void {
		this.plannedFaults.push(...faults);
	}

	/**
	 * From now on, each request fails with probability `rate`, with a fault drawn from `kinds`. Seeded per request
	 * (RequestDraws): which attempt of which request fails does not depend on the order parallel requests arrive in.
	 * `inARow` caps the faults one request meets in a row: below the client's attempts, every fault is one its retries
	 * can absorb, and a test of those is not at the mercy of a rare streak (an outage is a test of its own).
	 */
	injectFaults(rate: number, kinds: Fault[], seed = 1, inARow = Infinity): void {
		this.randomFaults =
			rate > 0 ? { rate, kinds, draws: new RequestDraws('faults', seed), inARow, streaks: new Map() } : undefined;
	}

	clearFaults(): void {
		this.plannedFaults.length = 0;
		this.randomFaults = undefined;
	}

	async start(port = 0, host = '127.0.0.1'): Promise<string> {
		this.server = createServer((req, res) => void this.handle(req, res));
		this.server.on('connection', () => this.connections++);
		await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
		const address = this.server.address() as AddressInfo;
		return `http://${host}:${address.port}`;
	}

	async stop(): Promise<void> {
		for (const res of this.hanging) res.destroy();
		this.hanging.clear();
		const server = this.server;
		if (!server) return;
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
		this.server = undefined;
	}

	private now(): number {
		return Date.now() + this.clockOffsetMs;
	}

	/** The size of a short page for this request, or undefined for a normal one. */
	private shortPageSize(endpoint: string, request: Record<string, unknown>): number | undefined {
		const short = this.shortPages;
		const asked = typeof request.limit === 'number' ? Math.min(request.limit, 50) : 50;
		if (!short || asked < 2) return undefined;
		const random = short.draws.next(requestKey(endpoint, request));
		if (random() >= short.rate) return undefined;
		return 1 + Math.floor(random() * (asked - 1));
	}

	private nextFault(endpoint: string, request: Record<string, unknown>): Fault | undefined {
		if (this.plannedFaults.length) return this.plannedFaults.shift();
		const faults = this.randomFaults;
		if (!faults) return undefined;
		const key = requestKey(endpoint, request);
		const random = faults.draws.next(key);
		const streak = faults.streaks.get(key) ?? 0;
		const fault =
			streak < faults.inARow && random() < faults.rate
				? faults.kinds[Math.floor(random() * faults.kinds.length)]
				: undefined;
		faults.streaks.set(key, fault ? streak + 1 : 0);
		return fault;
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		if (this.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
		const entry: RequestLogEntry = { endpoint: '', version: '', headers: req.headers, status: 0 };
		this.log.push(entry);
		const reply = (status: number, body: unknown, code?: number) => {
			entry.status = status;
			entry.code = code;
			res.writeHead(status, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		const fail = (status: number, code: number, message: string) =>
			reply(status, { meta: { status: false, code, message } }, code);

		const match = /^\/([^/]+)\/(.+)$/.exec(req.url ?? '');
		if (req.method !== 'POST' || !match) return fail(405, 405, 'Only POST /{version}/{endpoint} is served');
		const [, version, endpoint] = match;
		Object.assign(entry, { version, endpoint });
		if (!VERSION_PATTERN.test(version)) return fail(404, 404, `Unknown version ${version}`);
		if (RETIRED_VERSIONS.test(version)) return fail(410, 42001, `Version ${version} has been removed`);
		const manageAction = MANAGE_ENDPOINTS[endpoint];
		if (!SESSION_ENDPOINTS.includes(endpoint as SessionEndpoint) && !manageAction) {
			return fail(404, 404, `Unknown endpoint ${endpoint}`);
		}

		const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
		const securityJson = form.get('security');
		const requestJson = form.get('request') ?? '{}';
		const action = form.get('action');
		let security: Record<string, unknown>;
		let request: Record<string, unknown>;
		try {
			security = JSON.parse(securityJson ?? '');
		} catch {
			return fail(400, 41000, 'Missing security parameters');
		}
		try {
			request = JSON.parse(requestJson);
		} catch {
			return fail(400, 20003, 'The request parameter is not valid JSON');
		}
		Object.assign(entry, { security, request });

		const authError = this.authenticate(security, requestJson, action ?? '');
		if (authError) return fail(authError[0], authError[1], authError[2]);
		if (manageAction)
			return this.handleManage(endpoint, manageAction, action, security, request, reply, fail, res, entry);
		if (action !== 'get') return fail(400, 20004, `Invalid action ${action} for ${endpoint}`);
		if (this.overQuota(String(security.consumer_key), endpoint)) return fail(429, 42000, 'Too many requests');
		this.onRequest?.(this.log.length);
		this.jobs.settle();

		const fault = this.nextFault(endpoint, request);
		if (fault) {
			entry.fault = fault;
			return this.misbehave(fault, res, entry);
		}
		try {
			const page = this.store.page(endpoint as SessionEndpoint, request, this.shortPageSize(endpoint, request));
			entry.records = page.data.length;
			const meta: Record<string, unknown> = {
				status: true,
				timestamp: Math.floor(this.dataClock() / 1000),
				records: page.data.length,
			};
			if (page.next !== undefined) meta.next = page.next;
			return reply(200, { meta, data: page.data });
		} catch (error) {
			if (error instanceof ParameterError) return fail(400, error.code, error.message);
			return fail(500, 10000, 'Internal error');
		}
	}

	/** The hook for the session-management endpoints (writeEndpoints.ts); a write's fault is drawn after its job exists. */
	private handleManage(
		endpoint: string,
		expected: string,
		action: string | null,
		security: Record<string, unknown>,
		request: Record<string, unknown>,
		reply: (status: number, body: unknown, code?: number) => void,
		fail: (status: number, code: number, message: string) => void,
		res: ServerResponse,
		entry: RequestLogEntry,
	): void {
		if (action !== expected) return fail(405, 40001, `Method not allowed: ${endpoint} takes ${expected}`);
		const quota = expected === 'get' ? this.rateLimit : this.writeRateLimit;
		if (this.overQuota(String(security.consumer_key), endpoint, quota)) return fail(429, 42000, 'Too many requests');
		this.onRequest?.(this.log.length);
		this.jobs.settle();
		const fault = this.nextFault(endpoint, request);
		// Refusals that come before processing create no job; any other fault strikes after the job exists.
		if (fault === 'rateLimited' || fault === 'clockSkew') {
			entry.fault = fault;
			return this.misbehave(fault, res, entry);
		}
		let answer;
		try {
			answer = this.manage.answer(endpoint, request, String(security.consumer_key));
		} catch (error) {
			if (error instanceof ParameterError) return fail(400, error.code, error.message);
			return fail(500, 10000, 'Internal error');
		}
		if (fault) {
			entry.fault = fault;
			return this.misbehave(fault, res, entry);
		}
		const records = Array.isArray(answer.data) ? answer.data.length : 1;
		entry.records = records;
		const meta: Record<string, unknown> = { status: true, timestamp: Math.floor(this.dataClock() / 1000), records };
		if (answer.next !== undefined) meta.next = answer.next;
		return reply(200, { meta, data: answer.data });
	}

	/** Checks like the real service; returns [http status, code, message] when the request is refused. */
	private authenticate(
		security: Record<string, unknown>,
		requestJson: string,
		action: string,
	): [number, number, string] | undefined {
		const { consumer_key: key, domain, timestamp, signature, expires, user_id: userId } = security;
		if (typeof key !== 'string' || typeof timestamp !== 'string' || typeof signature !== 'string') {
			return [400, 41000, 'Missing security parameters'];
		}
		const consumer = this.consumers[key];
		if (!consumer) return [403, 41002, `Consumer key ${key} is not a valid consumer`];
		if (!/^\$02\$[0-9a-f]{64}$/.test(signature)) return [403, 41001, 'Signature is not a valid hash'];
		if (typeof domain !== 'string' || !consumer.domains.includes(domain)) {
			return [403, 41005, `Invalid domain ${String(domain)}`];
		}
		const parts = [key, domain, timestamp];
		if (typeof expires === 'string' && expires) parts.push(expires);
		if (typeof userId === 'string' && userId) parts.push(userId);
		parts.push(requestJson, action);
		const expected = `$02$${createHmac('sha256', consumer.secret).update(parts.join('_'), 'utf8').digest('hex')}`;
		if (!timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) {
			return [403, 41003, 'Signatures do not match. Check that the hostname of the page matches the domain.'];
		}
		const stamp = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})$/.exec(timestamp);
		const signedAt = stamp ? Date.UTC(+stamp[1], +stamp[2] - 1, +stamp[3], +stamp[4], +stamp[5]) : NaN;
		if (!(Math.abs(this.now() - signedAt) <= this.timestampToleranceMs + 60_000)) {
			return [403, 41004, 'Timestamp is out of range'];
		}
		return undefined;
	}

	private overQuota(consumerKey: string, endpoint: string, limit = this.rateLimit): boolean {
		if (!limit) return false;
		const key = `${consumerKey} ${endpoint}`;
		const now = Date.now();
		const recent = (this.windows.get(key) ?? []).filter((at) => now - at < limit.windowMs);
		const over = recent.length >= limit.requests;
		if (!over) recent.push(now);
		this.windows.set(key, recent);
		return over;
	}

	private misbehave(fault: Fault, res: ServerResponse, entry: RequestLogEntry): void {
		const send = (status: number, body: string, type = 'application/json') => {
			entry.status = status;
			res.writeHead(status, { 'Content-Type': type });
			res.end(body);
		};
		const html = '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>';
		switch (fault) {
			case 'http500':
				return send(500, JSON.stringify({ meta: { status: false, code: 10000, message: 'Internal error' } }));
			case 'http502Html':
				return send(502, html, 'text/html');
			case 'html200':
				return send(200, html, 'text/html');
			case 'html404':
				return send(404, '<html><body><h1>404 Not Found</h1></body></html>', 'text/html');
			case 'reset':
				entry.status = -1;
				res.socket?.destroy();
				return;
			case 'truncatedJson':
				return send(200, '{"meta":{"status":true,"records":50,"next":"17866066');
			case 'emptyBody':
				return send(200, '');
			case 'noMeta':
				return send(200, JSON.stringify({ data: [] }));
			case 'statusFalse200':
				return send(200, JSON.stringify({ meta: { status: false, code: 20004, message: 'Invalid value for sort' } }));
			case 'clockSkew':
				return send(
					403,
					JSON.stringify({ meta: { status: false, code: 41004, message: 'Timestamp is out of range' } }),
				);
			case 'rateLimited':
				return send(429, JSON.stringify({ meta: { status: false, code: 42000, message: 'Too many requests' } }));
			case 'hang':
				entry.status = -2;
				this.hanging.add(res);
				return;
		}
	}
}
