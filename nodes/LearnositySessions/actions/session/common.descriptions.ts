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
		"With Return All, how many pages to fetch at once (0 or 1: one after the other). 8–16 makes big exports several times faster, with the same result. One execution stays under Learnosity's rate limit; executions running at once on one consumer key (queue-mode workers, other tools) share it, and a 429 pauses the whole export for 5 s before it retries: nothing is lost, it takes longer.",
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

/**
 * Parallel Requests when the option is not set. Version 3 pages Return All 8 requests at a time: over a real network
 * each request costs a connection's set-up (n8n's HTTP helper keeps none open) plus a round trip, and requests in
 * flight hide that, with the same records in the same order. Versions 1 and 2 (saved workflows) keep one at a time.
 */
export function defaultParallelRequests(typeVersion: number): number {
	return typeVersion >= 3 ? 8 : 0;
}

const NODE_VERSIONS = [1, 2, 3];
const onlyOnVersion = (typeVersion: number) => ({
	show: { '@version': typeVersion === NODE_VERSIONS.at(-1) ? [{ _cnd: { gte: typeVersion } }] : [typeVersion] },
});

/** The version's defaults, with a note where they differ from what older nodes do. */
function withVersionDefaults(option: INodeProperties, typeVersion: number): INodeProperties {
	if (option.name === 'outputFormat') {
		const note = typeVersion >= 2 ? ' (Row when not set; nodes added before version 2 default to Raw)' : '';
		return { ...option, default: defaultOutputFormat(typeVersion), description: `${option.description}${note}` };
	}
	if (option.name === 'parallelRequests') {
		const note = typeVersion >= 3 ? ' (8 when not set; nodes added before version 3 default to 0)' : '';
		return { ...option, default: defaultParallelRequests(typeVersion), description: `${option.description}${note}` };
	}
	return option;
}

function optionsCollection(options: INodeProperties[], typeVersion: number): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: onlyOnVersion(typeVersion),
		options: [...options, parallelRequestsOption, sortOption]
			.map((option) => withVersionDefaults(option, typeVersion))
			.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

/**
 * The fields every get operation shows, followed by its own `options` collection: one per node version, the same
 * options with the version's defaults (Output Format, Parallel Requests).
 */
export function sessionListProperties(options: INodeProperties[]): INodeProperties[] {
	return [...returnAllAndLimit, filters, ...NODE_VERSIONS.map((version) => optionsCollection(options, version))];
}
