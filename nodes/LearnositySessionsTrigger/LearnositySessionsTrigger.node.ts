import {
	NodeConnectionTypes,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';
import { dataApiClient } from '../transport/client';
import {
	includeResponseScoresOption,
	outputFormatOption,
} from '../LearnositySessions/actions/session/common.descriptions';
import { activityIdsField, userIdsField } from '../LearnositySessions/actions/session/idFields.descriptions';
import { testLearnosityCredential } from '../transport/credentialTest';
import { toNodeError } from '../transport/nodeErrors';
import {
	currentCursor,
	latestEvent,
	pollEvents,
	startCursor,
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

export class LearnositySessionsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Learnosity Sessions Trigger',
		name: 'learnositySessionsTrigger',
		icon: { light: 'file:../../icons/learnosity.svg', dark: 'file:../../icons/learnosity.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["event"] === "sessionCompleted" ? "Session Completed" : "Session Updated" }}',
		// n8n's nodes panel shows this node and Learnosity Sessions as one entry, described with this sentence.
		description:
			'Learnosity sessions: start a workflow when they complete or change, get their scores and responses, or update their statuses and metadata',
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
							'A session became Completed: submitted, or graded after waiting in Pending Scoring. Each session triggers once, with its final scores; a later re-score does not trigger it again.',
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
				displayName:
					'Sessions that need manual scoring wait in Pending Scoring: they trigger Session Completed once graded (even days later), not when submitted. Re-scores of a reported session trigger only Session Updated.',
				name: 'pendingScoringNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { event: ['sessionCompleted'] } },
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
					outputFormatOption(true, ' (Responses output only)'),
					{
						...includeResponseScoresOption,
						description: `${includeResponseScoresOption.description} (Scores output)`,
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
			const state = this.getWorkflowStaticData('node') as { cursor?: unknown };
			const stored = await currentCursor(api, state.cursor, settings.query);
			if (!stored) {
				state.cursor = await startCursor(api, settings.query);
				return null;
			}
			const { records, cursor } = await pollEvents(api, stored, settings.query);
			const output = emit(this, settings, records);
			state.cursor = cursor;
			return output;
		} catch (error) {
			throw toNodeError(this.getNode(), error, 0);
		}
	}
}
