import type { DataApiPage, SessionRecord } from '../types';

/**
 * The API's clock when it answered a page (`meta.timestamp`, Unix seconds). Should an API leave it out, this
 * machine's clock stands in: requests are signed with it and the API refuses signatures more than a few minutes off
 * its own, so it is close, and every bound below only moves by that much.
 */
export function apiClock(page: DataApiPage | undefined): number {
	return page?.serverTime ?? Math.floor(Date.now() / 1000);
}

/** The second a record was last saved (`dt_saved`): where it sits in the paging order. Metadata records have none. */
export function savedSecond(record: SessionRecord | undefined): number | undefined {
	const saved = record?.dt_saved;
	const ms = typeof saved === 'string' ? Date.parse(saved) : typeof saved === 'number' ? saved * 1000 : NaN;
	return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}

/** A `mintime` / `maxtime` value (Unix seconds or ISO 8601) in seconds; `absent` when not set or unreadable. */
export function seconds(value: unknown, absent: number): number {
	if (value === undefined) return absent;
	const text = String(value);
	const parsed = typeof value === 'number' ? value : /^\d+$/.test(text) ? Number(text) : Date.parse(text) / 1000;
	return Number.isFinite(parsed) ? parsed : absent;
}

/**
 * When an oldest-first Return All over records with `dt_saved` may stop while learners keep saving.
 *
 * Only an empty page says "nothing more"; page sizes say nothing. While learners save, though, each save moves a
 * session to "now", ahead of the walk, so the walk could chase them forever. So the walk is bounded by the API's clock:
 * T0 is its time at the first page. Once a record saved after T0 is met, B is the time of that page; the walk stops
 * after the first page that holds a record saved after B. Every session last saved at or before B — all those saved
 * before the export, and all saved while it ran up to B — sits before that record in the paging order and has been
 * read in its latest state; later saves are the next export's. Nobody saving: no record after T0 is ever met and the
 * walk ends on the empty page, at no extra cost.
 */
export class SaveBound {
	private bound?: number;

	/** `start`: T0 when already known (a probe's clock); otherwise the first page's. */
	constructor(private start?: number) {}

	/** Call with each page of the walk, in order; true when the walk may stop after this page. */
	reached(page: DataApiPage): boolean {
		const clock = apiClock(page);
		this.start ??= clock;
		let newest: number | undefined;
		for (const record of page.data) {
			const saved = savedSecond(record);
			if (saved !== undefined && (newest === undefined || saved > newest)) newest = saved;
		}
		if (newest === undefined) return false;
		if (this.bound !== undefined) return newest > this.bound;
		// Never on the page that sets B: its records were saved before it was answered, so none is after B unless the
		// clocks of records and answers disagree, and then stopping here could skip sessions saved before the export.
		if (newest > this.start) this.bound = clock;
		return false;
	}
}

/** `sessions/metadata` records carry no `dt_saved`: their walks are bounded by `maxtime` windows instead. */
export function recordsCarryTime(endpoint: string): boolean {
	return endpoint !== 'sessions/metadata';
}
