import {
	NodeConnectionTypes,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';
import { dataApiClient } from '../transport/client';
import { activityIdsField, userIdsField } from '../LearnositySessions/actions/session/idFields.descriptions';
import { testLearnosityCredential } from '../transport/credentialTest';
import { toNodeError } from '../transport/nodeErrors';
import {
	latestEvent,
	pollEvents,
	queryKey,
	startCursor,
	type EventCursor,
	type EventOutput,
	type EventQuery,
	type SessionEvent,
} from './trigger/sessionEvents';
import type { SessionRecord } from '../types';
import { sessionFilterParams } from '../query/sessionQuery';
import { checkOutputFormat, shapeRun, type OutputFormat } from '../output/shapeOutput';

interface TriggerSettings {
	query: EventQuery;
	format: OutputFormat;
}

function readSettings(context: IPollFunctions): TriggerSettings {
	const filters = context.getNodeParameter('filters', {}) as IDataObject;
	const options = context.getNodeParameter('options', {}) as {
		includeResponseScores?: boolean;
		outputFormat?: unknown;
	};
	const output = context.getNodeParameter('output', 'scores') as EventOutput;
	return {
		query: {
			event: context.getNodeParameter('event') as SessionEvent,
			output,
			filters: sessionFilterParams(
				{ activityIds: filters.activityIds, userIds: filters.userIds },
				context.getTimezone(),
			),
			includeResponseScores: options.includeResponseScores === true,
		},
		format: checkOutputFormat(options.outputFormat, output),
	};
}

/** The poll's events as items in the chosen format; null when there is nothing to emit. */
function emit(
	context: IPollFunctions,
	settings: TriggerSettings,
	records: SessionRecord[],
): INodeExecutionData[][] | null {
	if (!records.length) return null;
	const items = context.helpers.returnJsonArray(records as IDataObject[]);
	return [shapeRun(settings.query.output, [{ items, format: settings.format }])];
}

// usableAsTool is for nodes an AI agent can call; a polling trigger has no execute() for a tool to run, and n8n's
// type allows only `true` there, so this rule (which does not exempt triggers) is off for this class.
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool
export class LearnositySessionsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Learnosity Sessions Trigger',
		name: 'learnositySessionsTrigger',
		icon: { light: 'file:../../icons/learnosity.svg', dark: 'file:../../icons/learnosity.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["event"] === "sessionCompleted" ? "Session Completed" : "Session Updated" }}',
		description: 'Starts the workflow when Learnosity sessions complete or change',
		defaults: { name: 'Learnosity Sessions Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'learnosityApi', required: true, testedBy: 'learnosityApiTest' }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				default: 'sessionCompleted',
				options: [
					{
						name: 'Session Completed',
						value: 'sessionCompleted',
						description:
							'A learner submitted a session and it is Completed. Each session triggers once, even if it is re-scored later.',
					},
					{
						name: 'Session Updated',
						value: 'sessionUpdated',
						description:
							'A session was started, saved, submitted or scored. Several saves between two polls are one event with the latest state.',
					},
				],
			},
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				default: 'scores',
				description: 'Which record each event carries',
				options: [
					{ name: 'Scores', value: 'scores', description: 'The session with its score and subscores' },
					{ name: 'Responses', value: 'responses', description: 'The session with responses, items and times' },
					{ name: 'Metadata', value: 'metadata', description: "The session's stored metadata" },
				],
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: [activityIdsField, userIdsField],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Output Format',
						name: 'outputFormat',
						type: 'options',
						default: 'raw',
						description: 'How each event is output',
						options: [
							{ name: 'Raw', value: 'raw', description: 'The record exactly as Learnosity returns it' },
							{
								name: 'Row',
								value: 'row',
								description:
									'One flat item per session, the same columns for every item of a poll (ready for Google Sheets)',
							},
							{
								name: 'Row per Response',
								value: 'rowPerResponse',
								description: 'One flat item per response (Responses output only)',
							},
						],
					},
					{
						displayName: 'Include Response Scores',
						name: 'includeResponseScores',
						type: 'boolean',
						default: false,
						description: 'Whether to add each response with its own score (Scores output)',
					},
				],
			},
		],
	};

	methods = { credentialTest: { learnosityApiTest: testLearnosityCredential } };

	/**
	 * The first poll after activation only sets the cursor to now; later polls emit what happened since. The cursor
	 * is stored only when a poll succeeded, so a failed poll is read again in full by the next one.
	 */
	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		try {
			const settings = readSettings(this);
			const api = await dataApiClient(this);
			if (this.getMode() === 'manual') return emit(this, settings, await latestEvent(api, settings.query));
			const state = this.getWorkflowStaticData('node') as { cursor?: EventCursor };
			if (state.cursor?.version !== 1 || state.cursor.query !== queryKey(settings.query)) {
				state.cursor = await startCursor(api, settings.query);
				return null;
			}
			const { records, cursor } = await pollEvents(api, state.cursor, settings.query);
			const output = emit(this, settings, records);
			state.cursor = cursor;
			return output;
		} catch (error) {
			throw toNodeError(this.getNode(), error, 0);
		}
	}
}
