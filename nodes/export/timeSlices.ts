import { apiClock, savedSecond, seconds } from './clock';
import { MAX_PAGE_SIZE } from './pager';
import type { DataApiPage, SessionRecord } from '../types';

/** A running slice is split only when it looks to have at least this many pages left. */
const MIN_SPLIT_PAGES = 4;

/**
 * One part of an export's time range, paged oldest-first on its own from `mintime = from`. It has no `maxtime` of its
 * own (a page that crosses its end ends it at no extra request); it is done on an empty page, a page without `next`,
 * or once it has passed `until` — by a record's time, or by meeting a session a later slice had already read. Never
 * on a short page.
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
	/** Pages read so far. */
	pages = 0;
	/** Ended on an empty page, asked for when every other slice was done, answered at `clock`: nothing left. */
	drainedLast?: { clock: number };
	/** Whether the request in flight was sent when every other slice was done. */
	sentLast = false;

	constructor(
		/** The export's query from this slice's start, without the slice's `window`. */
		readonly query: Record<string, unknown>,
		/** Where the slice starts, in seconds (for estimates). */
		readonly from: number,
		/** Where the slice stops, in seconds (inclusive). */
		public until?: number,
		/** A `maxtime` bounding the newest slice of records without a time (see `readInWindows`). */
		readonly window?: number,
	) {}

	request(): Record<string, unknown> {
		const request: Record<string, unknown> = { ...this.query, limit: MAX_PAGE_SIZE };
		if (this.window !== undefined) request.maxtime = this.window;
		if (this.next !== undefined) request.next = this.next;
		return request;
	}

	/** Keeps a page's records; `crossed` says the page reached sessions a later slice had already read. */
	take(page: DataApiPage, crossed = false): void {
		this.pages++;
		if (page.data.length === 0) {
			this.done = true;
			if (this.sentLast) this.drainedLast = { clock: apiClock(page) };
			return;
		}
		for (const record of page.data) this.records.push(record);
		if (page.next !== undefined) this.next = page.next;
		const before = this.at ?? this.from;
		this.at = savedSecond(page.data[page.data.length - 1]) ?? this.at;
		if (this.at !== undefined) this.density = page.data.length / Math.max(1, this.at - before);
		const passedUntil = this.until !== undefined && this.at !== undefined && this.at > this.until;
		this.done = page.next === undefined || passedUntil || crossed;
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
	/** Which slice read each session, and when (`reads` at the time): how a slice knows it reached the next one. */
	private readonly readers = new Map<string, { slice: TimeSlice; read: number }>();
	private reads = 0;

	constructor(
		private readonly query: Record<string, unknown>,
		private readonly range: { first: number; last: number },
		count: number,
		/** The newest slice's end (the API's clock when the export began), or its `maxtime` window for timeless records. */
		newest: { until: number } | { window: number },
	) {
		this.userFrom = seconds(query.mintime, -Infinity);
		this.userUntil = seconds(query.maxtime, Infinity);
		const { first, last } = range;
		const cuts: number[] = [];
		for (let n = 1; n < count; n++) {
			const cut = first + Math.floor((n * (last + 1 - first)) / count);
			if (cut > (cuts[cuts.length - 1] ?? first) && cut <= last && this.inside(cut)) cuts.push(cut);
		}
		// The newest slice (after the last cut) ends where `newest` says; the others at the next cut.
		const newestUntil = 'until' in newest ? newest.until : undefined;
		const window = 'window' in newest && newest.window < this.userUntil ? newest.window : undefined;
		[undefined, ...cuts].forEach((from, n) => {
			const isNewest = n === cuts.length;
			this.slices.push(this.slice(from, isNewest ? newestUntil : cuts[n], first, isNewest ? window : undefined));
		});
	}

	/** The slice that reaches "now": where sessions saved during the export land. */
	get newest(): TimeSlice {
		return this.slices[this.slices.length - 1];
	}

	/** A slice for a free worker (marked busy), or undefined when no work is worth starting. */
	claim(): TimeSlice | undefined {
		const slice = this.slices.find((s) => !s.busy && !s.done) ?? this.split();
		if (slice) slice.busy = true;
		return slice;
	}

	/**
	 * Whether `slice` must wait before its next request: records without a time only show a slice's end by meeting
	 * sessions the next slice has read, so every slice reads its first page before any reads its second.
	 */
	mustWait(slice: TimeSlice): boolean {
		return slice.pages > 0 && slice.at === undefined && this.slices.some((s) => s.busy && s.pages === 0);
	}

	/** A stamp to take just before sending a slice's request, for {@link crossed}. */
	stamp(): number {
		return this.reads;
	}

	/**
	 * Whether `slice`'s page, requested at `stamp`, holds a session that a later slice had read before that: a save
	 * only moves a session forward, so the slice has reached the later slice's part. Then records the page's reads.
	 */
	crossed(slice: TimeSlice, page: DataApiPage, stamp: number): boolean {
		const mine = this.slices.indexOf(slice);
		let crossed = false;
		for (const record of page.data) {
			const id = String(record.session_id);
			const reader = this.readers.get(id);
			const theirs = reader ? this.slices.indexOf(reader.slice) : -1;
			if (reader && theirs > mine && reader.read <= stamp) crossed = true;
			if (theirs <= mine) this.readers.set(id, { slice, read: ++this.reads });
		}
		return crossed;
	}

	private split(): TimeSlice | undefined {
		let best: { slice: TimeSlice; cut: number } | undefined;
		let most = MIN_SPLIT_PAGES * MAX_PAGE_SIZE;
		for (const slice of this.slices) {
			if (!slice.busy || slice.done || slice.at === undefined) continue;
			const end = Math.min(slice.until ?? Infinity, this.range.last + 1);
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

	private slice(from: number | undefined, until: number | undefined, estimateFrom: number, window?: number): TimeSlice {
		const query = from === undefined ? { ...this.query } : { ...this.query, mintime: from };
		return new TimeSlice(query, from ?? estimateFrom, until, window);
	}
}
