import { sessionPages } from '../../export/pager';
import { idBatches, mergeBatches } from '../../export/sessionExport';
import type { PageSource, SessionRecord } from '../../types';

/** The API's clock (Unix seconds): one small request, answered with `meta.timestamp`. */
export async function apiNow(source: PageSource): Promise<number> {
	const page = await source.get('sessions/scores', { limit: 1 });
	return page.serverTime ?? Math.floor(Date.now() / 1000);
}

/**
 * Every record a query matches, oldest update first, whatever the length of its ID lists (batches of 1000, merged by
 * update time). Each batch is read until an empty page: a short page ends nothing. The caller bounds the query by
 * time (a `maxtime…` filter taken from the API's clock), so saves made while it reads cannot keep the walk alive.
 *
 * A session saved while the walk runs can come twice, the later copy later; the caller keeps the last.
 */
export async function walkAll(
	source: PageSource,
	endpoint: string,
	params: Record<string, unknown>,
): Promise<SessionRecord[]> {
	const batches: SessionRecord[][] = [];
	for (const batch of idBatches({ ...params, sort: 'asc' })) {
		const records: SessionRecord[] = [];
		for await (const page of sessionPages(source, endpoint, batch)) records.push(...page.data);
		batches.push(records);
	}
	return batches.length === 1 ? batches[0] : mergeBatches(batches, false);
}

/** The newest record a query matches, across its ID batches (for "Fetch Test Event"). */
export async function newestRecord(
	source: PageSource,
	endpoint: string,
	params: Record<string, unknown>,
): Promise<SessionRecord | undefined> {
	const newest: SessionRecord[][] = [];
	for (const batch of idBatches({ ...params, sort: 'desc', limit: 1 })) {
		newest.push((await source.get(endpoint, batch)).data.slice(0, 1));
	}
	return mergeBatches(newest, true)[0];
}
