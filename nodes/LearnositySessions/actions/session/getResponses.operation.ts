import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import type { PageSource } from '../../../export/pager';
import { parseIdList } from '../../../query/sessionQuery';
import { outputFormatOption, sessionListProperties } from './common.descriptions';
import { listSessions } from './listSessions';

export const description = updateDisplayOptions(
	{ show: { operation: ['getResponses'] } },
	sessionListProperties([
		outputFormatOption(true),
		{
			displayName: 'Session Metadata Fields',
			name: 'sessionMetadataFields',
			type: 'string',
			default: '',
			placeholder: 'session_tags, my_field',
			description:
				'Names of stored session metadata attributes to attach to each session (comma-separated). Only attributes that exist are returned.',
		},
	]),
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: PageSource,
): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', itemIndex, {}) as { sessionMetadataFields?: unknown };
	const fields = parseIdList(options.sessionMetadataFields, 'Session Metadata Fields');
	const params = fields.length ? { include: { 'sessions.session_metadata': fields } } : {};
	return await listSessions(this, itemIndex, api, 'sessions/responses', params);
}
