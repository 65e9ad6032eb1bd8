import { updateDisplayOptions } from 'n8n-workflow';
import { outputFormatOption, sessionListProperties, sessionMetadataFieldsOption } from './common.descriptions';
import { readSessions } from './listSessions';

export const description = updateDisplayOptions(
	{ show: { resource: ['session'], operation: ['getStatuses'] } },
	sessionListProperties([outputFormatOption(false), sessionMetadataFieldsOption]),
);

export const execute = readSessions('statuses');
