import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { activityIdsField, idListField, userIdsField } from './idFields.descriptions';
import { SESSION_STATUSES } from '../../../query/sessionQuery';

const dateField = (displayName: string, name: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'dateTime',
	default: '',
	description: `${description} (a time without a time zone offset is read in the workflow's time zone)`,
});

export const returnAllAndLimit: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

export const filters: INodeProperties = {
	displayName: 'Filters',
	name: 'filters',
	type: 'collection',
	placeholder: 'Add Filter',
	default: {},
	options: [
		activityIdsField,
		dateField('Completed After', 'completedAfter', 'Only sessions submitted at or after this time'),
		dateField('Completed Before', 'completedBefore', 'Only sessions submitted at or before this time'),
		idListField('Session IDs', 'sessionIds', 'session IDs', '8e4f6b2a-1c3d-4e5f-9a7b-2c1d0e9f8a6b'),
		dateField('Started After', 'startedAfter', 'Only sessions started at or after this time'),
		dateField('Started Before', 'startedBefore', 'Only sessions started at or before this time'),
		{
			displayName: 'Status',
			name: 'status',
			type: 'multiOptions',
			default: [],
			description: 'Only sessions with any of these statuses',
			options: SESSION_STATUSES.map((status) => ({ name: status, value: status })),
		},
		dateField(
			'Updated After',
			'updatedAfter',
			'Only sessions last updated (saved, submitted or scored) at or after this time',
		),
		dateField('Updated Before', 'updatedBefore', 'Only sessions last updated at or before this time'),
		userIdsField,
	],
};

const sortOptions: INodePropertyOptions[] = [
	{ name: 'Newest Update First', value: 'desc' },
	{ name: 'Oldest Update First', value: 'asc' },
];

export const sortOption: INodeProperties = {
	displayName: 'Sort',
	name: 'sort',
	type: 'options',
	default: 'desc',
	description: "Order of the sessions by their updated time (the API's default is newest first)",
	options: sortOptions,
};

export const parallelRequestsOption: INodeProperties = {
	displayName: 'Parallel Requests',
	name: 'parallelRequests',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 32 },
	default: 0,
	description:
		"With Return All, how many pages to fetch at once (0 or 1: one after the other). 8–10 makes big exports several times faster; requests stay under Learnosity's rate limit, and the result is the same.",
};

export const includeResponseScoresOption: INodeProperties = {
	displayName: 'Include Response Scores',
	name: 'includeResponseScores',
	type: 'boolean',
	default: false,
	description: 'Whether to add each response with its own score to the session',
};

export const sessionMetadataFieldsOption: INodeProperties = {
	displayName: 'Session Metadata Fields',
	name: 'sessionMetadataFields',
	type: 'string',
	default: '',
	placeholder: 'session_tags, my_field',
	description:
		'Names of stored session metadata attributes to attach to each session (comma-separated). Only attributes that exist are returned.',
};

/** Option `outputFormat`: the API record, or flat rows for a sheet; `perResponseNote` says when per-response applies. */
export function outputFormatOption(perResponse: boolean, perResponseNote = ''): INodeProperties {
	const options: INodePropertyOptions[] = [
		{ name: 'Raw', value: 'raw', description: 'The session record exactly as Learnosity returns it' },
		{
			name: 'Row',
			value: 'row',
			description: 'One flat item per session, the same columns for every item (ready for Google Sheets)',
		},
	];
	if (perResponse) {
		options.push({
			name: 'Row per Response',
			value: 'rowPerResponse',
			description: `One flat item per response, with the session's context, the item's time and the answer${perResponseNote}`,
		});
	}
	return {
		displayName: 'Output Format',
		name: 'outputFormat',
		type: 'options',
		default: 'raw',
		description: 'How each session is output',
		options,
	};
}

/**
 * Output Format when the option is not set. Version 1 outputs the API's records as they are (saved workflows keep
 * that); version 2, for new nodes, outputs sheet-ready rows: the raw scores nest subscores, which n8n's table view
 * and an AI agent read less easily.
 */
export function defaultOutputFormat(typeVersion: number): 'raw' | 'row' {
	return typeVersion >= 2 ? 'row' : 'raw';
}

const onVersion1 = { show: { '@version': [1] } };
const fromVersion2 = { show: { '@version': [{ _cnd: { gte: 2 } }] } };

function optionsCollection(options: INodeProperties[], typeVersion: number): INodeProperties {
	const versionNote = typeVersion >= 2 ? ' (Row when not set; nodes added before version 2 default to Raw)' : '';
	const withDefaults = options.map((option) =>
		option.name === 'outputFormat'
			? { ...option, default: defaultOutputFormat(typeVersion), description: `${option.description}${versionNote}` }
			: option,
	);
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: typeVersion >= 2 ? fromVersion2 : onVersion1,
		options: [...withDefaults, parallelRequestsOption, sortOption].sort((a, b) =>
			a.displayName.localeCompare(b.displayName),
		),
	};
}

/**
 * The fields every get operation shows, followed by its own `options` collection: one per node version, the same
 * options with the version's Output Format default.
 */
export function sessionListProperties(options: INodeProperties[]): INodeProperties[] {
	return [...returnAllAndLimit, filters, optionsCollection(options, 1), optionsCollection(options, 2)];
}
