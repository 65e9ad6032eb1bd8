import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { exportSessions } from '../../../export/sessionExport';
import type { RowKind } from '../../../output/rows';
import { sessionFilterParams, type SessionFilters } from '../../../query/sessionQuery';
import { SESSION_READS } from '../../../query/sessionReads';
import { LearnosityInputError } from '../../../transport/errors';
import type { OperationExecute } from '../operations';
import { defaultParallelRequests } from './common.descriptions';

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

function readParallelRequests(options: IDataObject, typeVersion: number): number {
	const parallel = options.parallelRequests ?? defaultParallelRequests(typeVersion);
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
 * The execute of a Get operation: for one input item, its filters and options become the query, the export fetches
 * the sessions, and each session becomes an output item paired with the input item.
 */
export function readSessions(kind: RowKind): OperationExecute {
	const { endpoint, endpointParams } = SESSION_READS[kind];
	return async function (this: IExecuteFunctions, { itemIndex, options, api }) {
		const filters = this.getNodeParameter('filters', itemIndex, {}) as SessionFilters;
		const limit = readLimit(this, itemIndex);
		const params = {
			...sessionFilterParams(filters, this.getTimezone()),
			...readSort(options),
			...endpointParams(options),
		};
		const parallel = readParallelRequests(options, this.getNode().typeVersion);
		const records = await exportSessions(api, { endpoint, params, limit }, { parallel });
		return records.map((record) => ({ json: record as IDataObject, pairedItem: { item: itemIndex } }));
	};
}
