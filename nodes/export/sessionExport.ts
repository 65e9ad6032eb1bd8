import { idBatches, mergeBatches } from './batches';
import type { PageSource, SessionRecord } from '../types';
import { exportBatchInParallel, type ParallelExportStats } from './parallelExport';
import { walkBatch } from './sequentialWalk';
import { DEFAULT_EXPORT_RATE, RateLimiter, rateLimited } from '../transport/rateLimiter';

export type { ParallelExportStats } from './parallelExport';

export interface SessionExport {
	endpoint: string;
	/** Filters and endpoint parameters; ID lists may be longer than the API's 1000. */
	params: Record<string, unknown>;
	/** Sessions wanted; undefined for all. */
	limit?: number;
}

export interface ExportOptions {
	/**
	 * Requests in flight for Return All (the node's Parallel Requests). Below 2, or with a Limit, pages are read one
	 * after the other.
	 */
	parallel?: number;
	/**
	 * In a parallel export every request takes a slot first. Default: {@link DEFAULT_EXPORT_RATE} (90% of Learnosity's
	 * quota), one limiter per `source`.
	 */
	limiter?: RateLimiter;
	/** Filled in as a parallel export runs (benchmark, tests). */
	stats?: ParallelExportStats;
}

/**
 * The sessions an export asks for, each once, in the API's order, whatever the length of the ID lists and the size
 * of the pages: ID lists over 1000 become batches (each read on its own, then merged in the API's order), and each
 * batch is read sequentially or, for Return All with `parallel` of 2 or more, in time slices.
 */
export async function exportSessions(
	source: PageSource,
	request: SessionExport,
	options: ExportOptions = {},
): Promise<SessionRecord[]> {
	const { endpoint, limit } = request;
	const workers = Math.floor(options.parallel ?? 0);
	let readBatch = async (params: Record<string, unknown>) => await walkBatch(source, endpoint, params, limit);
	if (limit === undefined && workers >= 2) {
		const api = rateLimited(source, options.limiter ?? defaultLimiter(source));
		const stats = options.stats ?? { slices: 0, splits: 0, sequentialBatches: 0 };
		readBatch = async (params) => await exportBatchInParallel(api, endpoint, params, workers, stats);
	}
	const batches = idBatches(request.params);
	if (batches.length === 1) return await readBatch(batches[0]);
	const results: SessionRecord[][] = [];
	for (const batch of batches) results.push(await readBatch(batch));
	const merged = mergeBatches(results, request.params.sort !== 'asc');
	return limit === undefined ? merged : merged.slice(0, limit);
}

const limiters = new WeakMap<PageSource, RateLimiter>();

/** One limiter per source: the exports of several input items through one client share the quota's window. */
function defaultLimiter(source: PageSource): RateLimiter {
	let limiter = limiters.get(source);
	if (!limiter) limiters.set(source, (limiter = new RateLimiter(DEFAULT_EXPORT_RATE)));
	return limiter;
}
