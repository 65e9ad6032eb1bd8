import { updateDisplayOptions } from 'n8n-workflow';
import { outputFormatOption, sessionListProperties } from './common.descriptions';
import { readSessions } from './listSessions';

export const description = updateDisplayOptions(
	{ show: { operation: ['getMetadata'] } },
	sessionListProperties([outputFormatOption(false)]),
);

export const execute = readSessions('metadata');
