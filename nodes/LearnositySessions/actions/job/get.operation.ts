import { updateDisplayOptions, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';
import { checkJob, existingJobs, JOB_FIELDS, JOB_STATES, MAX_JOBS_PER_REQUEST } from '../../../jobs/jobRecords';
import { requiredIdList } from '../../../query/sessionQuery';
import { toApiTime, toInstant } from '../../../query/time';
import { LearnosityInputError } from '../../../transport/errors';
import type { OperationExecute } from '../operations';

const show = (mode: string) => ({ show: { mode: [mode] } });

export const description = updateDisplayOptions({ show: { resource: ['job'], operation: ['get'] } }, [
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		default: 'byReference',
		options: [
			{ name: 'By Reference', value: 'byReference', description: 'The jobs with the given references' },
			{
				name: 'List in a Time Range',
				value: 'timeRange',
				description: 'The jobs created in a time range, e.g. to find a job whose reference was lost',
			},
		],
	},
	{
		displayName: 'Job References',
		name: 'jobReferences',
		type: 'string',
		default: '={{ $json.job_reference }}',
		required: true,
		description: 'References returned by Update Statuses or Set Metadata, separated by commas (or an array)',
		displayOptions: show('byReference'),
	},
	{
		displayName: 'Created After',
		name: 'createdAfter',
		type: 'dateTime',
		default: '',
		description: "Only jobs created at or after this time (without an offset: the workflow's time zone)",
		displayOptions: show('timeRange'),
	},
	{
		displayName: 'Created Before',
		name: 'createdBefore',
		type: 'dateTime',
		default: '',
		description: 'Only jobs created at or before this time',
		displayOptions: show('timeRange'),
	},
	{
		displayName: 'Job Status',
		name: 'jobStatus',
		type: 'multiOptions',
		default: [],
		description: 'Only jobs in these states (none picked: all states)',
		options: JOB_STATES.map((state) => ({ name: state[0].toUpperCase() + state.slice(1), value: state })),
		displayOptions: show('timeRange'),
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_JOBS_PER_REQUEST },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: show('timeRange'),
	},
]);

function timeRangeRequest(context: IExecuteFunctions, itemIndex: number): Record<string, unknown> {
	const request: Record<string, unknown> = { include: JOB_FIELDS };
	const zone = context.getTimezone();
	const after = context.getNodeParameter('createdAfter', itemIndex, '') as unknown;
	const before = context.getNodeParameter('createdBefore', itemIndex, '') as unknown;
	if (after) request.mintime = toApiTime(toInstant(after, 'Created After', zone), false);
	if (before) request.maxtime = toApiTime(toInstant(before, 'Created Before', zone), true);
	const states = (context.getNodeParameter('jobStatus', itemIndex, []) as unknown[]) ?? [];
	const unknown = states.find((state) => !JOB_STATES.includes(state as never));
	if (unknown !== undefined) {
		throw new LearnosityInputError(
			'Job Status',
			`Job Status "${String(unknown)}" is not a job state`,
			`Use: ${JOB_STATES.join(', ')}.`,
		);
	}
	request.status = states.length ? states : JOB_STATES;
	const limit = context.getNodeParameter('limit', itemIndex, 50) as unknown;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_JOBS_PER_REQUEST) {
		throw new LearnosityInputError(
			'Limit',
			`Limit must be a whole number from 1 to 50, not ${JSON.stringify(limit)}`,
			'The Data API lists at most 50 jobs per request: narrow the time range to see others.',
		);
	}
	request.limit = limit;
	return request;
}

export const execute: OperationExecute = async function (this: IExecuteFunctions, { itemIndex, api }) {
	const mode = this.getNodeParameter('mode', itemIndex, 'byReference');
	let jobs;
	if (mode === 'timeRange') {
		jobs = (await api.get('jobs', timeRangeRequest(this, itemIndex))).data.map(checkJob);
	} else if (mode === 'byReference') {
		const references = requiredIdList(
			this.getNodeParameter('jobReferences', itemIndex, ''),
			'Job References',
			itemIndex,
			'Map the job_reference of the input item, or list references separated by commas.',
		);
		jobs = await existingJobs(api, references, 'Job References');
	} else {
		throw new LearnosityInputError(
			'Mode',
			`Mode "${String(mode)}" is unknown`,
			'Pick By Reference or List in a Time Range.',
		);
	}
	return jobs.map((job) => ({ json: job as IDataObject, pairedItem: { item: itemIndex } }));
};
