import { apiClock, seconds } from './clock';
import { sessionPages } from './pager';
import type { DataApiPage, PageSource } from '../types';

/** How far ahead of the API's clock a window for records without a time reaches: most exports end inside it. */
export const WINDOW_AHEAD_S = 30;
/** Windows read at most, the first included, when learners keep saving records without a time. */
const MAX_WINDOWS = 4;

/**
 * Return All for records that carry no time (`sessions/metadata`), oldest-first, bounded by the API's clock through
 * `maxtime`: the first window ends `end` (a little ahead of the API's clock), so a walk that ends (empty page) before
 * the API's clock reaches `end` has met every save made meanwhile, at no extra cost. A walk that outlasts its window
 * may have missed sessions saved after `end`, so the next window, `mintime = end` up to a little ahead of the clock,
 * is read too, at most `MAX_WINDOWS` in all. The user's own `maxtime`, if earlier, closes the last window.
 *
 * `from` resumes the first window from a cursor (the parallel export's newest slice).
 */
export async function readInWindows(
	source: PageSource,
	endpoint: string,
	query: Record<string, unknown>,
	keep: (page: DataApiPage) => void,
	from: { end: number; next?: string },
): Promise<void> {
	const userEnd = seconds(query.maxtime, Infinity);
	const userStart = seconds(query.mintime, -Infinity);
	let { end, next } = from;
	let windowQuery: Record<string, unknown> = { ...query };
	// The API's clock at the last answer of a window, the empty page that ends it included.
	let clock = -Infinity;
	const clocked: PageSource = {
		get: async (...request) => {
			const page = await source.get(...request);
			clock = apiClock(page);
			return page;
		},
	};
	for (let window = 1; ; window++) {
		const closes = Math.min(end, userEnd);
		if (closes !== userEnd) windowQuery.maxtime = closes;
		for await (const page of sessionPages(clocked, endpoint, windowQuery, undefined, next)) keep(page);
		if (closes === userEnd || clock < closes || window >= MAX_WINDOWS) return;
		windowQuery = { ...query, mintime: Math.max(closes, userStart) };
		end = clock + WINDOW_AHEAD_S;
		next = undefined;
	}
}
