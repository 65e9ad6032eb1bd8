import type { SessionRecord } from '../types';

/** The API refuses more values than this in one ID filter (error 20002). */
export const MAX_IDS_PER_FILTER = 1000;
const ID_FILTERS = ['session_id', 'user_id', 'activity_id'] as const;

/** `values` cut into consecutive runs of at most `size`. */
export function chunks<T>(values: T[], size: number): T[][] {
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
		if (ids.length === 0) continue;
		// Every list goes without its repeats, which alone can make it longer than the API accepts.
		const slices = chunks(ids, MAX_IDS_PER_FILTER);
		batches = batches.flatMap((batch) => slices.map((slice) => ({ ...batch, [filter]: slice })));
	}
	return batches;
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

/**
 * Each session once, as last met. Records are added in paging order (oldest-first), and a save only ever moves a
 * session forward in that order, so the last copy met is the latest state, in its final place.
 */
export class LatestRecords {
	private readonly byId = new Map<string, SessionRecord>();

	get size(): number {
		return this.byId.size;
	}

	has(id: string): boolean {
		return this.byId.has(id);
	}

	add(records: Iterable<SessionRecord>): void {
		for (const record of records) {
			const id = String(record.session_id);
			this.byId.delete(id);
			this.byId.set(id, record);
		}
	}

	list(): SessionRecord[] {
		return [...this.byId.values()];
	}
}
