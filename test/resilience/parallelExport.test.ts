import type { PageSource } from '../../nodes/types';
import {
	exportSessions,
	type ExportOptions,
	type ParallelExportStats,
	type SessionExport,
} from '../../nodes/export/sessionExport';
import { demoSessions } from '../../dev/emulator/demoData';
import { SessionStore, type SessionEndpoint } from '../../dev/emulator/sessionStore';
import { useEmulator } from '../harness/emulatorFixture';
import { exportClient } from '../harness/exportClient';
import { iso } from '../../dev/emulator/isoTime';

const SESSIONS = 1000;
const { emulator, credentials } = useEmulator(SESSIONS);
afterEach(() => (emulator.latencyMs = 0));
/** The one entry point with `parallel` requests in flight. */
const exportInParallel = (source: PageSource, request: SessionExport, parallel: number, options: ExportOptions = {}) =>
	exportSessions(source, request, { ...options, parallel });
const newStats = (): ParallelExportStats => ({ slices: 0, splits: 0, sequentialBatches: 0 });
const requests = () => emulator.log.length;

describe('parallel Return All gives exactly what the sequential export gives', () => {
	const times = emulator.store
		.all()
		.map((s) => s.updatedMs)
		.sort((a, b) => a - b);
	const filters: Array<[string, Record<string, unknown>]> = [
		['no filter', {}],
		[
			'status, activity and updated-time filters',
			{
				status: ['Completed', 'Pending Scoring'],
				activity_id: ['algebra-unit-1', 'reading-check-3', 'spanish-quiz-4', 'history-essay-2'],
				mintime: iso(times[100]),
				maxtime: Math.floor(times[900] / 1000),
			},
		],
	];
	const endpoints: Array<[SessionEndpoint, Record<string, unknown>]> = [
		['sessions/scores', { include_response_scores: true }],
		['sessions/responses', { include: { 'sessions.session_metadata': ['session_tags'] } }],
		['sessions/metadata', {}],
	];
	const cases = endpoints.flatMap(([endpoint, extra]) =>
		(['desc', 'asc'] as const).flatMap((sort) =>
			filters.map(([name, filter]) => [endpoint, sort, name, { ...filter, ...extra, sort }] as const),
		),
	);

	test.each(cases)('%s (%s, %s)', async (endpoint, _sort, _name, params) => {
		const { transport } = exportClient(credentials());
		const sequential = await exportSessions(transport, { endpoint, params });
		const sequentialRequests = requests();
		emulator.log.length = 0;
		const stats = newStats();
		const parallel = await exportInParallel(transport, { endpoint, params }, 8, { stats });
		expect(parallel).toEqual(sequential);
		expect(parallel).toEqual(emulator.store.truth(endpoint, params));
		expect(parallel.length).toBeGreaterThan(0);
		expect(stats.sequentialBatches).toBe(0);
		// Slicing costs a few requests: two probes, the end of each slice, the newest slice read once more.
		expect(requests()).toBeLessThanOrEqual(sequentialRequests + 3 + stats.slices + stats.splits);
		expect(emulator.log.every((entry) => entry.status === 200)).toBe(true);
	});

	test('ID lists over 1000 are batched as in the sequential export, each batch in parallel', async () => {
		const ids = emulator.store
			.all()
			.slice(0, 1000)
			.map((s) => s.session_id);
		ids.push(...Array.from({ length: 300 }, (_, n) => `unknown-session-${n}`));
		const params = { session_id: [...ids, ...ids.slice(0, 50)] };
		const { transport } = exportClient(credentials());
		const sequential = await exportSessions(transport, { endpoint: 'sessions/scores', params });
		const parallel = await exportInParallel(transport, { endpoint: 'sessions/scores', params }, 6);
		expect(parallel).toEqual(sequential);
		expect(parallel.map((r) => r.session_id).sort()).toEqual(ids.slice(0, 1000).sort());
	});

	test('a Limit is sequential: its pages, then one read of what was saved meanwhile', async () => {
		const { transport } = exportClient(credentials());
		const records = await exportInParallel(transport, { endpoint: 'sessions/scores', params: {}, limit: 120 }, 8);
		expect(records).toEqual(emulator.store.truth('sessions/scores', {}).slice(0, 120));
		expect(emulator.log.map((entry) => [entry.request?.sort ?? 'desc', entry.request?.limit])).toEqual([
			['desc', 50],
			['desc', 50],
			['desc', 20],
			['asc', 50],
		]);
	});

	test('metadata falls back to the sequential walk when the scores endpoint cannot give the time range', async () => {
		const { transport } = exportClient(credentials());
		const noScores: PageSource = {
			get: async (endpoint, request) => {
				if (endpoint === 'sessions/scores') throw new Error('not allowed for this consumer');
				return await transport.get(endpoint, request);
			},
		};
		const stats = newStats();
		const records = await exportInParallel(noScores, { endpoint: 'sessions/metadata', params: {} }, 8, {
			stats,
		});
		expect(records).toEqual(emulator.store.truth('sessions/metadata', {}));
		expect(stats.sequentialBatches).toBe(1);
		expect(requests()).toBe(Math.ceil(SESSIONS / 50) + 1);
	});

	test('an empty result costs the probes and one page', async () => {
		const { transport } = exportClient(credentials());
		const params = { user_id: ['nobody'] };
		expect(await exportInParallel(transport, { endpoint: 'sessions/responses', params }, 8)).toEqual([]);
		expect(requests()).toBe(3);
	});

	test('a failure that persists rejects the export, and no request is sent after that', async () => {
		emulator.injectFaults(1, ['http500']);
		const { transport } = exportClient(credentials(), { backoffMs: 1 });
		const failure = await exportInParallel(transport, { endpoint: 'sessions/scores', params: {} }, 8).catch(
			(e: unknown) => e,
		);
		expect((failure as Error).message).toContain('Learnosity kept failing: HTTP 500');
		const sent = requests();
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(requests()).toBe(sent);
	});
});

/**
 * The sessions store served in rounds: every request in flight is answered together, then the next round starts.
 * Rounds count the round trips an export waits for, whatever the machine's speed.
 */
function servedInRounds(store: SessionStore) {
	let due: Array<() => void> = [];
	const counts = { rounds: 0, requests: 0 };
	const source: PageSource = {
		get: (endpoint, request) =>
			new Promise((resolve) => {
				counts.requests++;
				if (!due.length) {
					setImmediate(() => {
						counts.rounds++;
						due.splice(0).forEach((answer) => answer());
					});
				}
				due.push(() => resolve(store.page(endpoint as SessionEndpoint, request)));
			}),
	};
	return { source, counts };
}

describe('round trips: the work is shared by all workers', () => {
	const end = Date.UTC(2026, 9, 1);
	// A quiet term and one exam morning: 2400 of 3000 sessions saved within ten minutes.
	const examMorning = new SessionStore(
		demoSessions({ sessions: 3000, seed: 42, endMs: end }).map((session, n) => ({
			...session,
			updatedMs: n % 5 === 0 ? session.updatedMs : end - 600_000 + ((n * 7919) % 600_000),
		})),
	);
	const evenlySpread = new SessionStore(demoSessions({ sessions: 3000, seed: 43, endMs: end }));

	test.each([
		['evenly spread', evenlySpread],
		['one dense exam morning', examMorning],
	] as const)('%s: 3000 sessions with 8 workers', async (name, store) => {
		const { source, counts } = servedInRounds(store);
		const stats = newStats();
		const params = { sort: 'desc' };
		const records = await exportInParallel(source, { endpoint: 'sessions/scores', params }, 8, { stats });
		expect(records).toEqual(store.truth('sessions/scores', params));
		const minimum = Math.ceil(3000 / 50) + 1;
		console.info(
			`${name}: ${counts.requests} requests (minimum ${minimum}) in ${counts.rounds} rounds; ${stats.slices} slices, ${stats.splits} splits`,
		);
		expect(counts.requests).toBeLessThanOrEqual(minimum * 1.25);
		// Sequentially 61 rounds; the exam morning alone would be 48 if its slice were never split.
		expect(counts.rounds).toBeLessThanOrEqual(Math.ceil(minimum / 8) + 8);
	});
});
