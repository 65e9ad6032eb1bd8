import { createHash } from 'crypto';
import { LatestRecords } from '../../export/batches';
import { exportSessions } from '../../export/sessionExport';
import { SESSION_READS } from '../../query/sessionReads';
import type { PageSource, SessionRecord } from '../../types';
import {
	apiTime,
	MAX_WINDOW_S,
	PENDING_SCORING,
	scoresParams,
	seconds,
	VISIBILITY_MARGIN_S,
	upTo,
	type EventCursor,
	type EventQuery,
} from './eventCursor';
import { apiNow, newestRecord, walkAll } from './walk';

export {
	currentCursor,
	startCursor,
	type EventCursor,
	type EventOutput,
	type EventQuery,
	type SessionEvent,
} from './eventCursor';

const DETECTION_ENDPOINT = 'sessions/scores';

/** Learnosity's times have whole seconds: two saves in one second differ only in content. */
function fingerprint(record: SessionRecord): string {
	return createHash('sha1').update(JSON.stringify(record)).digest('base64').slice(0, 10);
}

/** One poll's working state: the events found so far (latest copy last) and the cursor's sets, being updated. */
class PollState {
	readonly events = new LatestRecords();
	readonly seen: Record<string, [number, string]>;
	readonly pending: Set<string>;
	/** The sessions this poll's window read: the next window may read them again, whatever their `dt_saved`. */
	readonly read = new Set<string>();

	constructor(
		cursor: EventCursor,
		private readonly windowStart: number,
	) {
		this.seen = { ...cursor.seen };
		this.pending = new Set(cursor.pending);
	}

	private emit(id: string, record: SessionRecord, at: number, print: string): void {
		this.events.add([record]);
		this.seen[id] = [at, print];
	}

	/** Session Updated: each new state once; a copy read again (same second, same content) is not a change. */
	updated(record: SessionRecord): void {
		const id = String(record.session_id);
		this.read.add(id);
		const at = seconds(record.dt_saved) ?? this.windowStart;
		const print = fingerprint(record);
		const sent = this.seen[id];
		if (sent && !this.events.has(id) && (sent[0] > at || (sent[0] === at && sent[1] === print))) return;
		this.emit(id, record, at, print);
	}

	/**
	 * Session Completed, from the window of submissions or from the check of pending sessions. A session is emitted
	 * when it is first read Completed: submitted in the window and not yet sent, or graded after waiting in Pending
	 * Scoring. Later copies in the same poll replace it (its latest scores); a re-score in a later poll is not a
	 * completion. A session first read in Pending Scoring waits in `pending` — unless it was already sent (re-opened
	 * for scoring after its completion was reported: that is a re-score too).
	 */
	completed(record: SessionRecord): void {
		const id = String(record.session_id);
		const submitted = seconds(record.dt_completed) ?? this.windowStart;
		if (record.status === PENDING_SCORING) {
			if (!this.seen[id]) this.pending.add(id);
			return;
		}
		const wasPending = this.pending.delete(id);
		if (record.status !== 'Completed') return;
		if (wasPending || !this.seen[id] || this.events.has(id)) this.emit(id, record, submitted, '');
	}
}

/** The records to emit, in the chosen output, in event order. */
async function outputRecords(
	source: PageSource,
	query: EventQuery,
	detected: SessionRecord[],
): Promise<SessionRecord[]> {
	if (query.output === 'scores' || detected.length === 0) return detected;
	const ids = detected.map((record) => String(record.session_id));
	const { endpoint } = SESSION_READS[query.output];
	const records = await exportSessions(source, { endpoint, params: { session_id: ids } });
	const byId = new Map(records.map((record) => [String(record.session_id), record]));
	return ids.map((id) => byId.get(id)).filter((record): record is SessionRecord => record !== undefined);
}

/**
 * Session Completed reads two things: the sessions submitted in the window (Completed, or Pending Scoring to wait
 * for), and which of the sessions waiting for a grade have left Pending Scoring — graded (an event), or reopened or
 * discarded (no longer waited for). Both queries are bounded by time: the window by submission time, which a
 * re-score does not move; the check by updated time up to `until`, and what is graded later stays pending for the
 * next poll.
 */
async function readCompletions(source: PageSource, query: EventQuery, state: PollState, from: number, until: number) {
	const submittedInWindow = {
		...query.filters,
		...scoresParams(query),
		status: ['Completed', PENDING_SCORING],
		mintime_completed: apiTime(from),
		maxtime_completed: upTo(until),
	};
	for (const record of await walkAll(source, DETECTION_ENDPOINT, submittedInWindow)) state.completed(record);
	if (state.pending.size === 0) return;
	const leftPending = {
		...scoresParams(query),
		session_id: [...state.pending],
		status: ['Completed', 'Incomplete', 'Discarded'],
		maxtime: upTo(until),
	};
	for (const record of await walkAll(source, DETECTION_ENDPOINT, leftPending)) state.completed(record);
}

/**
 * One poll: the sessions that completed (or changed) since the last poll, each once, in its latest state, with the
 * cursor to store once the events are handed over. Nothing is stored here: if the poll fails, the caller keeps the
 * old cursor and the next poll reads the same window again.
 *
 * The window ends at the API's clock when the poll starts (or a day after its start, when catching up): what is
 * saved while the poll reads belongs to the next window, which starts `VISIBILITY_MARGIN_S` earlier.
 */
export async function pollEvents(
	source: PageSource,
	cursor: EventCursor,
	query: EventQuery,
): Promise<{ records: SessionRecord[]; cursor: EventCursor }> {
	const now = await apiNow(source);
	const from = cursor.windowStart;
	const until = Math.max(from, Math.min(now, from + MAX_WINDOW_S));
	const state = new PollState(cursor, from);
	if (query.event === 'sessionCompleted') await readCompletions(source, query, state, from, until);
	else {
		const params = { ...query.filters, ...scoresParams(query), mintime: apiTime(from), maxtime: upTo(until) };
		for (const record of await walkAll(source, DETECTION_ENDPOINT, params)) state.updated(record);
	}
	const windowStart = Math.max(from, Math.min(until, now - VISIBILITY_MARGIN_S));
	// A session is read by its updated time, which a change that is not a learner's save (a grade, a re-score) may move
	// past its `dt_saved`: what this window read stays remembered until a window no longer reads it.
	for (const [id, [at]] of Object.entries(state.seen))
		if (at < windowStart && !state.read.has(id)) delete state.seen[id];
	const records = await outputRecords(source, query, state.events.list());
	return {
		records,
		cursor: { ...cursor, windowStart, seen: state.seen, pending: [...state.pending] },
	};
}

/** For "Fetch Test Event": the most recent matching session, without touching the cursor. */
export async function latestEvent(source: PageSource, query: EventQuery): Promise<SessionRecord[]> {
	const params: Record<string, unknown> = { ...query.filters, ...scoresParams(query) };
	if (query.event === 'sessionCompleted') params.status = ['Completed'];
	const newest = await newestRecord(source, DETECTION_ENDPOINT, params);
	return await outputRecords(source, query, newest ? [newest] : []);
}
