import type { SessionEndpoint } from '../../dev/emulator/sessionStore';
import { useEmulator } from '../harness/emulatorFixture';
import { exportClient } from '../harness/exportClient';

const { emulator, credentials } = useEmulator(6000);

/** Sessions whose dt_saved is unique: the only ones whose relative order records can show across batches. */
function distinctlySavedSessions() {
	const count = new Map<number, number>();
	for (const s of emulator.store.all())
		count.set(Math.floor(s.updatedMs / 1000), (count.get(Math.floor(s.updatedMs / 1000)) ?? 0) + 1);
	return emulator.store.all().filter((s) => count.get(Math.floor(s.updatedMs / 1000)) === 1);
}

describe('ID lists longer than the API accepts', () => {
	test.each([
		['sessions/scores', 'desc', undefined],
		['sessions/scores', 'asc', 1700],
		['sessions/responses', 'desc', 120],
	] as Array<[SessionEndpoint, 'asc' | 'desc', number | undefined]>)(
		'%s %s limit %s: 2600 session IDs (with duplicates) equal one unbounded query',
		async (endpoint, sort, limit) => {
			const sessions = distinctlySavedSessions()
				.slice(0, 2500)
				.map((s) => s.session_id);
			const withDuplicates = [...sessions, ...sessions.slice(0, 100)];
			const client = exportClient(credentials());
			const records = await client.export({ endpoint, params: { session_id: withDuplicates, sort }, limit });
			const truth = emulator.store.truth(endpoint, { session_id: sessions, sort });
			expect(records).toEqual(limit === undefined ? truth : truth.slice(0, limit));
			// Each batch's walk (a newest-first Limit also reads what was saved during its walk: asc, ignored here).
			const walks = emulator.log.filter((e) => !e.request?.next && (limit === undefined || e.request?.sort === sort));
			const sizes = walks.map((e) => (e.request?.session_id as string[]).length);
			expect(sizes).toEqual([1000, 1000, 500]);
			expect(emulator.log.every((e) => e.status === 200)).toBe(true);
		},
	);

	test('a list over 1000 only because of repeats goes in one request, without them', async () => {
		const sessions = emulator.store
			.all()
			.slice(0, 900)
			.map((s) => s.session_id);
		const params = { session_id: [...sessions, ...sessions.slice(0, 200)] };
		const records = await exportClient(credentials()).export({ endpoint: 'sessions/scores', params });
		expect(records).toEqual(emulator.store.truth('sessions/scores', { session_id: sessions }));
		expect(emulator.log.every((e) => e.status === 200)).toBe(true);
		expect(emulator.log.map((e) => (e.request?.session_id as string[]).length)).toEqual(emulator.log.map(() => 900));
	});

	test('more than 1000 user IDs and more than 1000 activity IDs are batched in combination', async () => {
		const users = [...new Set(emulator.store.all().map((s) => s.user_id))].sort();
		expect(users.length).toBeGreaterThan(1000);
		const activities = [...Array.from({ length: 1200 }, (_, n) => `unused-activity-${n}`), 'algebra-unit-1'];
		const params = { user_id: users, activity_id: activities, status: ['Completed'] };
		const client = exportClient(credentials());
		const records = await client.export({ endpoint: 'sessions/metadata', params });
		const truth = emulator.store.truth('sessions/metadata', params);
		expect(records.map((r) => r.session_id).sort()).toEqual(truth.map((r) => r.session_id).sort());
		expect(records.length).toBeGreaterThan(100);
		const firstPages = emulator.log.filter((e) => !e.request?.next);
		expect(firstPages).toHaveLength(4);
	});
});
