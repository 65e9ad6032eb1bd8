import type { PageSource, SessionRecord } from '../../types';
import { SESSION_READS } from '../../query/sessionReads';
import { toApiTime } from '../../query/time';
import { apiNow, walkAll } from './walk';

export type SessionEvent = 'sessionCompleted' | 'sessionUpdated';
export type EventOutput = 'scores' | 'responses' | 'metadata';

export interface EventQuery {
	event: SessionEvent;
	output: EventOutput;
	/** ID filters as API parameters (activity_id, user_id); lists may be longer than the API's 1000. */
	filters: Record<string, unknown>;
	includeResponseScores: boolean;
}

/**
 * What the trigger remembers between polls (in the workflow's static data). Events are found in a time window that
 * starts `VISIBILITY_MARGIN_S` before the previous poll's end; `seen` holds the sessions already emitted inside the
 * window (ID → [event time, fingerprint of the state sent]), so a session read again is not emitted twice. `pending`
 * (Session Completed only) holds the sessions submitted but waiting in Pending Scoring: each is emitted once graded.
 * The state grows with the window's events and the sessions waiting for a grade, not with history.
 */
export interface EventCursor {
	version: 2;
	/** The event and filters the cursor was made for; a change starts afresh from now. */
	query: string;
	/** Unix seconds: the window's start. */
	windowStart: number;
	seen: Record<string, [number, string]>;
	/** Session IDs in Pending Scoring when last read (Session Completed). */
	pending: string[];
}

/** The cursor of versions up to 1.x of the package: no pending sessions. */
interface EventCursorV1 {
	version: 1;
	query: string;
	windowStart: number;
	seen: Record<string, [number, string]>;
}

/** Seconds a save may take to show in the API; the window reaches back this far, and `seen` covers the overlap. */
export const VISIBILITY_MARGIN_S = 60;
/**
 * The longest stretch of time one poll reads. After a long pause (the workflow was off), the backlog is read a day
 * per poll, each poll complete in itself, instead of in one huge execution.
 */
export const MAX_WINDOW_S = 24 * 3600;

export const PENDING_SCORING = 'Pending Scoring';

export function queryKey(query: EventQuery): string {
	return JSON.stringify([query.event, query.filters]);
}

export const seconds = (iso: unknown): number | undefined => {
	const ms = typeof iso === 'string' ? Date.parse(iso) : NaN;
	return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
};

export const apiTime = (unixSeconds: number) => toApiTime(new Date(unixSeconds * 1000), false);
/**
 * The upper bound of a window that ends at `until` (Unix seconds): the whole of that second, whether the API compares
 * times by the second or finer. What the next second adds is read again by the next window and not sent twice.
 */
export const upTo = (until: number) => apiTime(until + 1);

/** The Scores endpoint's own parameters (response scores, when asked for the Scores output). */
export function scoresParams(query: EventQuery): Record<string, unknown> {
	const options = { includeResponseScores: query.output === 'scores' && query.includeResponseScores };
	return SESSION_READS.scores.endpointParams(options);
}

/**
 * The sessions matching the filters that were submitted by `until` and wait for a grade. A grade moves a session's
 * updated time but not its submission time, so the query is bounded by the latter: the walk reads a fixed set.
 */
async function pendingSessions(source: PageSource, query: EventQuery, until: number): Promise<string[]> {
	if (query.event !== 'sessionCompleted') return [];
	const params = { ...query.filters, status: [PENDING_SCORING], maxtime_completed: upTo(until) };
	const records: SessionRecord[] = await walkAll(source, 'sessions/scores', params);
	const pending = new Map(records.map((record) => [String(record.session_id), record.status]));
	return [...pending].filter(([, status]) => status === PENDING_SCORING).map(([id]) => id);
}

/**
 * A cursor that starts now by the API's clock, so that activation does not replay history. Sessions already waiting
 * for a grade are remembered: they are reported when graded, since that is when they become Completed.
 */
export async function startCursor(source: PageSource, query: EventQuery): Promise<EventCursor> {
	const now = await apiNow(source);
	const pending = await pendingSessions(source, query, now);
	return { version: 2, query: queryKey(query), windowStart: now, seen: {}, pending };
}

/**
 * The stored cursor, upgraded if it was written by an earlier version; undefined when there is none for this query
 * (the trigger then starts afresh). A version 1 cursor keeps its window and `seen`, so nothing is emitted twice or
 * lost; it learns the sessions pending now, which version 1 never reported.
 */
export async function currentCursor(
	source: PageSource,
	stored: unknown,
	query: EventQuery,
): Promise<EventCursor | undefined> {
	const cursor = stored as EventCursor | EventCursorV1 | undefined;
	if (cursor?.query !== queryKey(query)) return undefined;
	if (cursor.version === 2) return cursor;
	if (cursor.version !== 1) return undefined;
	const pending = await pendingSessions(source, query, await apiNow(source));
	return { version: 2, query: cursor.query, windowStart: cursor.windowStart, seen: cursor.seen, pending };
}
