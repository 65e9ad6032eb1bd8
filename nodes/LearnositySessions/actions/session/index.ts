import type { INodeProperties } from 'n8n-workflow';
import * as getMetadata from './getMetadata.operation';
import * as getResponses from './getResponses.operation';
import * as getScores from './getScores.operation';

export { getMetadata, getResponses, getScores };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: 'getScores',
		options: [
			{
				name: 'Get Metadata',
				value: 'getMetadata',
				description: 'Get the stored metadata (e.g. tags) of sessions',
				action: 'Get session metadata',
			},
			{
				name: 'Get Responses',
				value: 'getResponses',
				description: "Get sessions with the learners' responses, items and times",
				action: 'Get session responses',
			},
			{
				name: 'Get Scores',
				value: 'getScores',
				description: 'Get the scores and subscores of sessions',
				action: 'Get session scores',
			},
		],
	},
	...getMetadata.description,
	...getResponses.description,
	...getScores.description,
];
