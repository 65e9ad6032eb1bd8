import {
	pollEvents,
	startCursor,
	type EventCursor,
	type EventQuery,
} from '../../nodes/LearnositySessionsTrigger/trigger/sessionEvents';
import type { SessionRecord } from '../../nodes/types';
import { useEmulator } from '../harness/emulatorFixture';
import { exportClient } from '../harness/exportClient';
import type { PageSource } from '../../nodes/types';
import { seededRandom } from '../../dev/emulator/random';
import { Classroom } from './learners';

// The emulator's quota window is the one the client waits out after a 429: long walks here run thousands of requests
// a second, and a client that waited less than the window would give up on a quota that clears.
const RATE_LIMIT = { requests: 100, windowMs: 20 };
const { emulator, credentials } = useEmulator(400, { rateLimit: RATE_LIMIT });
const fastPolicy = { backoffMs: 1, rateLimitWindowMs: RATE_LIMIT.windowMs };
const query = (change: Partial<EventQuery> = {}): EventQuery => ({
	event: 'sessionCompleted',
	output: 'scores',
	filters: {},
	includeResponseScores: false,
	...change,
});

interface Poll {
	records: SessionRecord[];
	atMs: number;
}

/**
 * Polls `rounds` times while the classroom keeps working between polls (also in the second a poll ends), with 20% of
 * requests failing and, every 25th round, a poll that fails outright half-way (its cursor is then not stored, as in
 * the trigger).
 */
async function simulate(classroom: Classroom, eventQuery: EventQuery, rounds: number) {
	const client = exportClient(credentials(), fastPolicy);
	let cursor: EventCursor = await startCursor(client.transport, eventQuery);
	const polls: Poll[] = [];
	let failedPolls = 0;
	let largestCursor = 0;
	emulator.injectFaults(0.2, ['http500', 'http502Html', 'reset', 'truncatedJson'], rounds);
	for (let round = 1; round <= rounds; round++) {
		classroom.advance(classroom.randomPause());
		classroom.act(round % 40 === 0 ? 0 : 1 + (round % 7));
		if (round % 30 === 0) classroom.burstOfCompletions(70);
		if (round % 25 === 0) {
			emulator.onRequest = (n) => {
				if (n === emulator.log.length && n % 2 === 0)
					emulator.failNext('http500', 'http500', 'http500', 'http500', 'http500');
			};
		}
		try {
			const result = await pollEvents(client.transport, cursor, eventQuery);
			cursor = result.cursor;
			polls.push({ records: result.records, atMs: classroom.nowMs });
		} catch (error) {
			// Only the injected outage may fail a poll: five faults in a row make the transport give up.
			expect(String(error)).toMatch(/Learnosity kept failing: .* \(gave up after 5 attempts\)/);
			failedPolls++;
		} finally {
			emulator.onRequest = undefined;
			emulator.clearFaults();
			emulator.injectFaults(0.2, ['http500', 'http502Html', 'reset', 'truncatedJson'], rounds + round);
		}
		largestCursor = Math.max(largestCursor, JSON.stringify(cursor).length);
		// Learners keep working in the very second the poll ended: the next window must still include that second.
		if (round % 2 === 0) classroom.act(2);
	}
	emulator.clearFaults();
	classroom.advance(120);
	const last = await pollEvents(client.transport, cursor, eventQuery);
	polls.push({ records: last.records, atMs: classroom.nowMs });
	return {
		client,
		cursor: last.cursor,
		polls,
		failedPolls,
		largestCursor,
		requests: client.transport.stats.requests,
		retries: client.transport.stats.retries,
	};
}

describe('trigger events over hundreds of polls with faults', () => {
	test('sessionCompleted: every completion after activation exactly once, re-scores and saves ignored', async () => {
		const classroom = new Classroom(emulator, 11);
		const { polls, failedPolls, largestCursor, requests, retries } = await simulate(classroom, query(), 300);
		const emitted = polls.flatMap((poll) => poll.records.map((r) => String(r.session_id)));
		const completed = classroom.completions.map((c) => c.sessionId);
		expect(new Set(completed).size).toBe(completed.length);
		expect(emitted.length).toBe(new Set(emitted).size);
		expect(emitted.slice().sort()).toEqual(completed.slice().sort());
		expect(polls.flatMap((p) => p.records).every((r) => r.status === 'Completed')).toBe(true);
		expect(failedPolls).toBeGreaterThan(3);
		expect(largestCursor).toBeLessThan(20_000);
		console.info(
			`sessionCompleted: ${polls.length} polls (${failedPolls} failed half-way and were retried by the next), ` +
				`${completed.length} completions, ${emitted.length} events, ${requests} requests, ${retries} retries, ` +
				`largest cursor ${largestCursor} bytes`,
		);
	}, 120_000);

	test('sessionCompleted with manual scoring: graded sessions once when graded, even days later; re-scores never', async () => {
		const classroom = new Classroom(emulator, 31);
		classroom.mix = { start: 0.3, saveProgress: 0.15, complete: 0.2, submitForScoring: 0.15, grade: 0.1 };
		const eventQuery = query({ includeResponseScores: true });
		const pendingAtStart = emulator.store.all().filter((s) => s.status === 'Pending Scoring').length;
		const run = await simulate(classroom, eventQuery, 250);
		const { polls, client } = run;
		let { cursor } = run;

		// Days later, the teacher grades what is still waiting, then re-scores some graded sessions; the trigger keeps
		// polling (a day of backlog per poll at most).
		classroom.advance(3 * 24 * 3600);
		const waiting = emulator.store.all().filter((s) => s.status === 'Pending Scoring');
		for (const session of waiting.slice(0, Math.ceil(waiting.length / 2))) classroom.grade(session.session_id);
		const gradedLate = classroom.completions.filter((c) => c.kind === 'graded').slice(-5);
		classroom.advance(30);
		for (const { sessionId } of gradedLate) {
			const session = emulator.store.get(sessionId)!;
			emulator.store.put(
				{ ...session, responses: [{ ...session.responses[0], score: 0 }, ...session.responses.slice(1)] },
				classroom.nowMs,
			);
		}
		for (let poll = 0; poll < 6; poll++) {
			classroom.advance(60);
			const result = await pollEvents(client.transport, cursor, eventQuery);
			cursor = result.cursor;
			polls.push({ records: result.records, atMs: classroom.nowMs });
		}

		const emitted = polls.flatMap((poll) => poll.records);
		const emittedIds = emitted.map((r) => String(r.session_id));
		const expected = classroom.completions;
		expect(new Set(expected.map((c) => c.sessionId)).size).toBe(expected.length);
		const graded = expected.filter((c) => c.kind === 'graded');
		const submittedAt = new Map(emulator.store.all().map((s) => [s.session_id, Date.parse(String(s.dt_completed))]));
		const gradedDaysLater = graded.filter((c) => c.atMs - submittedAt.get(c.sessionId)! > 24 * 3600_000);
		expect(emittedIds.length).toBe(new Set(emittedIds).size);
		expect(emittedIds.slice().sort()).toEqual(expected.map((c) => c.sessionId).sort());
		expect(graded.length).toBeGreaterThan(20);
		expect(gradedDaysLater.length).toBeGreaterThan(10);
		// Each graded session carries its final scores: the record read after the grade, no response left unscored.
		const byId = new Map(emitted.map((r) => [String(r.session_id), r]));
		for (const { sessionId, atMs } of graded) {
			const record = byId.get(sessionId)!;
			expect(record.status).toBe('Completed');
			expect(Date.parse(String(record.dt_saved))).toBeGreaterThanOrEqual(Math.floor(atMs / 1000) * 1000);
			expect((record.responses as Array<{ score: unknown }>).every((r) => r.score !== null)).toBe(true);
		}
		// Re-scores of sessions already reported happened, and none came back as a completion.
		const reported = new Set(emittedIds);
		expect(classroom.rescores.filter((r) => reported.has(r.sessionId)).length + gradedLate.length).toBeGreaterThan(10);
		// The state holds exactly the sessions still waiting for a grade, and the window's events.
		const stillPending = emulator.store.all().filter((s) => s.status === 'Pending Scoring');
		expect(cursor.pending.slice().sort()).toEqual(stillPending.map((s) => s.session_id).sort());
		expect(run.largestCursor).toBeLessThan(20_000);
		console.info(
			`sessionCompleted with manual scoring: ${polls.length} polls (${run.failedPolls} failed half-way), ` +
				`${pendingAtStart} pending at activation, ${classroom.submittedForScoring.length} submitted for scoring, ` +
				`completions expected ${expected.length} (${graded.length} graded, ${gradedDaysLater.length} more than a day ` +
				`after submission), emitted ${emittedIds.length}, duplicates ${emittedIds.length - reported.size}, ` +
				`${stillPending.length} still pending, ${run.requests} requests`,
		);
	}, 180_000);

	test('sessionUpdated: each change once, several saves between polls as one event with the latest state', async () => {
		const classroom = new Classroom(emulator, 23);
		const startMs = classroom.nowMs;
		const { polls, failedPolls, largestCursor, requests } = await simulate(
			classroom,
			query({ event: 'sessionUpdated' }),
			200,
		);
		for (const poll of polls) {
			const ids = poll.records.map((r) => String(r.session_id));
			expect(new Set(ids).size).toBe(ids.length);
		}
		const history = new Map<string, SessionRecord[]>();
		for (const record of polls.flatMap((poll) => poll.records)) {
			history.set(String(record.session_id), [...(history.get(String(record.session_id)) ?? []), record]);
		}
		// Each event is a change: never the same state twice, never an older save after a newer one.
		for (const events of history.values()) {
			for (let n = 1; n < events.length; n++) {
				expect(events[n]).not.toEqual(events[n - 1]);
				expect(String(events[n].dt_saved) >= String(events[n - 1].dt_saved)).toBe(true);
			}
		}
		const changed = new Set(classroom.saves.filter((s) => s.atMs > startMs).map((s) => s.sessionId));
		expect(new Set(history.keys())).toEqual(changed);
		const finalStates = emulator.store.truth('sessions/scores', { session_id: [...changed] });
		const lastEmitted = new Map(polls.flatMap((poll) => poll.records).map((r) => [String(r.session_id), r]));
		for (const state of finalStates) expect(lastEmitted.get(String(state.session_id))).toEqual(state);
		const events = polls.reduce((sum, poll) => sum + poll.records.length, 0);
		expect(events).toBeLessThan(classroom.saves.length);
		console.info(
			`sessionUpdated: ${polls.length} polls (${failedPolls} failed), ${classroom.saves.length} saves, ` +
				`${changed.size} sessions changed, ${events} events, ${requests} requests, largest cursor ${largestCursor} bytes`,
		);
	}, 120_000);

	test('short pages never end a walk: 11,000 completions between two polls (over 200 pages), each emitted once', async () => {
		const classroom = new Classroom(emulator, 47);
		const client = exportClient(credentials(), fastPolicy);
		// An API that answers some pages (seeded, 1 in 20) with fewer records than asked, anywhere in the walk.
		const random = seededRandom(2026);
		let shortPages = 0;
		const shortPaging: PageSource = {
			get: async (endpoint, request) => {
				const limit = request.limit as number;
				if (limit > 1 && random() < 0.05) {
					shortPages++;
					return await client.transport.get(endpoint, { ...request, limit: 1 + Math.floor(random() * (limit - 1)) });
				}
				return await client.transport.get(endpoint, request);
			},
		};
		const eventQuery = query();
		const cursor = await startCursor(shortPaging, eventQuery);
		classroom.advance(30);
		const before = classroom.completions.length;
		for (let burst = 0; burst < 11; burst++) classroom.burstOfCompletions(1000);
		const completed = classroom.completions.slice(before).map((c) => c.sessionId);
		classroom.advance(30);
		const requestsBefore = client.transport.stats.requests;
		const first = await pollEvents(shortPaging, cursor, eventQuery);
		const pages = client.transport.stats.requests - requestsBefore;
		const emitted = first.records.map((r) => String(r.session_id));
		expect(emitted.length).toBe(new Set(emitted).size);
		expect(emitted.slice().sort()).toEqual(completed.slice().sort());
		expect(shortPages).toBeGreaterThan(5);
		classroom.advance(60);
		expect((await pollEvents(shortPaging, first.cursor, eventQuery)).records).toEqual([]);
		console.info(
			`short pages: ${completed.length} completions, ${emitted.length} emitted in one poll, ${pages} requests ` +
				`(${shortPages} short pages; minimum ${Math.ceil(completed.length / 50) + 2})`,
		);
	}, 300_000);

	test('responses and metadata outputs carry the chosen record for each event', async () => {
		const classroom = new Classroom(emulator, 5);
		const client = exportClient(credentials(), fastPolicy);
		for (const output of ['responses', 'metadata'] as const) {
			const eventQuery = query({ output, filters: {} });
			classroom.advance(10);
			const cursor = await startCursor(client.transport, eventQuery);
			classroom.advance(10);
			classroom.burstOfCompletions(3);
			const { records } = await pollEvents(client.transport, cursor, eventQuery);
			const ids = classroom.completions.slice(-3).map((c) => c.sessionId);
			expect(records.map((r) => r.session_id).sort()).toEqual(ids.sort());
			expect(records).toEqual(emulator.store.truth(`sessions/${output}`, { session_id: ids, sort: 'asc' }));
		}
	});
});
