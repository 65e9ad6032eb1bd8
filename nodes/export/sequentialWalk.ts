import { LatestRecords } from './batches';
import { SaveBound, apiClock, recordsCarryTime, seconds } from './clock';
import { sessionPages } from './pager';
import type { PageSource, SessionRecord } from '../types';
import { WINDOW_AHEAD_S, readInWindows } from './windows';

/**
 * Reads one batch page after page, each session once in its latest state. Only an empty page (or a page without
 * `next`, or reaching the Limit) ends it: the API promises nothing about page sizes, and may return a short page
 * in the middle of a list.
 *
 * With a Limit, the walk goes in the asked order until it has that many sessions (newest-first, then also what was
 * saved while it ran: see `savedSince`). Return All always walks oldest-first and reverses at the end when
 * newest-first was asked: learners keep saving while an export runs, and a save moves the session to "now" in the
 * paging order. An oldest-first walk meets such a session again further on (the later copy replaces the earlier
 * one), where a newest-first walk would skip it. What keeps the walk from chasing saves forever is the API's clock
 * (see `SaveBound` and `readInWindows`), never a page size.
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
		const clocks: number[] = [];
		for await (const page of sessionPages(source, endpoint, params, wanted)) {
			clocks.push(apiClock(page));
			sessions.add(page.data);
		}
		// One page is one answer: nothing can have moved in front of it.
		if (params.sort === 'asc' || clocks.length < 2) return sessions.list().slice(0, limit);
		const saved = await savedSince(source, endpoint, params, clocks[0], clocks[clocks.length - 1]);
		const savedIds = new Set(saved.map((record) => String(record.session_id)));
		const rest = sessions.list().filter((record) => !savedIds.has(String(record.session_id)));
		return [...saved, ...rest].slice(0, limit);
	}
	// The first window's end comes from this machine's clock, to cost no request; should it be behind the API's, the
	// walk simply outlasts its window and the next window covers the difference.
	await readOldestFirst(source, endpoint, { ...params, sort: 'asc' }, sessions, { end: apiClock(undefined) });
	const records = sessions.list();
	return params.sort !== 'asc' ? records.reverse() : records;
}

/**
 * A newest-first walk reads the front of the list first. A session saved while it reads the later pages moves to the
 * front, behind the walk, and would be missing although its old place was within the Limit. So after a walk of more
 * than one page, the sessions saved since it began (`start`, the API's clock at its first page) are read
 * oldest-first and go in front, newest first: usually one empty page. Bounded like Return All (metadata records
 * carry no save time: `maxtime` windows from the walk's last answer, `end`).
 */
async function savedSince(
	source: PageSource,
	endpoint: string,
	params: Record<string, unknown>,
	start: number,
	end: number,
): Promise<SessionRecord[]> {
	if (seconds(params.maxtime, Infinity) < start) return [];
	const query = { ...params, sort: 'asc', mintime: Math.max(start, seconds(params.mintime, start)) };
	const saved = new LatestRecords();
	await readOldestFirst(source, endpoint, query, saved, { start, end });
	return saved.list().reverse();
}

/**
 * An oldest-first walk into `into`, bounded by the API's clock: `SaveBound` from `start` (the first page's clock when
 * not given), or for metadata, whose records carry no save time, `maxtime` windows from `end`.
 */
async function readOldestFirst(
	source: PageSource,
	endpoint: string,
	query: Record<string, unknown>,
	into: LatestRecords,
	{ start, end }: { start?: number; end: number },
): Promise<void> {
	if (!recordsCarryTime(endpoint)) {
		await readInWindows(source, endpoint, query, (page) => into.add(page.data), { end: end + WINDOW_AHEAD_S });
		return;
	}
	const bound = new SaveBound(start);
	for await (const page of sessionPages(source, endpoint, query)) {
		into.add(page.data);
		if (bound.reached(page)) break;
	}
}
