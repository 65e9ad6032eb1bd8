/** The shapes that cross layers: what the transport answers, what the export reads through, what it returns. */

/** One session as the API returns it; its fields depend on the endpoint. */
export type SessionRecord = Record<string, unknown>;

export interface DataApiPage {
	data: SessionRecord[];
	/** Paging token from `meta.next`; opaque. */
	next?: string;
	/** The API's clock when it answered (`meta.timestamp`, Unix seconds). */
	serverTime?: number;
}

/** Anything that answers a Data API read with one page: the transport, or a wrapper around it (rate limit). */
export interface PageSource {
	get(endpoint: string, request: Record<string, unknown>): Promise<DataApiPage>;
}
