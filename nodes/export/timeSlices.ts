import { MAX_PAGE_SIZE } from './pager';
import type { DataApiPage, SessionRecord } from '../types';

/** A running slice is split only when it looks to have at least this many pages left. */
const MIN_SPLIT_PAGES = 4;

/** The second a record was last saved (`dt_saved`): where it sits in the paging order. Metadata records have none. */
export function savedSecond(record: SessionRecord | undefined): number | undefined {
	const saved = record?.dt_saved;
	const ms = typeof saved === 'string' ? Date.parse(saved) : typeof saved === 'number' ? saved * 1000 : NaN;
	return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}

/** A `mintime` / `maxtime` value (Unix seconds or ISO 8601) in seconds; NaN when unreadable. */
function seconds(value: unknown, absent: number): number {
	if (value === undefined) return absent;
	if (typeof value === 'number') return value;
	const text = String(value);
	return /^\d+$/.test(text) ? Number(text) : Date.parse(text) / 1000;
}

/**
 * One part of an export's time range, paged oldest-first on its own: the export's query with `mintime`/`maxtime`
 * narrowed to the slice. Neighbouring slices share their boundary second, so nothing falls between them.
 */
export class TimeSlice {
	readonly records: SessionRecord[] = [];
	next?: string;
	/** The second of the last record read; undefined before the first page, and for records without a time. */
	at?: number;
	/** Records per second over the last page: how dense the part just ahead probably is. */
	density = 0;
	busy = false;
	done = false;

	constructor(
		readonly query: Record<string, unknown>,
		/** Where the slice starts, in seconds (for estimates). */
		readonly from: number,
		/** Where the slice stops, in seconds (inclusive); undefined for the newest slice, open to "now". */
		public until?: number,
	) {}

	request(): Record<string, unknown> {
		return this.next === undefined
			? { ...this.query, limit: MAX_PAGE_SIZE }
			: { ...this.query, limit: MAX_PAGE_SIZE, next: this.next };
	}

	/** Keeps a page's records. A short page ends the slice, and so does passing `until` (set when it was split). */
	take(page: DataApiPage): void {
		for (const record of page.data) this.records.push(record);
		if (page.next !== undefined) this.next = page.next;
		const before = this.at ?? this.from;
		this.at = savedSecond(page.data[page.data.length - 1]) ?? this.at;
		if (this.at !== undefined) this.density = page.data.length / Math.max(1, this.at - before);
		const passedUntil = this.until !== undefined && this.at !== undefined && this.at > this.until;
		this.done = page.data.length < MAX_PAGE_SIZE || page.next === undefined || passedUntil;
	}

	/** Records still to read before `end`, estimated from the last page. */
	remaining(end: number): number {
		return this.at === undefined ? 0 : this.density * (end - this.at);
	}
}

/**
 * The slices of one export, oldest first. Starts with `count` slices of equal time between the oldest and the newest
 * session; hands unstarted slices to free workers; when none is left, splits the running slice with the most
 * records left at the middle of what it has still to read.
 */
export class SlicePlan {
	readonly slices: TimeSlice[] = [];
	splits = 0;
	private readonly userFrom: number;
	private readonly userUntil: number;

	constructor(
		private readonly query: Record<string, unknown>,
		private readonly range: { first: number; last: number },
		count: number,
	) {
		this.userFrom = seconds(query.mintime, -Infinity);
		this.userUntil = seconds(query.maxtime, Infinity);
		const { first, last } = range;
		const cuts: number[] = [];
		for (let n = 1; n < count; n++) {
			const cut = first + Math.floor((n * (last + 1 - first)) / count);
			if (cut > (cuts[cuts.length - 1] ?? first) && cut <= last && this.inside(cut)) cuts.push(cut);
		}
		[undefined, ...cuts].forEach((from, n) => this.slices.push(this.slice(from, cuts[n], first)));
	}

	/** The slice that stays open to "now": where sessions saved during the export land. */
	get newest(): TimeSlice {
		return this.slices[this.slices.length - 1];
	}

	/** A slice for a free worker (marked busy), or undefined when no work is worth starting. */
	claim(): TimeSlice | undefined {
		const slice = this.slices.find((s) => !s.busy && !s.done) ?? this.split();
		if (slice) slice.busy = true;
		return slice;
	}

	private split(): TimeSlice | undefined {
		let best: { slice: TimeSlice; cut: number } | undefined;
		let most = MIN_SPLIT_PAGES * MAX_PAGE_SIZE;
		for (const slice of this.slices) {
			if (!slice.busy || slice.done || slice.at === undefined) continue;
			const end = slice.until ?? this.range.last + 1;
			const cut = Math.floor((slice.at + end) / 2);
			const left = slice.remaining(end);
			if (cut > slice.at && this.inside(cut) && left >= most) [best, most] = [{ slice, cut }, left];
		}
		if (!best) return undefined;
		const { slice, cut } = best;
		const child = this.slice(cut, slice.until, cut);
		slice.until = cut;
		this.slices.splice(this.slices.indexOf(slice) + 1, 0, child);
		this.splits++;
		return child;
	}

	/** Only cuts strictly inside the user's own mintime/maxtime: a slice never widens the query. */
	private inside(cut: number): boolean {
		return cut > this.userFrom && cut < this.userUntil;
	}

	private slice(from: number | undefined, until: number | undefined, estimateFrom: number): TimeSlice {
		const query = { ...this.query };
		if (from !== undefined) query.mintime = from;
		if (until !== undefined) query.maxtime = until;
		return new TimeSlice(query, from ?? estimateFrom, until);
	}
}
