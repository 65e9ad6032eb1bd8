import type { DataApiPage } from './transport';

/** The Data API's largest page. */
export const MAX_PAGE_SIZE = 50;

export interface PageSource {
	get(endpoint: string, request: Record<string, unknown>): Promise<DataApiPage>;
}

/**
 * Pages through a sessions endpoint, yielding each page's records.
 *
 * `limit` counts sessions, not pages: 120 asks for pages of 50, 50 and 20, and stops there. Without a limit it
 * follows `next` until a page comes back empty — on the sessions endpoints `next` is present on every page, so its
 * absence is never the stop signal.
 */
export async function* sessionPages(
	source: PageSource,
	endpoint: string,
	query: Record<string, unknown>,
	limit?: number,
): AsyncGenerator<DataApiPage['data']> {
	let remaining = limit ?? Infinity;
	let next: string | undefined;
	while (remaining > 0) {
		const request: Record<string, unknown> = { ...query, limit: Math.min(MAX_PAGE_SIZE, remaining) };
		if (next !== undefined) request.next = next;
		const page = await source.get(endpoint, request);
		if (page.data.length === 0) return;
		const records = page.data.length > remaining ? page.data.slice(0, remaining) : page.data;
		remaining -= records.length;
		yield records;
		if (page.next === undefined) return;
		next = page.next;
	}
}
