import { MAX_PAGE_SIZE } from './pager';
import type { PageSource, SessionRecord } from '../types';
import { DEFAULT_EXPORT_RATE, RateLimiter, rateLimited } from '../transport/rateLimiter';
import { exportSessions, idBatches, mergeBatches, tailLimit, type SessionExport } from './sessionExport';
import { SlicePlan, TimeSlice, savedSecond } from './timeSlices';

/** Metadata slices cannot be split while running (no time in the records): start with more of them instead. */
const STATIC_SLICES_PER_WORKER = 4;

export interface ParallelExportStats {
	/** Slices paged, splits included. */
	slices: number;
	/** Running slices split to keep every worker busy. */
	splits: number;
	/** ID batches exported sequentially because the time range could not be found. */
	sequentialBatches: number;
}

export interface ParallelExportOptions {
	/**
	 * Every request of the export takes a slot first. Default: {@link DEFAULT_EXPORT_RATE} (90% of Learnosity's quota),
	 * one limiter per `source`.
	 */
	limiter?: RateLimiter;
	/** Filled in as the export runs (benchmark, tests). */
	stats?: ParallelExportStats;
}

/**
 * Return All with up to `parallelRequests` requests in flight: the same records in the same order as
 * {@link exportSessions}, sooner. The time range is cut into slices on the updated time (`mintime`/`maxtime`), each
 * paged oldest-first; a slice that turns out dense is split while it runs. Sessions saved during the export land in
 * the newest slice, which is read again once everything else is done. Limit exports, and `parallelRequests` below 2,
 * are simply sequential. See docs/parallel-export.md.
 */
export async function exportSessionsInParallel(
	source: PageSource,
	request: SessionExport,
	parallelRequests: number,
	options: ParallelExportOptions = {},
): Promise<SessionRecord[]> {
	const workers = Math.floor(parallelRequests);
	if (request.limit !== undefined || !(workers >= 2)) return await exportSessions(source, request);
	const api = rateLimited(source, options.limiter ?? defaultLimiter(source));
	const stats = options.stats ?? { slices: 0, splits: 0, sequentialBatches: 0 };
	const batches = idBatches(request.params);
	const results: SessionRecord[][] = [];
	for (const batch of batches) results.push(await exportBatch(api, request.endpoint, batch, workers, stats));
	return batches.length === 1 ? results[0] : mergeBatches(results, request.params.sort !== 'asc');
}

const limiters = new WeakMap<PageSource, RateLimiter>();

/** One limiter per source: the exports of several input items through one client share the quota's window. */
function defaultLimiter(source: PageSource): RateLimiter {
	let limiter = limiters.get(source);
	if (!limiter) limiters.set(source, (limiter = new RateLimiter(DEFAULT_EXPORT_RATE)));
	return limiter;
}

async function exportBatch(
	source: PageSource,
	endpoint: string,
	params: Record<string, unknown>,
	workers: number,
	stats: ParallelExportStats,
): Promise<SessionRecord[]> {
	const query = { ...params, sort: 'asc' };
	const { range, probedElsewhere } = await timeRange(source, endpoint, query);
	if (!range) {
		stats.sequentialBatches++;
		return await exportSessions(source, { endpoint, params });
	}
	const plan = new SlicePlan(query, range, probedElsewhere ? workers * STATIC_SLICES_PER_WORKER : workers);
	await runSlices(source, endpoint, plan, workers);
	await catchUp(source, endpoint, plan.newest);
	stats.slices += plan.slices.length;
	stats.splits += plan.splits;

	// Slices in time order, each oldest-first: a session met more than once keeps its last copy, the latest.
	const latest = new Map<string, SessionRecord>();
	for (const slice of plan.slices) {
		for (const record of slice.records) {
			const id = String(record.session_id);
			latest.delete(id);
			latest.set(id, record);
		}
		slice.records.length = 0;
	}
	const records = [...latest.values()];
	return params.sort !== 'asc' ? records.reverse() : records;
}

/**
 * The seconds of the oldest and newest matching sessions, from two one-record requests. Metadata records carry no
 * time, so for them the scores endpoint is asked (the same sessions); if it cannot answer, the export is sequential.
 */
async function timeRange(source: PageSource, endpoint: string, query: Record<string, unknown>) {
	const probedElsewhere = endpoint === 'sessions/metadata';
	const probe: Record<string, unknown> = { ...query };
	delete probe.include;
	delete probe.include_response_scores;
	const ask = (sort: string) =>
		source.get(probedElsewhere ? 'sessions/scores' : endpoint, { ...probe, sort, limit: 1 });
	const [oldest, newest] = await Promise.allSettled([ask('asc'), ask('desc')]);
	if (oldest.status === 'rejected' || newest.status === 'rejected') {
		if (probedElsewhere) return { range: undefined, probedElsewhere };
		throw oldest.status === 'rejected' ? oldest.reason : (newest as PromiseRejectedResult).reason;
	}
	const first = savedSecond(oldest.value.data[0]);
	const last = savedSecond(newest.value.data[0]) ?? first;
	const range = first === undefined || last === undefined ? undefined : { first, last: Math.max(first, last) };
	return { range, probedElsewhere };
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
					slice.take(await source.get(endpoint, slice.request()));
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
 * Reads the newest slice on from where it stopped, after all other slices are done, so that sessions saved meanwhile
 * are met in their latest state: until an empty page, and like the sequential export at most a few pages after
 * the first short one.
 */
async function catchUp(source: PageSource, endpoint: string, slice: TimeSlice): Promise<void> {
	const pastTheTail = tailLimit();
	for (;;) {
		const page = await source.get(endpoint, slice.request());
		if (page.data.length === 0) return;
		slice.take(page);
		if (page.next === undefined || pastTheTail(page.data.length, MAX_PAGE_SIZE)) return;
	}
}
