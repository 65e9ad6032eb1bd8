import { LatestRecords } from './batches';
import { SaveBound, apiClock, recordsCarryTime, savedSecond } from './clock';
import type { PageSource, SessionRecord } from '../types';
import { sessionPages } from './pager';
import { walkBatch } from './sequentialWalk';
import { SlicePlan, type TimeSlice } from './timeSlices';
import { WINDOW_AHEAD_S, readInWindows } from './windows';

export interface ParallelExportStats {
	/** Slices paged, splits included. */
	slices: number;
	/** Running slices split to keep every worker busy. */
	splits: number;
	/** ID batches exported sequentially because the time range could not be found. */
	sequentialBatches: number;
}

/**
 * Return All of one batch with `workers` requests in flight: the same records in the same order as the sequential
 * walk, sooner. The time range is cut into slices on the updated time (`mintime`), each paged oldest-first; a slice
 * that turns out dense is split while it runs. The newest slice ends at the API's clock when the export began;
 * sessions saved during the export are read after everything else by a catch-up bounded like the sequential walk.
 * See docs/parallel-export.md.
 */
export async function exportBatchInParallel(
	source: PageSource,
	endpoint: string,
	params: Record<string, unknown>,
	workers: number,
	stats: ParallelExportStats,
): Promise<SessionRecord[]> {
	const query = { ...params, sort: 'asc' };
	const { range, clock } = await timeRange(source, endpoint, query);
	if (!range) {
		stats.sequentialBatches++;
		return await walkBatch(source, endpoint, params, undefined);
	}
	const timed = recordsCarryTime(endpoint);
	const newest = timed ? { until: clock } : { window: clock + WINDOW_AHEAD_S };
	const plan = new SlicePlan(query, range, workers, newest);
	await runSlices(source, endpoint, plan, workers);
	// Saves made while the slices ran land in the newest slice, after its cursor: read them, unless the newest slice
	// came back empty once all others were done (and, for timeless records, before its window closed).
	const last = plan.newest;
	if (timed && !last.drainedLast) await catchUp(source, endpoint, last, clock);
	if (!timed && !(last.drainedLast && last.drainedLast.clock < (last.window ?? Infinity))) {
		const keep = (page: { data: SessionRecord[] }) => last.records.push(...page.data);
		await readInWindows(source, endpoint, last.query, keep, { end: newest.window!, next: last.next });
	}
	stats.slices += plan.slices.length;
	stats.splits += plan.splits;

	// Slices in time order, each oldest-first: a session met more than once keeps its last copy, the latest.
	const latest = new LatestRecords();
	for (const slice of plan.slices) {
		latest.add(slice.records);
		slice.records.length = 0;
	}
	const records = latest.list();
	return params.sort !== 'asc' ? records.reverse() : records;
}

/**
 * The seconds of the oldest and newest matching sessions, and the API's clock, from two one-record requests.
 * Metadata records carry no time, so for them the scores endpoint is asked (the same sessions); if it cannot answer,
 * the export is sequential.
 */
async function timeRange(source: PageSource, endpoint: string, query: Record<string, unknown>) {
	const probedElsewhere = !recordsCarryTime(endpoint);
	const probe: Record<string, unknown> = { ...query };
	delete probe.include;
	delete probe.include_response_scores;
	const ask = (sort: string) =>
		source.get(probedElsewhere ? 'sessions/scores' : endpoint, { ...probe, sort, limit: 1 });
	const [oldest, newest] = await Promise.allSettled([ask('asc'), ask('desc')]);
	if (oldest.status === 'rejected' || newest.status === 'rejected') {
		if (probedElsewhere) return { range: undefined, clock: 0 };
		throw oldest.status === 'rejected' ? oldest.reason : (newest as PromiseRejectedResult).reason;
	}
	const first = savedSecond(oldest.value.data[0]);
	const last = savedSecond(newest.value.data[0]) ?? first;
	const range = first === undefined || last === undefined ? undefined : { first, last: Math.max(first, last) };
	const clock = Math.max(apiClock(oldest.value), apiClock(newest.value), range?.last ?? -Infinity);
	return { range, clock };
}

/** `workers` loops, each paging one slice at a time until no slice is left or worth splitting. */
async function runSlices(source: PageSource, endpoint: string, plan: SlicePlan, workers: number): Promise<void> {
	let failure: { error: unknown } | undefined;
	const idle: Array<() => void> = [];
	const wakeIdle = () => idle.splice(0).forEach((wake) => wake());
	const work = async () => {
		while (!failure) {
			const slice = plan.claim();
			if (!slice) {
				if (!plan.slices.some((s) => s.busy)) return;
				await new Promise<void>((resolve) => idle.push(resolve));
				continue;
			}
			try {
				while (!slice.done && !failure) {
					if (plan.mustWait(slice)) {
						await new Promise<void>((resolve) => idle.push(resolve));
						continue;
					}
					slice.sentLast = plan.slices.every((s) => s === slice || s.done);
					const stamp = plan.stamp();
					const page = await source.get(endpoint, slice.request());
					slice.take(page, plan.crossed(slice, page, stamp));
					wakeIdle();
				}
			} catch (error) {
				failure ??= { error };
			} finally {
				slice.busy = false;
				wakeIdle();
			}
		}
	};
	await Promise.all(Array.from({ length: workers }, work));
	if (failure) throw failure.error;
}

/**
 * Reads the newest slice on from where it stopped, once all other slices are done, so that sessions saved meanwhile
 * are met in their latest state: until an empty page, or as the sequential walk, past the first record saved after
 * the API's clock at the first record saved after `start`.
 */
async function catchUp(source: PageSource, endpoint: string, slice: TimeSlice, start: number): Promise<void> {
	const bound = new SaveBound(start);
	for await (const page of sessionPages(source, endpoint, slice.query, undefined, slice.next)) {
		slice.records.push(...page.data);
		if (bound.reached(page)) return;
	}
}
