import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { Writer } from '../../jobs/sessionWrites';
import type { RowKind } from '../../output/rows';
import { LearnosityInputError } from '../../transport/errors';
import * as getJob from './job/get.operation';
import * as getMetadata from './session/getMetadata.operation';
import * as getResponses from './session/getResponses.operation';
import * as getScores from './session/getScores.operation';
import * as getStatuses from './session/getStatuses.operation';
import * as setMetadata from './session/setMetadata.operation';
import * as updateStatuses from './session/updateStatuses.operation';

/** What an operation gets for one input item: its Options (read once) and the execution's API client. */
export interface OperationInput {
	itemIndex: number;
	options: IDataObject;
	api: Writer;
}

export type OperationExecute = (this: IExecuteFunctions, input: OperationInput) => Promise<INodeExecutionData[]>;
/** An operation that takes the whole input at once (writes batch the sessions of all items into jobs). */
export type RunExecute = (this: IExecuteFunctions, input: { api: Writer }) => Promise<INodeExecutionData[]>;

export type Resource = 'session' | 'job';

interface EntryBase {
	resource: Resource;
	option: { name: string; description: string; action: string };
	description: INodeProperties[];
}

/** One row of the table: how the operation shows in the editor, its fields, how it runs, how its rows look. */
type OperationEntry =
	| (EntryBase & {
			/** How Output Format "Row" flattens the operation's records; none: records are output as they are. */
			rowKind?: RowKind;
			execute: OperationExecute;
	  })
	| (EntryBase & { executeRun: RunExecute });

/** Every operation of the Learnosity Sessions node. Adding one is an entry here plus its `<op>.operation.ts`. */
export const OPERATIONS = {
	getMetadata: {
		resource: 'session',
		option: {
			name: 'Get Metadata',
			description: 'Get the stored metadata (e.g. tags) of sessions',
			action: 'Get session metadata',
		},
		rowKind: 'metadata',
		...getMetadata,
	},
	getResponses: {
		resource: 'session',
		option: {
			name: 'Get Responses',
			description: "Get sessions with the learners' responses, items and times",
			action: 'Get session responses',
		},
		rowKind: 'responses',
		...getResponses,
	},
	getScores: {
		resource: 'session',
		option: {
			name: 'Get Scores',
			description: 'Get the scores and subscores of sessions',
			action: 'Get session scores',
		},
		rowKind: 'scores',
		...getScores,
	},
	getStatuses: {
		resource: 'session',
		option: {
			name: 'Get Statuses',
			description: 'Get where sessions stand: status, start and completion times, questions attempted',
			action: 'Get session statuses',
		},
		rowKind: 'statuses',
		...getStatuses,
	},
	setMetadata: {
		resource: 'session',
		option: {
			name: 'Set Metadata',
			description: "Replace sessions' stored metadata (tags and your own fields); overwrites what was there",
			action: 'Set session metadata',
		},
		...setMetadata,
	},
	updateStatuses: {
		resource: 'session',
		option: {
			name: 'Update Statuses',
			description: 'Set sessions to Completed, Incomplete or Discarded',
			action: 'Update session statuses',
		},
		...updateStatuses,
	},
	get: {
		resource: 'job',
		option: {
			name: 'Get',
			description: 'Get jobs (started by Update Statuses or Set Metadata) by reference or in a time range',
			action: 'Get jobs',
		},
		...getJob,
	},
} satisfies Record<string, OperationEntry>;

export type OperationName = keyof typeof OPERATIONS;

export function operationFor(value: unknown): OperationEntry {
	if (typeof value === 'string' && Object.prototype.hasOwnProperty.call(OPERATIONS, value)) {
		return OPERATIONS[value as OperationName];
	}
	throw new LearnosityInputError(
		'Operation',
		`Operation "${String(value)}" is not one this node knows`,
		`Pick one of: ${Object.values(OPERATIONS)
			.map((entry) => entry.option.name)
			.join(', ')}.`,
	);
}

const operationSelector = (resource: Resource, defaultValue: OperationName): INodeProperties => ({
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: [resource] } },
	default: defaultValue,
	options: Object.entries(OPERATIONS)
		.filter(([, entry]) => entry.resource === resource)
		.map(([value, { option }]) => ({ ...option, value })),
});

/**
 * The node's fields: Resource, the Operation selector of each resource, then each operation's own fields. Resource
 * defaults to Session, so workflows saved before it existed (they have no `resource`) open and run unchanged.
 */
export const operationProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		default: 'session',
		options: [
			{ name: 'Session', value: 'session' },
			{ name: 'Job', value: 'job' },
		],
	},
	operationSelector('session', 'getScores'),
	operationSelector('job', 'get'),
	...Object.values(OPERATIONS).flatMap((entry) => entry.description),
];
