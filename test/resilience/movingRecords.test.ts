import type { SessionEndpoint } from '../../dev/emulator/sessionStore';
import { useEmulator } from '../harness/emulatorFixture';
import { exportClient } from '../harness/exportClient';
import { learnersSave } from '../harness/learnersSave';

const { emulator, credentials } = useEmulator(900);
afterEach(() => (emulator.onRequest = undefined));

const cases: Array<[SessionEndpoint, 'asc' | 'desc']> = [
	['sessions/scores', 'desc'],
	['sessions/scores', 'asc'],
	['sessions/responses', 'desc'],
	['sessions/responses', 'asc'],
	['sessions/metadata', 'desc'],
];

describe('Return All while learners keep saving', () => {
	test.each(cases)(
		'%s (%s): every session exactly once, in its latest state and final order',
		async (endpoint, sort) => {
			const saves = learnersSave(emulator, 4, 15, endpoint.length + sort.length);
			const client = exportClient(credentials());
			const params = { sort };
			const records = await client.export({ endpoint, params });
			emulator.onRequest = undefined;
			const truth = emulator.store.truth(endpoint, params);
			const ids = records.map((r) => r.session_id);
			expect(new Set(ids).size).toBe(ids.length);
			expect(records).toEqual(truth);
			expect(saves()).toBe(60);
			const moved = emulator.log.reduce((sum, entry) => sum + (entry.records ?? 0), 0) - records.length;
			console.info(
				`${endpoint} ${sort}: ${records.length} sessions, ${saves()} saves during the export, ` +
					`${moved} moved copies met again and replaced, ${client.transport.stats.requests} requests`,
			);
		},
	);

	test('a plain newest-first walk would have lost sessions: the emulator really moves them', async () => {
		learnersSave(emulator, 4, 15, 99);
		const client = exportClient(credentials());
		const seen = new Set<string>();
		let next: string | undefined;
		for (;;) {
			const page = await client.transport.get('sessions/scores', { limit: 50, ...(next ? { next } : {}) });
			if (!page.data.length) break;
			page.data.forEach((r) => seen.add(String(r.session_id)));
			next = page.next;
		}
		emulator.onRequest = undefined;
		expect(seen.size).toBeLessThan(emulator.store.all().length);
	});

	test('saves that never stop cannot make Return All run forever; nothing is lost or doubled', async () => {
		learnersSave(emulator, 2, Infinity, 7);
		const client = exportClient(credentials());
		const records = await client.export({ endpoint: 'sessions/scores', params: {} });
		emulator.onRequest = undefined;
		const ids = records.map((r) => r.session_id);
		expect(new Set(ids).size).toBe(ids.length);
		expect(new Set(ids)).toEqual(new Set(emulator.store.all().map((s) => s.session_id)));
		expect(client.transport.stats.requests).toBeLessThanOrEqual(Math.ceil(900 / 50) + 2 + 3);
	});
});

describe('a newest-first Limit while learners keep saving', () => {
	test.each<[SessionEndpoint, number, number]>([
		['sessions/scores', 300, 6],
		['sessions/responses', 300, 6],
		['sessions/metadata', 300, 6],
		['sessions/scores', 2000, 15],
	])(
		'%s, Limit %d: a session saved during the walk moves in front of it and is still returned',
		async (endpoint, limit, savingRequests) => {
			const saves = learnersSave(emulator, 4, savingRequests, limit + endpoint.length);
			const client = exportClient(credentials());
			const records = await client.export({ endpoint, params: {}, limit });
			emulator.onRequest = undefined;
			expect(saves()).toBe(4 * savingRequests);
			expect(records).toEqual(emulator.store.truth(endpoint, {}).slice(0, limit));
			const catchUp = emulator.log.filter((entry) => entry.request?.sort === 'asc');
			expect(catchUp.length).toBeGreaterThanOrEqual(1);
		},
	);
});
