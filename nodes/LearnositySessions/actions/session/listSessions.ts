import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { LearnosityInputError } from '../../../transport/errors';
import type { PageSource } from '../../../export/pager';
import { exportSessions } from '../../../export/sessionExport';
import { sessionFilterParams, type SessionFilters } from '../../../query/sessionQuery';

export type SessionEndpoint = 'sessions/metadata' | 'sessions/responses' | 'sessions/scores';

/** Sessions to return for item `itemIndex`: a number, or undefined for Return All. */
function readLimit(context: IExecuteFunctions, itemIndex: number): number | undefined {
	if (context.getNodeParameter('returnAll', itemIndex, false) === true) return undefined;
	const limit = context.getNodeParameter('limit', itemIndex, 50) as unknown;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		throw new LearnosityInputError(
			'Limit',
			`Limit must be a whole number of 1 or more, not ${JSON.stringify(limit)}`,
			'Set Limit to how many sessions to return, or turn on Return All.',
		);
	}
	return limit;
}

function readParallelRequests(options: IDataObject): number {
	const parallel = options.parallelRequests ?? 0;
	if (typeof parallel !== 'number' || !Number.isInteger(parallel) || parallel < 0 || parallel > 32) {
		throw new LearnosityInputError(
			'Parallel Requests',
			`Parallel Requests must be a whole number from 0 to 32, not ${JSON.stringify(parallel)}`,
			'Use 0 to fetch pages one after the other, or 8–10 for big exports.',
		);
	}
	return parallel;
}

function readSort(options: IDataObject): Record<string, unknown> {
	const sort = options.sort;
	if (sort === undefined || sort === '') return {};
	if (sort !== 'asc' && sort !== 'desc') {
		throw new LearnosityInputError(
			'Sort',
			`Sort "${String(sort)}" is not asc or desc`,
			'Pick Newest Update First or Oldest Update First.',
		);
	}
	return { sort };
}

/**
 * Runs one get operation for one input item: the filters and options of that item become the query, the export
 * fetches the sessions, and each session becomes an output item paired with the input item.
 */
export async function listSessions(
	context: IExecuteFunctions,
	itemIndex: number,
	api: PageSource,
	endpoint: SessionEndpoint,
	endpointParams: Record<string, unknown>,
): Promise<INodeExecutionData[]> {
	const filters = context.getNodeParameter('filters', itemIndex, {}) as SessionFilters;
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const limit = readLimit(context, itemIndex);
	const params = { ...sessionFilterParams(filters, context.getTimezone()), ...readSort(options), ...endpointParams };
	const parallel = readParallelRequests(options);
	const records = await exportSessions(api, { endpoint, params, limit }, { parallel });
	return records.map((record) => ({ json: record as IDataObject, pairedItem: { item: itemIndex } }));
}
