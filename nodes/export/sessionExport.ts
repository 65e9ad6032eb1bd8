import { MAX_PAGE_SIZE, sessionPages } from './pager';
import type { PageSource, SessionRecord } from '../types';

export interface SessionExport {
	endpoint: string;
	/** Filters and endpoint parameters; ID lists may be longer than the API's 1000. */
	params: Record<string, unknown>;
	/** Sessions wanted; undefined for all. */
	limit?: number;
}

/** The API refuses more values than this in one ID filter (error 20002). */
export const MAX_IDS_PER_FILTER = 1000;
const ID_FILTERS = ['session_id', 'user_id', 'activity_id'] as const;
/**
 * Pages read after the walk first reached the end (a short page). Without saves the next page is empty and the walk
 * stops there; while learners keep saving, each page brings the latest saves, so the tail is bounded.
 */
const MAX_TAIL_PAGES = 3;

/**
 * The bounded tail of an oldest-first walk: call it after each page with the page's size and what was asked; it says
 * when the walk has read `MAX_TAIL_PAGES` pages past the first short one and must stop.
 */
export function tailLimit(): (received: number, asked: number) => boolean {
	let tailPages = -1;
	return (received, asked) => {
		if (tailPages >= 0) tailPages++;
		else if (received < asked) tailPages = 0;
		return tailPages >= MAX_TAIL_PAGES;
	};
}

function chunks<T>(values: T[], size: number): T[][] {
	const result: T[][] = [];
	for (let start = 0; start < values.length; start += size) result.push(values.slice(start, start + size));
	return result;
}

/**
 * One parameter set per combination of ≤1000-value slices of the ID filters. With duplicates removed first, each
 * session falls in exactly one.
 */
export function idBatches(params: Record<string, unknown>): Array<Record<string, unknown>> {
	let batches = [params];
	for (const filter of ID_FILTERS) {
		const ids = Array.isArray(params[filter]) ? [...new Set(params[filter] as unknown[])] : [];
		if (ids.length <= MAX_IDS_PER_FILTER) continue;
		const slices = chunks(ids, MAX_IDS_PER_FILTER);
		batches = batches.flatMap((batch) => slices.map((slice) => ({ ...batch, [filter]: slice })));
	}
	return batches;
}

/**
 * Reads one batch, each session once in its latest state.
 *
 * Learners keep saving while an export runs, and a save moves the session to "now" in the paging order. An
 * oldest-first traversal meets such a session again further on (so the later copy replaces the earlier one), while
 * a newest-first traversal would skip it. So Return All always walks oldest-first and reverses at the end when
 * newest-first was asked: the same requests, and nothing lost. Where saves never stop, the walk stops a few pages
 * after reaching the end: every session is still there once, the last few saves may be missed.
 */
async function exportBatch(
	source: PageSource,
	endpoint: string,
	params: Record<string, unknown>,
	limit: number | undefined,
): Promise<SessionRecord[]> {
	const newestFirst = params.sort !== 'asc';
	const walkOldestFirst = limit === undefined && newestFirst;
	const query = walkOldestFirst ? { ...params, sort: 'asc' } : params;
	const sessions = new Map<string, SessionRecord>();
	const wanted = () => (limit === undefined ? Infinity : limit - sessions.size);
	const pastTheTail = tailLimit();
	for await (const page of sessionPages(source, endpoint, query, wanted)) {
		const asked = Math.min(MAX_PAGE_SIZE, wanted());
		for (const record of page.data) {
			const id = String(record.session_id);
			sessions.delete(id);
			sessions.set(id, record);
		}
		if (pastTheTail(page.data.length, asked)) break;
	}
	const records = [...sessions.values()];
	if (limit !== undefined && records.length > limit) records.length = limit;
	return walkOldestFirst ? records.reverse() : records;
}

/**
 * Merges batches into the order one query would have given: by the time each session was last saved, as the API
 * sorts. Sessions saved in the same second keep batch order (the API's finer order is not visible in records).
 * Records without `dt_saved` (session metadata) stay batch after batch.
 */
export function mergeBatches(batches: SessionRecord[][], newestFirst: boolean): SessionRecord[] {
	const keyed = batches.flatMap((records, batch) =>
		records.map((record, index) => ({ record, batch, index, saved: String(record.dt_saved ?? '') })),
	);
	const direction = newestFirst ? -1 : 1;
	keyed.sort(
		(a, b) =>
			(a.saved === b.saved ? 0 : a.saved < b.saved ? -direction : direction) || a.batch - b.batch || a.index - b.index,
	);
	return keyed.map(({ record }) => record);
}

/** The sessions an export asks for, each once, in the API's order — whatever the length of the ID lists. */
export async function exportSessions(source: PageSource, request: SessionExport): Promise<SessionRecord[]> {
	const batches = idBatches(request.params);
	if (batches.length === 1) return await exportBatch(source, request.endpoint, request.params, request.limit);
	const results: SessionRecord[][] = [];
	for (const batch of batches) results.push(await exportBatch(source, request.endpoint, batch, request.limit));
	const merged = mergeBatches(results, request.params.sort !== 'asc');
	return request.limit === undefined ? merged : merged.slice(0, request.limit);
}
