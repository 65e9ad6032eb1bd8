import { updateDisplayOptions } from 'n8n-workflow';
import { includeResponseScoresOption, outputFormatOption, sessionListProperties } from './common.descriptions';
import { readSessions } from './listSessions';

export const description = updateDisplayOptions(
	{ show: { operation: ['getScores'] } },
	sessionListProperties([outputFormatOption(false), includeResponseScoresOption]),
);

export const execute = readSessions('scores');
