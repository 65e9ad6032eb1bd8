import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { WaitOptions } from '../../../jobs/waitForJobs';
import { parseIdList } from '../../../query/sessionQuery';
import { LearnosityInputError } from '../../../transport/errors';

export const userIdField: INodeProperties = {
	displayName: 'User ID',
	name: 'userId',
	type: 'string',
	default: '={{ $json.user_id }}',
	description:
		'The learner the session was started with (Learnosity requires it). Leave empty to have the node look it up (one read per 50 sessions). Only for a single session ID per item.',
};

const waitOptions: INodeProperties[] = [
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description:
			"Whether to poll each job until it completes and output the job's final state, instead of the job reference right away",
	},
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollIntervalSeconds',
		type: 'number',
		typeOptions: { minValue: 0.1, numberPrecision: 1 },
		default: 5,
		description: 'With Wait for Completion, how long to wait between two checks of the jobs',
	},
	{
		displayName: 'Max Wait (Seconds)',
		name: 'maxWaitSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 600,
		description:
			'With Wait for Completion, how long to wait at most. A job still running then is reported as an error with its reference: it may still finish.',
	},
];

function positive(value: unknown, field: string, fallback: number): number {
	const number = value ?? fallback;
	if (typeof number !== 'number' || !Number.isFinite(number) || number <= 0) {
		throw new LearnosityInputError(
			field,
			`${field} must be a number above 0, not ${JSON.stringify(value)}`,
			`Use e.g. ${fallback}.`,
		);
	}
	return number;
}

/** The wait settings of the run (from the first item's Options), or undefined when not waiting. */
export function readWaitOptions(options: IDataObject): WaitOptions | undefined {
	if (options.waitForCompletion !== true) return undefined;
	return {
		intervalMs: positive(options.pollIntervalSeconds, 'Poll Interval (Seconds)', 5) * 1000,
		maxWaitMs: positive(options.maxWaitSeconds, 'Max Wait (Seconds)', 600) * 1000,
	};
}

/** The User ID of an item, or undefined to look it up. */
export function readUserId(context: IExecuteFunctions, itemIndex: number, sessionCount: number): string | undefined {
	const value = context.getNodeParameter('userId', itemIndex, '') as unknown;
	const ids = parseIdList(value, 'User ID');
	if (ids.length === 0) return undefined;
	if (ids.length > 1 || sessionCount > 1) {
		throw new LearnosityInputError(
			'User ID',
			ids.length > 1
				? `User ID holds ${ids.length} IDs; it takes the one learner of the item's session`
				: `User ID is set, but the item names ${sessionCount} sessions`,
			'Give one session per item with its User ID, or leave User ID empty to have the node look up each learner.',
		);
	}
	return ids[0];
}

/** The Options of a job-creating operation: whether and how long to wait for its jobs. */
export const waitOptionsCollection: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: waitOptions,
};
