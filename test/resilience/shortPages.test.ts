import { exportSessions, type ParallelExportStats } from '../../nodes/export/sessionExport';
import type { Fault, LearnosityEmulator, RequestLogEntry } from '../../dev/emulator/server';
import type { SessionEndpoint } from '../../dev/emulator/sessionStore';
import { AFTER_THE_DEMO_DATA_MS, useEmulator } from '../harness/emulatorFixture';
import { ABSORBABLE_FAULTS_IN_A_ROW, exportClient } from '../harness/exportClient';
import { learnersSave } from '../harness/learnersSave';

/*
 * The sessions endpoints promise only that an empty page ends a list: a page may hold fewer records than asked for
 * in the middle of it. Every export here runs against an emulator that serves such short pages at random (seeded),
 * and must return exactly the ground truth: every session once, nothing extra, in the API's order.
 */

// Exports of 3000 sessions on a loaded machine: generous time, never weaker assertions.
jest.setTimeout(180_000);

const SESSIONS = 3000;
const MINIMUM = Math.ceil(SESSIONS / 50) + 1;
const endpoints: SessionEndpoint[] = ['sessions/scores', 'sessions/responses', 'sessions/metadata'];
const cases = endpoints.flatMap((endpoint) => (['desc', 'asc'] as const).map((sort) => [endpoint, sort] as const));
const seeded = cases.map(([endpoint, sort], n) => [endpoint, sort, 100 + n] as const);
const newStats = (): ParallelExportStats => ({ slices: 0, splits: 0, sequentialBatches: 0 });

/** Pages that came back with fewer records than asked for, though not empty: what used to end exports early. */
function shortPages(log: RequestLogEntry[]): number {
	return log.filter((entry) => {
		const asked = Math.min(Number(entry.request?.limit ?? 50), 50);
		return entry.records !== undefined && entry.records > 0 && entry.records < asked;
	}).length;
}

function report(
	name: string,
	expected: number,
	returned: number,
	emulator: LearnosityEmulator,
	extra = '',
	minimum = MINIMUM,
) {
	const short = shortPages(emulator.log);
	console.info(
		`${name}: ${returned}/${expected} sessions, ${emulator.log.length} requests (minimum ${minimum}), ` +
			`${short} short pages${extra}`,
	);
}

describe('a normal API (no short pages, nobody saving): Return All costs exactly ⌈N/50⌉ + 1 requests', () => {
	const { emulator, credentials } = useEmulator(SESSIONS);
	test.each(cases)('%s (%s)', async (endpoint, sort) => {
		const client = exportClient(credentials());
		const params = { sort };
		const records = await client.export({ endpoint, params });
		expect(records).toEqual(emulator.store.truth(endpoint, params));
		expect(emulator.log.length).toBe(MINIMUM);
		report(`normal ${endpoint} ${sort}`, SESSIONS, records.length, emulator);
	});
});

describe('short pages mid-stream (10% of pages)', () => {
	const { emulator, credentials, stopApiClock } = useEmulator(SESSIONS);
	afterEach(() => {
		emulator.serveShortPages(0);
		emulator.onRequest = undefined;
	});

	test.each(seeded)('Return All %s (%s) returns exactly the ground truth (seed %i)', async (endpoint, sort, seed) => {
		emulator.serveShortPages(0.1, seed);
		const client = exportClient(credentials());
		// A fixed maxtime keeps this machine's clock out of the metadata requests (its first window), so the seeded short
		// pages are the same each run. Windows under short pages: the parallel and the learners-save tests below.
		const params = { sort, maxtime: Math.floor(AFTER_THE_DEMO_DATA_MS / 1000) };
		const records = await client.export({ endpoint, params });
		expect(records).toEqual(emulator.store.truth(endpoint, params));
		expect(shortPages(emulator.log)).toBeGreaterThan(2);
		report(`short pages, sequential ${endpoint} ${sort}`, SESSIONS, records.length, emulator);
	});

	test.each(seeded)(
		'Limit 1300 over 20% short pages, %s (%s), is exactly the first 1300 (seed %i)',
		async (endpoint, sort, seed) => {
			emulator.serveShortPages(0.2, seed);
			const client = exportClient(credentials());
			const params = { sort };
			const records = await client.export({ endpoint, params, limit: 1300 });
			expect(records).toEqual(emulator.store.truth(endpoint, params).slice(0, 1300));
			expect(shortPages(emulator.log)).toBeGreaterThan(0);
			// A page never asks for more than is still wanted: the last page asks for exactly the rest.
			const asked = emulator.log.map((entry) => Number(entry.request?.limit));
			expect(asked.every((limit) => limit <= 50)).toBe(true);
			report(`short pages, Limit 1300 ${endpoint} ${sort}`, 1300, records.length, emulator, '', 26);
		},
	);

	test.each(seeded)('parallel Return All %s (%s) equals the ground truth (seed %i)', async (endpoint, sort, seed) => {
		emulator.serveShortPages(0.1, seed);
		stopApiClock();
		const { transport } = exportClient(credentials());
		const params = { sort };
		const stats = newStats();
		const records = await exportSessions(transport, { endpoint, params }, { parallel: 8, stats });
		expect(records).toEqual(emulator.store.truth(endpoint, params));
		expect(stats.sequentialBatches).toBe(0);
		expect(shortPages(emulator.log)).toBeGreaterThan(0);
		report(`short pages, parallel ${endpoint} ${sort}`, SESSIONS, records.length, emulator, `, ${stats.slices} slices`);
	});

	test.each(seeded)('while learners save: %s (%s), sequential and parallel (seed %i)', async (endpoint, sort, seed) => {
		const params = { sort };
		for (const parallel of [0, 8]) {
			emulator.log.length = 0;
			emulator.serveShortPages(0.1, seed);
			const saves = learnersSave(emulator, 4, 20, seed + parallel);
			const { transport } = exportClient(credentials());
			const records = await exportSessions(transport, { endpoint, params }, { parallel });
			emulator.onRequest = undefined;
			expect(saves()).toBe(80);
			expect(records).toEqual(emulator.store.truth(endpoint, params));
			report(`short pages + saves, parallel ${parallel} ${endpoint} ${sort}`, SESSIONS, records.length, emulator);
		}
	});

	test.each(['sessions/scores', 'sessions/metadata'] as const)(
		'%s: saves that never stop cannot keep Return All alive; every session once',
		async (endpoint) => {
			emulator.serveShortPages(0.1, 9);
			learnersSave(emulator, 2, Infinity, 13);
			const { transport } = exportClient(credentials());
			for (const parallel of [0, 8]) {
				const before = emulator.log.length;
				const records = await exportSessions(transport, { endpoint, params: {} }, { parallel });
				const ids = records.map((r) => String(r.session_id));
				expect(new Set(ids).size).toBe(ids.length);
				expect(new Set(ids)).toEqual(new Set(emulator.store.all().map((s) => s.session_id)));
				// Bounded: the walk stops soon after it reaches the saves, not when the saves stop (they never do). Here the
				// API's clock runs 2 s per request, so a metadata window (30 s) closes within 15 requests; at most 4 are read.
				const requests = emulator.log.length - before;
				expect(requests).toBeLessThan(endpoint === 'sessions/metadata' ? MINIMUM + 4 * 30 : MINIMUM + 30);
				console.info(
					`endless saves, ${endpoint}, parallel ${parallel}: ${records.length} sessions, ${requests} requests`,
				);
			}
			emulator.onRequest = undefined;
		},
	);
});

describe('short pages, faults and 429s together', () => {
	const WINDOW_MS = 250;
	const { emulator, credentials } = useEmulator(700, { rateLimit: { requests: 5, windowMs: WINDOW_MS } });
	// No fault here hangs, so the timeout is the default's: a short one would only fire on a loaded machine.
	const fastPolicy = { backoffMs: 5, rateLimitWindowMs: WINDOW_MS, maxRateLimitWaits: 50 };
	const FAULTS: Fault[] = ['http500', 'http502Html', 'reset', 'truncatedJson'];
	afterEach(() => emulator.serveShortPages(0));

	test.each(seeded)(
		'%s (%s): Return All, parallel and Limit 300 return exactly the ground truth (seed %i)',
		async (endpoint, sort, seed) => {
			const params = { status: ['Completed', 'Pending Scoring'], sort };
			const truth = emulator.store.truth(endpoint, params);
			for (const [parallel, limit] of [
				[0, undefined],
				[8, undefined],
				[0, 300],
			] as const) {
				emulator.serveShortPages(0.15, seed);
				emulator.injectFaults(0.2, FAULTS, seed, ABSORBABLE_FAULTS_IN_A_ROW);
				const client = exportClient(credentials(), fastPolicy);
				const records = await exportSessions(client.transport, { endpoint, params, limit }, { parallel });
				emulator.clearFaults();
				expect(records).toEqual(limit === undefined ? truth : truth.slice(0, limit));
			}
			const faults = emulator.log.filter((entry) => entry.fault).length;
			const refusals = emulator.log.filter((entry) => entry.status === 429).length;
			expect(faults).toBeGreaterThan(0);
			expect(refusals).toBeGreaterThan(0);
			expect(shortPages(emulator.log)).toBeGreaterThan(0);
			console.info(
				`faults + 429s ${endpoint} ${sort}: 3 exports exact, ${emulator.log.length} requests, ` +
					`${shortPages(emulator.log)} short pages, ${faults} faults, ${refusals} 429s`,
			);
		},
	);
});
