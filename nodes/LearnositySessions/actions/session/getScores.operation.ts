import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import type { PageSource } from '../../../export/pager';
import { outputFormatOption, sessionListProperties } from './common.descriptions';
import { listSessions } from './listSessions';

export const description = updateDisplayOptions(
	{ show: { operation: ['getScores'] } },
	sessionListProperties([
		outputFormatOption(false),
		{
			displayName: 'Include Response Scores',
			name: 'includeResponseScores',
			type: 'boolean',
			default: false,
			description: 'Whether to add each response with its own score to the session',
		},
	]),
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: PageSource,
): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', itemIndex, {}) as { includeResponseScores?: boolean };
	const params = options.includeResponseScores ? { include_response_scores: true } : {};
	return await listSessions(this, itemIndex, api, 'sessions/scores', params);
}
