import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { PageSource } from '../../types';
import type { RowKind } from '../../output/rows';
import { LearnosityInputError } from '../../transport/errors';
import * as getMetadata from './session/getMetadata.operation';
import * as getResponses from './session/getResponses.operation';
import * as getScores from './session/getScores.operation';

/** What an operation gets for one input item: its Options (read once) and the execution's API client. */
export interface OperationInput {
	itemIndex: number;
	options: IDataObject;
	api: PageSource;
}

export type OperationExecute = (this: IExecuteFunctions, input: OperationInput) => Promise<INodeExecutionData[]>;

/** One row of the table: how the operation shows in the editor, its fields, how it runs, how its rows look. */
interface OperationEntry {
	resource: 'session';
	option: { name: string; description: string; action: string };
	/** How Output Format "Row" flattens the operation's records. */
	rowKind: RowKind;
	description: INodeProperties[];
	execute: OperationExecute;
}

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

/** The node's fields: the Operation selector, then each operation's own fields. */
export const operationProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: 'getScores',
		options: Object.entries(OPERATIONS).map(([value, { option }]) => ({ ...option, value })),
	},
	...Object.values(OPERATIONS).flatMap((entry) => entry.description),
];
