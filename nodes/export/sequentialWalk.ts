import { LatestRecords } from './batches';
import { SaveBound, apiClock, recordsCarryTime } from './clock';
import { sessionPages } from './pager';
import type { PageSource, SessionRecord } from '../types';
import { WINDOW_AHEAD_S, readInWindows } from './windows';

/**
 * Reads one batch page after page, each session once in its latest state. Only an empty page (or a page without
 * `next`, or reaching the Limit) ends it: the API promises nothing about page sizes, and may return a short page
 * in the middle of a list.
 *
 * With a Limit, the walk goes in the asked order until it has that many sessions. Return All always walks
 * oldest-first and reverses at the end when newest-first was asked: learners keep saving while an export runs, and a
 * save moves the session to "now" in the paging order. An oldest-first walk meets such a session again further on
 * (the later copy replaces the earlier one), where a newest-first walk would skip it. What keeps the walk from chasing
 * saves forever is the API's clock (see `SaveBound` and `readInWindows`), never a page size.
 */
export async function walkBatch(
	source: PageSource,
	endpoint: string,
	params: Record<string, unknown>,
	limit: number | undefined,
): Promise<SessionRecord[]> {
	const sessions = new LatestRecords();
	if (limit !== undefined) {
		const wanted = () => limit - sessions.size;
		for await (const page of sessionPages(source, endpoint, params, wanted)) sessions.add(page.data);
		return sessions.list().slice(0, limit);
	}
	const query = { ...params, sort: 'asc' };
	if (recordsCarryTime(endpoint)) {
		const bound = new SaveBound();
		for await (const page of sessionPages(source, endpoint, query)) {
			sessions.add(page.data);
			if (bound.reached(page)) break;
		}
	} else {
		// The first window's end comes from this machine's clock, to cost no request; should it be behind the API's,
		// the walk simply outlasts its window and the next window covers the difference.
		const end = apiClock(undefined) + WINDOW_AHEAD_S;
		await readInWindows(source, endpoint, query, (page) => sessions.add(page.data), { end });
	}
	const records = sessions.list();
	return params.sort !== 'asc' ? records.reverse() : records;
}
