import { LearnosityApiError } from '../../nodes/transport/errors';
import { DEMO_CONSUMER_SECRET, type Fault } from '../../dev/emulator/server';
import type { SessionEndpoint } from '../../dev/emulator/sessionStore';
import { AFTER_THE_DEMO_DATA_MS, useEmulator } from '../harness/emulatorFixture';
import { ABSORBABLE_FAULTS_IN_A_ROW, exportClient } from '../harness/exportClient';

const WINDOW_MS = 250;
const { emulator, credentials } = useEmulator(640, { rateLimit: { requests: 5, windowMs: WINDOW_MS } });
const retryPolicy = { backoffMs: 5, rateLimitWindowMs: WINDOW_MS, maxRateLimitWaits: 50 };
// A short timeout only where a test is about responses that never come; elsewhere it would fire on a loaded machine.
const fastPolicy = { ...retryPolicy, timeoutMs: 300 };
const FAULTS: Fault[] = ['http500', 'http502Html', 'reset', 'truncatedJson'];
const AFTER_THE_DATA_S = Math.floor(AFTER_THE_DEMO_DATA_MS / 1000);
const endpoints: SessionEndpoint[] = ['sessions/metadata', 'sessions/responses', 'sessions/scores'];

describe('Return All under 20% faults and a 5-requests-per-window rate limit', () => {
	const cases = endpoints.flatMap((endpoint) => (['desc', 'asc'] as const).map((sort) => [endpoint, sort] as const));
	test.each(cases.map(([endpoint, sort], n) => [endpoint, sort, 1020 + n] as const))(
		'%s (%s) returns exactly the ground truth (fault seed %i)',
		async (endpoint, sort, seed) => {
			emulator.injectFaults(0.2, FAULTS, seed, ABSORBABLE_FAULTS_IN_A_ROW);
			const client = exportClient(credentials(), retryPolicy);
			// A fixed maxtime (after all the data) keeps this machine's clock out of the metadata requests: every request,
			// and so every seeded fault, is the same each run. Windows under faults: shortPages.test.ts.
			const params = { status: ['Completed', 'Pending Scoring'], sort, maxtime: AFTER_THE_DATA_S };
			const records = await client.export({ endpoint, params });
			expect(records).toEqual(emulator.store.truth(endpoint, params));
			const faults = emulator.log.filter((entry) => entry.fault).length;
			const rateLimited = emulator.log.filter((entry) => entry.status === 429).length;
			expect(faults).toBeGreaterThan(0);
			expect(rateLimited).toBeGreaterThan(0);
			expect(client.transport.stats.retries).toBe(faults + rateLimited);
			console.info(
				`${endpoint} ${sort}: ${records.length} sessions, ${client.transport.stats.requests} requests, ` +
					`${faults} faults and ${rateLimited} rate-limit answers survived`,
			);
		},
		30_000,
	);

	test('a response that never comes times out and is retried', async () => {
		emulator.failNext('hang', 'hang');
		const client = exportClient(credentials(), fastPolicy);
		const records = await client.export({ endpoint: 'sessions/scores', params: {}, limit: 10 });
		expect(records).toEqual(emulator.store.truth('sessions/scores', {}).slice(0, 10));
		expect(client.transport.stats.retries).toBe(2);
	});

	test.each([
		['http500', 'Learnosity kept failing: HTTP 500 (gave up after 5 attempts)'],
		['reset', 'Learnosity kept failing: could not reach 127.0.0.1'],
		['truncatedJson', 'Learnosity kept failing: HTTP 200 with a body that is not JSON (gave up after 5 attempts)'],
		['emptyBody', 'Learnosity kept failing: HTTP 200 with a body that is not JSON (gave up after 5 attempts)'],
		['hang', 'Learnosity kept failing: could not reach 127.0.0.1'],
	] as const)('an API that keeps answering %s fails clearly after a bounded time', async (fault, message) => {
		emulator.injectFaults(1, [fault]);
		const client = exportClient(credentials(), fastPolicy);
		const started = Date.now();
		const failure = await client.export({ endpoint: 'sessions/scores', params: {} }).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(LearnosityApiError);
		expect((failure as Error).message).toContain(message);
		expect(JSON.stringify(failure)).not.toContain(DEMO_CONSUMER_SECRET);
		expect(emulator.log.filter((entry) => entry.fault).length).toBe(5);
		expect(Date.now() - started).toBeLessThan(5 * fastPolicy.timeoutMs + 1000);
	});

	test('a rate limit that never lifts ends in the 42000 message after the bounded number of windows', async () => {
		emulator.injectFaults(1, ['rateLimited']);
		const client = exportClient(credentials(), { ...fastPolicy, rateLimitWindowMs: 10, maxRateLimitWaits: 4 });
		const failure = await client.export({ endpoint: 'sessions/scores', params: {} }).catch((error: unknown) => error);
		expect((failure as Error).message).toBe('Learnosity rate limit reached (too many requests) (error 42000)');
		expect(emulator.log.length).toBe(5);
	});
});
