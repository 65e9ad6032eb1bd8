import { updateDisplayOptions, type IExecuteFunctions } from 'n8n-workflow';
import type { WriteEntry } from '../../../jobs/sessionWrites';
import { requiredIdList } from '../../../query/sessionQuery';
import { LearnosityInputError } from '../../../transport/errors';
import { readUserId, userIdField, waitOptionsCollection } from './jobWrites.descriptions';
import { runJobWrite } from './jobWrites';

/** The statuses the API lets a client set; Pending Scoring is not among them. */
export const TARGET_STATUSES = ['Completed', 'Incomplete', 'Discarded'] as const;

export const description = updateDisplayOptions({ show: { resource: ['session'], operation: ['updateStatuses'] } }, [
	{
		displayName:
			'Learnosity applies the change in a job, shortly after this node has run. Setting Completed also rescores the session, so scores may change after the job.',
		name: 'updateStatusesNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Session IDs',
		name: 'sessionIds',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '={{ $json.session_id }}',
		required: true,
		description:
			'The sessions to change: by default the session_id of each input item, or IDs separated by commas, spaces or new lines (or an expression returning an array). Sent in batches of 100.',
	},
	{ ...userIdField },
	{
		displayName: 'New Status',
		name: 'status',
		type: 'options',
		default: 'Completed',
		description: 'The status to give the sessions',
		options: TARGET_STATUSES.map((status) => ({ name: status, value: status })),
	},
	waitOptionsCollection,
]);

function readStatus(value: unknown): string {
	const known = TARGET_STATUSES.find(
		(status) => typeof value === 'string' && status.toLowerCase() === value.trim().toLowerCase(),
	);
	if (known) return known;
	throw new LearnosityInputError(
		'New Status',
		`New Status "${String(value)}" is not a status Learnosity lets you set`,
		`Use one of: ${TARGET_STATUSES.join(', ')}${value === 'Pending Scoring' ? ' (Pending Scoring is set by Learnosity only)' : ''}.`,
	);
}

export const executeRun = runJobWrite({
	endpoint: 'jobs/sessions/statuses',
	action: 'update',
	listName: 'statuses',
	entriesOf(this: IExecuteFunctions, itemIndex): WriteEntry[] {
		const sessionIds = requiredIdList(
			this.getNodeParameter('sessionIds', itemIndex, ''),
			'Session IDs',
			itemIndex,
			'Give the sessions to change: map the session_id of the input items, or list IDs separated by commas.',
		);
		const status = readStatus(this.getNodeParameter('status', itemIndex));
		const userId = readUserId(this, itemIndex, sessionIds.length);
		return sessionIds.map((sessionId) => ({ itemIndex, session_id: sessionId, user_id: userId, fields: { status } }));
	},
});
