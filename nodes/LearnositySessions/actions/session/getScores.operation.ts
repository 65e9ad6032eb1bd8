import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import type { PageSource } from '../../../export/pager';
import { includeResponseScoresOption, outputFormatOption, sessionListProperties } from './common.descriptions';
import { listSessions } from './listSessions';

export const description = updateDisplayOptions(
	{ show: { operation: ['getScores'] } },
	sessionListProperties([outputFormatOption(false), includeResponseScoresOption()]),
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
