import type { PageSource } from '../../nodes/types';
import { RateLimiter } from '../../nodes/transport/rateLimiter';
import {
	exportSessions,
	type ExportOptions,
	type ParallelExportStats,
	type SessionExport,
} from '../../nodes/export/sessionExport';
import { demoSessions } from '../../dev/emulator/demoData';
import type { Fault } from '../../dev/emulator/server';
import type { SessionEndpoint } from '../../dev/emulator/sessionStore';
import { useEmulator } from '../harness/emulatorFixture';
import { ABSORBABLE_FAULTS_IN_A_ROW, exportClient } from '../harness/exportClient';
import { learnersSave } from '../harness/learnersSave';

const SESSIONS = 900;
const { emulator, credentials, stopApiClock } = useEmulator(SESSIONS);
const defaultQuota = emulator.rateLimit;
afterEach(() => {
	emulator.onRequest = undefined;
	emulator.rateLimit = defaultQuota;
});

/** The one entry point with `parallel` requests in flight. */
const exportInParallel = (source: PageSource, request: SessionExport, parallel: number, options: ExportOptions = {}) =>
	exportSessions(source, request, { ...options, parallel });
const newStats = (): ParallelExportStats => ({ slices: 0, splits: 0, sequentialBatches: 0 });
const endpoints: SessionEndpoint[] = ['sessions/metadata', 'sessions/responses', 'sessions/scores'];
const cases = endpoints.flatMap((endpoint) => (['desc', 'asc'] as const).map((sort) => [endpoint, sort] as const));

describe('parallel Return All under 20% faults', () => {
	const WINDOW_MS = 250;
	const fastPolicy = { backoffMs: 5, rateLimitWindowMs: WINDOW_MS, maxRateLimitWaits: 50 };
	const FAULTS: Fault[] = ['http500', 'http502Html', 'reset', 'truncatedJson'];

	test.each(cases.map(([endpoint, sort], n) => [endpoint, sort, 2100 + n] as const))(
		'%s (%s) equals the sequential export (fault seed %i)',
		async (endpoint, sort, seed) => {
			const params = { status: ['Completed', 'Pending Scoring'], sort };
			const { transport } = exportClient(credentials(), fastPolicy);
			const sequential = await exportSessions(transport, { endpoint, params });
			emulator.log.length = 0;
			emulator.injectFaults(0.2, FAULTS, seed, ABSORBABLE_FAULTS_IN_A_ROW);
			stopApiClock();
			const records = await exportInParallel(transport, { endpoint, params }, 8);
			expect(records).toEqual(sequential);
			expect(records).toEqual(emulator.store.truth(endpoint, params));
			expect(emulator.log.filter((entry) => entry.fault).length).toBeGreaterThan(2);
		},
		30_000,
	);
});

describe('parallel Return All while learners keep saving', () => {
	test.each(cases)('%s (%s): every session once, in its latest state and final order', async (endpoint, sort) => {
		// Saves before each of the first 20 requests: while slices run, after the newest one has reached its end,
		// and during its catch-up.
		const saves = learnersSave(emulator, 3, 20, endpoint.length * 7 + sort.length);
		const { transport } = exportClient(credentials());
		const params = { sort };
		const stats = newStats();
		const records = await exportInParallel(transport, { endpoint, params }, 8, { stats });
		emulator.onRequest = undefined;
		expect(saves()).toBe(60);
		expect(records).toEqual(emulator.store.truth(endpoint, params));
		expect(records).toEqual(await exportSessions(transport, { endpoint, params }));
	});

	test('saves that never stop: bounded, nothing lost or doubled', async () => {
		learnersSave(emulator, 2, Infinity, 11);
		const { transport } = exportClient(credentials());
		const stats = newStats();
		const records = await exportInParallel(transport, { endpoint: 'sessions/scores', params: {} }, 8, {
			stats,
		});
		emulator.onRequest = undefined;
		const ids = records.map((r) => r.session_id);
		expect(new Set(ids).size).toBe(ids.length);
		expect(new Set(ids)).toEqual(new Set(emulator.store.all().map((s) => s.session_id)));
		expect(transport.stats.requests).toBeLessThanOrEqual(
			Math.ceil(SESSIONS / 50) + 2 + stats.slices + stats.splits + 3 + 3,
		);
	});
});

describe('sessions saved after the newest slice has reached its end', () => {
	const { emulator: term, credentials: termCredentials } = useEmulator(0);
	beforeAll(() => {
		// Most sessions early in the term, few lately: the newest slice is done long before the others.
		const end = Date.UTC(2026, 9, 1);
		for (const [n, session] of demoSessions({ sessions: 1500, seed: 5, endMs: end }).entries()) {
			const updatedMs = n % 10 === 0 ? session.updatedMs : end - 60 * 86_400_000 + ((n * 7919) % 86_400_000);
			term.store.put({ ...session, updatedMs }, updatedMs);
		}
	});
	afterEach(() => (term.onRequest = undefined));

	// Metadata slices are not split, so its export runs longer and its newest slice is reached later.
	test.each([
		['sessions/scores', 30],
		['sessions/metadata', 50],
	] as const)('%s: are met again by its catch-up read (saves during %i requests)', async (endpoint, saveRequests) => {
		const saves = learnersSave(term, 2, saveRequests, 3);
		const { transport } = exportClient(termCredentials());
		const params = { sort: 'desc' };
		const records = await exportInParallel(transport, { endpoint, params }, 8);
		term.onRequest = undefined;
		expect(saves()).toBe(2 * saveRequests);
		expect(records).toEqual(term.store.truth(endpoint, params));
	});
});

describe('the rate limiter keeps a parallel export under the quota', () => {
	const quota = { requests: 20, windowMs: 100 };
	// A 429 would be waited out for a window and retried: the export would still succeed, so count them.
	const policy = { rateLimitWindowMs: quota.windowMs, maxRateLimitWaits: 100 };
	const rateLimited = () => emulator.log.filter((entry) => entry.status === 429).length;
	// The emulator's window still holds the requests of the tests before: let it pass.
	beforeEach(async () => await new Promise((resolve) => setTimeout(resolve, quota.windowMs)));

	test('32 requests in flight against 20 per 100 ms: not one 429, and the same records', async () => {
		emulator.rateLimit = quota;
		const { transport } = exportClient(credentials(), policy);
		const params = { sort: 'desc' };
		const started = Date.now();
		const records = await exportInParallel(transport, { endpoint: 'sessions/scores', params }, 32, {
			limiter: new RateLimiter(quota),
		});
		const elapsed = Date.now() - started;
		expect(records).toEqual(emulator.store.truth('sessions/scores', params));
		expect(rateLimited()).toBe(0);
		// More requests than one window allows, so the limiter had to hold some back: request 21 waits until a window
		// after the first answer. And it ran at the quota, not far below it.
		const sent = emulator.log.length;
		expect(sent).toBeGreaterThan(1.5 * quota.requests);
		expect(elapsed).toBeGreaterThanOrEqual(Math.floor((sent - 1) / quota.requests) * quota.windowMs);
		expect(elapsed).toBeLessThan((sent / quota.requests) * quota.windowMs * 2 + 500);
	});

	test('without the limiter the same export does meet 429s: the emulator really enforces the quota', async () => {
		emulator.rateLimit = quota;
		const { transport } = exportClient(credentials(), policy);
		const records = await exportInParallel(transport, { endpoint: 'sessions/scores', params: {} }, 32, {
			limiter: new RateLimiter({ requests: 1_000_000, windowMs: 1 }),
		});
		expect(records).toEqual(emulator.store.truth('sessions/scores', {}));
		expect(rateLimited()).toBeGreaterThan(0);
	});
});
