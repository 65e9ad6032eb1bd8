import type { DataApiPage, PageSource } from '../types';

/** The Data API's largest page. */
export const MAX_PAGE_SIZE = 50;

/**
 * Pages through a sessions endpoint, yielding each page's records.
 *
 * `wanted` says how many more records the caller needs (Infinity for all): each page asks for at most that many,
 * so a limit of 120 costs pages of 50, 50 and 20 and nothing more. Without a limit it follows `next` until a page
 * comes back empty — on the sessions endpoints `next` is present on every page, so its absence is never the stop
 * signal. `from` resumes a walk after the page whose `next` it is.
 */
export async function* sessionPages(
	source: PageSource,
	endpoint: string,
	query: Record<string, unknown>,
	wanted: () => number = () => Infinity,
	from?: string,
): AsyncGenerator<DataApiPage> {
	let next = from;
	for (let remaining = wanted(); remaining > 0; remaining = wanted()) {
		const request: Record<string, unknown> = { ...query, limit: Math.min(MAX_PAGE_SIZE, remaining) };
		if (next !== undefined) request.next = next;
		const page = await source.get(endpoint, request);
		if (page.data.length === 0) return;
		yield page;
		if (page.next === undefined) return;
		next = page.next;
	}
}
