import { NodeConnectionTypes, type INodeTypeDescription } from 'n8n-workflow';
import { idListField } from '../shared/descriptions';

export const triggerDescription: INodeTypeDescription = {
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
					description: 'A learner submitted a session and it is Completed. Each session triggers once, even if it is re-scored later.',
				},
				{
					name: 'Session Updated',
					value: 'sessionUpdated',
					description: 'A session was started, saved, submitted or scored. Several saves between two polls are one event with the latest state.',
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
			options: [
				idListField('Activity IDs', 'activityIds', 'activities'),
				idListField('User IDs', 'userIds', 'learners (user IDs)'),
			],
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
							description: 'One flat item per session, the same columns for every item of a poll (ready for Google Sheets)',
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
