import { chunks } from '../export/batches';
import { exportSessions } from '../export/sessionExport';
import type { PageSource } from '../types';
import { RateLimiter } from '../transport/rateLimiter';
import { RATE_LIMIT_WINDOW_MS, type WriteAction } from '../transport/dataApiTransport';
import { jobReferenceOf } from './jobRecords';

/** The API takes at most this many entries per write request [doc]. */
export const MAX_WRITE_ENTRIES = 100;

/**
 * The write quota is 50 UPDATE/SET per 5 s per endpoint, 20× below the read quota: writes pace themselves under it
 * (with room for other clients of the key) instead of leaning on 429s.
 */
export const WRITE_RATE = { requests: 45, windowMs: RATE_LIMIT_WINDOW_MS };

/** One session to change, and the input item that asked for it. */
export interface WriteEntry {
	itemIndex: number;
	session_id: string;
	user_id?: string;
	/** The endpoint's own fields of the entry (`status`, or `metadata`). */
	fields: Record<string, unknown>;
}

export interface Writer extends PageSource {
	write(endpoint: string, action: WriteAction, request: Record<string, unknown>): Promise<{ data: unknown }>;
}

/**
 * The learner of each session: the write endpoints need the user ID the session was started with. Entries without
 * one get it from `sessions/statuses` (1000 IDs per filter, 50 sessions per page). Returns the session IDs that
 * Learnosity does not know.
 */
export async function fillUserIds(api: PageSource, entries: WriteEntry[]): Promise<Set<string>> {
	const unknownOwner = [...new Set(entries.filter((entry) => !entry.user_id).map((entry) => entry.session_id))];
	if (!unknownOwner.length) return new Set();
	const records = await exportSessions(api, {
		endpoint: 'sessions/statuses',
		// Oldest-first: a session saved during the lookup moves to the end of the list, where the walk still meets it.
		params: { session_id: unknownOwner, sort: 'asc' },
		limit: unknownOwner.length,
	});
	const owners = new Map(records.map((record) => [String(record.session_id), String(record.user_id)]));
	for (const entry of entries) entry.user_id ||= owners.get(entry.session_id);
	return new Set(unknownOwner.filter((sessionId) => !owners.has(sessionId)));
}

/** One write request: the entries it carried and the job it started (or why it failed). */
export interface BatchResult {
	entries: WriteEntry[];
	jobReference?: string;
	error?: unknown;
}

/**
 * Sends the entries in batches of 100, one after the other and paced under the write quota. Each batch is its own
 * job; after a failed batch the rest are sent only with `continueAfterError` (n8n's Continue On Fail).
 */
export async function writeInBatches(
	api: Writer,
	target: { endpoint: string; action: WriteAction; listName: string },
	entries: WriteEntry[],
	continueAfterError: boolean,
	limiter = new RateLimiter(WRITE_RATE),
): Promise<BatchResult[]> {
	const results: BatchResult[] = [];
	for (const batch of chunks(entries, MAX_WRITE_ENTRIES)) {
		const list = batch.map((entry) => ({ user_id: entry.user_id, session_id: entry.session_id, ...entry.fields }));
		try {
			const answer = await limiter.run(() => api.write(target.endpoint, target.action, { [target.listName]: list }));
			results.push({ entries: batch, jobReference: jobReferenceOf(answer.data, target.endpoint) });
		} catch (error) {
			results.push({ entries: batch, error });
			if (!continueAfterError) break;
		}
	}
	return results;
}
