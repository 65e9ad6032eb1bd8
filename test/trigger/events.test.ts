import {
	pollEvents,
	startCursor,
	type EventCursor,
	type EventQuery,
} from '../../nodes/LearnositySessionsTrigger/trigger/sessionEvents';
import type { SessionRecord } from '../../nodes/types';
import { useEmulator } from '../harness/emulatorFixture';
import { exportClient } from '../harness/exportClient';
import { Classroom } from './learners';

const { emulator, credentials } = useEmulator(400);
const fastPolicy = { backoffMs: 1, rateLimitWindowMs: 20, timeoutMs: 500 };
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
		} catch {
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
