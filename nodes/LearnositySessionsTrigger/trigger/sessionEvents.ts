import { createHash } from 'crypto';
import { MAX_PAGE_SIZE, sessionPages } from '../../export/pager';
import { exportSessions } from '../../export/sessionExport';
import type { PageSource, SessionRecord } from '../../types';
import { toApiTime } from '../../query/time';

export type SessionEvent = 'sessionCompleted' | 'sessionUpdated';
export type EventOutput = 'scores' | 'responses' | 'metadata';

export interface EventQuery {
	event: SessionEvent;
	output: EventOutput;
	/** ID filters as API parameters (activity_id, user_id). */
	filters: Record<string, unknown>;
	includeResponseScores: boolean;
}

/**
 * What the trigger remembers between polls (in the workflow's static data). Events are found in a time window that
 * starts `VISIBILITY_MARGIN_S` before the previous complete poll; `seen` holds the sessions already emitted inside
 * the window (ID → [event time, fingerprint of the state sent]), so a session read again is not emitted twice. It
 * holds only the window's events: small whatever the traffic before it.
 */
export interface EventCursor {
	version: 1;
	/** The event and filters the cursor was made for; a change starts afresh from now. */
	query: string;
	/** Unix seconds: the window's start. */
	windowStart: number;
	seen: Record<string, [number, string]>;
}

/** Seconds a save may take to show in the API; the window reaches back this far, and `seen` covers the overlap. */
export const VISIBILITY_MARGIN_S = 60;
/** A poll reads at most this many pages; the rest waits for the next poll (the window then stays where it is). */
export const MAX_PAGES_PER_POLL = 200;

const DETECTION_ENDPOINT = 'sessions/scores';
const seconds = (iso: unknown): number | undefined => {
	const ms = typeof iso === 'string' ? Date.parse(iso) : NaN;
	return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
};

export function queryKey(query: EventQuery): string {
	return JSON.stringify([query.event, query.filters]);
}

/** Learnosity's times have whole seconds: two saves in one second differ only in content. */
function fingerprint(record: SessionRecord): string {
	return createHash('sha1').update(JSON.stringify(record)).digest('base64').slice(0, 10);
}

function alreadySent(
	event: SessionEvent,
	sent: [number, string] | undefined,
	at: number,
	record: SessionRecord,
): boolean {
	if (sent === undefined) return false;
	if (event === 'sessionCompleted') return true;
	return sent[0] > at || (sent[0] === at && sent[1] === fingerprint(record));
}

/** When the event happened: completion for sessionCompleted, the last save for sessionUpdated. */
function eventTime(event: SessionEvent, record: SessionRecord): number | undefined {
	return seconds(event === 'sessionCompleted' ? record.dt_completed : record.dt_saved);
}

function detectionParams(query: EventQuery, since: number): Record<string, unknown> {
	const params: Record<string, unknown> = { ...query.filters, sort: 'asc' };
	if (query.output === 'scores' && query.includeResponseScores) params.include_response_scores = true;
	const from = toApiTime(new Date(since * 1000), false);
	if (query.event === 'sessionCompleted') return { ...params, status: ['Completed'], mintime_completed: from };
	return { ...params, mintime: from };
}

/** A cursor that starts now by the API's clock, so that activation does not replay history. */
export async function startCursor(source: PageSource, query: EventQuery): Promise<EventCursor> {
	const page = await source.get(DETECTION_ENDPOINT, { ...query.filters, limit: 1 });
	const now = page.serverTime ?? Math.floor(Date.now() / 1000);
	return { version: 1, query: queryKey(query), windowStart: now, seen: {} };
}

/** The records to emit, in the chosen output, in event order. */
async function outputRecords(
	source: PageSource,
	query: EventQuery,
	detected: SessionRecord[],
): Promise<SessionRecord[]> {
	if (query.output === 'scores' || detected.length === 0) return detected;
	const ids = detected.map((record) => String(record.session_id));
	const endpoint = query.output === 'responses' ? 'sessions/responses' : 'sessions/metadata';
	const records = await exportSessions(source, { endpoint, params: { session_id: ids } });
	const byId = new Map(records.map((record) => [String(record.session_id), record]));
	return ids.map((id) => byId.get(id)).filter((record): record is SessionRecord => record !== undefined);
}

/**
 * One poll: the sessions that completed (or changed) since the last poll, each once, in its latest state, with the
 * cursor to store once the events are handed over. Nothing is stored here: if the poll fails, the caller keeps the
 * old cursor and the next poll reads the same window again.
 */
export async function pollEvents(
	source: PageSource,
	cursor: EventCursor,
	query: EventQuery,
): Promise<{ records: SessionRecord[]; cursor: EventCursor }> {
	let serverTime: number | undefined;
	const timed: PageSource = {
		get: async (endpoint, request) => {
			const page = await source.get(endpoint, request);
			serverTime ??= page.serverTime;
			return page;
		},
	};
	const events = new Map<string, SessionRecord>();
	const times = new Map<string, number>();
	let pages = 0;
	let complete = true;
	for await (const page of sessionPages(timed, DETECTION_ENDPOINT, detectionParams(query, cursor.windowStart))) {
		for (const record of page.data) {
			const id = String(record.session_id);
			const at = eventTime(query.event, record) ?? cursor.windowStart;
			if (alreadySent(query.event, cursor.seen[id], at, record)) continue;
			events.delete(id);
			events.set(id, record);
			times.set(id, at);
		}
		if (++pages >= MAX_PAGES_PER_POLL && page.data.length === MAX_PAGE_SIZE) {
			complete = false;
			break;
		}
	}
	const seen = { ...cursor.seen };
	for (const [id, record] of events)
		seen[id] = [times.get(id)!, query.event === 'sessionUpdated' ? fingerprint(record) : ''];
	let windowStart = cursor.windowStart;
	if (complete && serverTime !== undefined) {
		windowStart = Math.max(windowStart, serverTime - VISIBILITY_MARGIN_S);
		for (const [id, [at]] of Object.entries(seen)) if (at < windowStart) delete seen[id];
	}
	const records = await outputRecords(source, query, [...events.values()]);
	return { records, cursor: { ...cursor, windowStart, seen } };
}

/** For "Fetch Test Event": the most recent matching session, without touching the cursor. */
export async function latestEvent(source: PageSource, query: EventQuery): Promise<SessionRecord[]> {
	const params: Record<string, unknown> = { ...query.filters, sort: 'desc', limit: 1 };
	if (query.event === 'sessionCompleted') params.status = ['Completed'];
	if (query.output === 'scores' && query.includeResponseScores) params.include_response_scores = true;
	const page = await source.get(DETECTION_ENDPOINT, params);
	return await outputRecords(source, query, page.data.slice(0, 1));
}
