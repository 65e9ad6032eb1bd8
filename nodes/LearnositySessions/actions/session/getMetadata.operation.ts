import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import type { PageSource } from '../../../export/pager';
import { outputFormatOption, sessionListProperties } from './common.descriptions';
import { listSessions } from './listSessions';

export const description = updateDisplayOptions(
	{ show: { operation: ['getMetadata'] } },
	sessionListProperties([outputFormatOption(false)]),
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: PageSource,
): Promise<INodeExecutionData[]> {
	return await listSessions(this, itemIndex, api, 'sessions/metadata', {});
}
