import { updateDisplayOptions } from 'n8n-workflow';
import { outputFormatOption, sessionListProperties, sessionMetadataFieldsOption } from './common.descriptions';
import { readSessions } from './listSessions';

export const description = updateDisplayOptions(
	{ show: { operation: ['getResponses'] } },
	sessionListProperties([outputFormatOption(true), sessionMetadataFieldsOption]),
);

export const execute = readSessions('responses');
