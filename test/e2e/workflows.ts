import { DEMO_CONSUMER_KEY, DEMO_CONSUMER_SECRET } from '../../dev/emulator/server';

export const NODE_TYPE = 'n8n-nodes-learnosity.learnositySessions';
export const WRONG_SECRET = 'e2e-wrong-secret-4f1c2a9b';

export const GOOD_CREDENTIAL = { id: 'e2eLrnGood000001', name: 'Learnosity emulator' };
export const BAD_CREDENTIAL = { id: 'e2eLrnWrong00001', name: 'Learnosity emulator, wrong secret' };
export const MAIN_WORKFLOW_ID = 'e2eLrnMainWf0001';
export const WRONG_SECRET_WORKFLOW_ID = 'e2eLrnWrongWf001';

/** Credentials for `n8n import:credentials`, with plain data pointing at the emulator. */
export function credentials(baseUrl: string) {
	const data = (consumerSecret: string) => ({
		consumerKey: DEMO_CONSUMER_KEY,
		consumerSecret,
		domain: 'localhost',
		region: 'custom',
		baseUrl,
		apiVersion: 'v2025.2.LTS',
	});
	return [
		{ ...GOOD_CREDENTIAL, type: 'learnosityApi', data: data(DEMO_CONSUMER_SECRET) },
		{ ...BAD_CREDENTIAL, type: 'learnosityApi', data: data(WRONG_SECRET) },
	];
}

export interface LearnosityCase {
	/** The node's name in the workflow: the key of its output in runData. */
	name: string;
	parameters: Record<string, unknown>;
	/** The node version the workflow carries (default 1, as every workflow saved before version 2). */
	typeVersion?: number;
}

/** Learnosity nodes that each hang off the Manual Trigger, in parallel branches. */
export const BRANCHES = {
	metadata: {
		name: 'Metadata',
		parameters: { operation: 'getMetadata', returnAll: true, filters: { activityIds: 'algebra-unit-1' }, options: {} },
	},
	responses: {
		name: 'Responses',
		parameters: {
			operation: 'getResponses',
			returnAll: true,
			filters: { activityIds: 'chemistry-classtest-1' },
			options: { sessionMetadataFields: 'session_tags' },
		},
	},
	scores: {
		name: 'Scores',
		parameters: {
			operation: 'getScores',
			returnAll: true,
			filters: { activityIds: 'reading-check-3' },
			options: { includeResponseScores: true },
		},
	},
	filtered: {
		name: 'Filtered',
		parameters: {
			operation: 'getScores',
			returnAll: true,
			filters: { activityIds: 'algebra-unit-2, history-essay-2', status: ['Completed', 'Pending Scoring'] },
			options: { sort: 'asc' },
		},
	},
	limit120: {
		name: 'Limit 120',
		parameters: { operation: 'getScores', returnAll: false, limit: 120, filters: {}, options: {} },
	},
	returnAll: {
		name: 'Return All',
		parameters: { operation: 'getMetadata', returnAll: true, filters: {}, options: {} },
	},
	version2: {
		name: 'Version 2 Default Output',
		typeVersion: 2,
		parameters: {
			operation: 'getScores',
			returnAll: false,
			limit: 5,
			filters: { activityIds: 'spanish-quiz-4' },
			options: {},
		},
	},
	version3: {
		name: 'Version 3 Default Parallel',
		typeVersion: 3,
		parameters: {
			operation: 'getScores',
			returnAll: true,
			filters: { activityIds: 'chemistry-classtest-1' },
			options: {},
		},
	},
} satisfies Record<string, LearnosityCase>;

/** Two input items with different activities; the node reads its filter from each item. */
export const PER_ITEM = {
	source: 'Two Activities',
	name: 'Per Item',
	activities: ['history-essay-2', 'spanish-quiz-4'],
	parameters: {
		operation: 'getScores',
		returnAll: true,
		filters: { activityIds: '={{ $json.activity }}' },
		options: { sort: 'asc' },
	},
};

let nextNodeId = 1;
const node = (
	name: string,
	type: string,
	typeVersion: number,
	position: [number, number],
	parameters: Record<string, unknown>,
) => ({
	id: `e2e-node-${nextNodeId++}`,
	name,
	type,
	typeVersion,
	position,
	parameters,
});

const learnosity = (
	name: string,
	parameters: Record<string, unknown>,
	y: number,
	x = 300,
	credential = GOOD_CREDENTIAL,
	typeVersion = 1,
) => ({
	...node(name, NODE_TYPE, typeVersion, [x, y], parameters),
	credentials: { learnosityApi: credential },
});

const trigger = () => node('Start', 'n8n-nodes-base.manualTrigger', 1, [0, 0], {});
const link = (...targets: string[]) => ({
	main: [targets.map((target) => ({ node: target, type: 'main', index: 0 }))],
});

/** One run covers every success case: Manual Trigger → each branch, and → Code (two items) → Per Item. */
export function mainWorkflow() {
	const branches = Object.values(BRANCHES) as LearnosityCase[];
	const items = JSON.stringify(PER_ITEM.activities.map((activity) => ({ json: { activity } })));
	return {
		id: MAIN_WORKFLOW_ID,
		name: 'Learnosity e2e: operations',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			trigger(),
			...branches.map((branch, n) =>
				learnosity(branch.name, branch.parameters, n * 200, 300, GOOD_CREDENTIAL, branch.typeVersion),
			),
			node(PER_ITEM.source, 'n8n-nodes-base.code', 2, [300, branches.length * 200], { jsCode: `return ${items};` }),
			learnosity(PER_ITEM.name, PER_ITEM.parameters, branches.length * 200, 600),
		],
		connections: {
			Start: link(...branches.map((branch) => branch.name), PER_ITEM.source),
			[PER_ITEM.source]: link(PER_ITEM.name),
		},
	};
}

export const WRONG_SECRET_NODE = 'Wrong Secret';

export function wrongSecretWorkflow() {
	return {
		id: WRONG_SECRET_WORKFLOW_ID,
		name: 'Learnosity e2e: wrong secret',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			trigger(),
			learnosity(
				WRONG_SECRET_NODE,
				{ operation: 'getScores', returnAll: false, limit: 5, filters: {}, options: {} },
				0,
				300,
				BAD_CREDENTIAL,
			),
		],
		connections: { Start: link(WRONG_SECRET_NODE) },
	};
}

export const TRIGGER_NODE_TYPE = 'n8n-nodes-learnosity.learnositySessionsTrigger';
export const TRIGGER_WORKFLOW_ID = 'e2eLrnTriggerWf1';
export const TRIGGER_NODE = 'Session Completed';
export const SINK_NODE = 'POST each event';

/** Learnosity Sessions Trigger (Session Completed, scores, every minute) → HTTP Request POSTing each item to `sinkUrl`. */
export function triggerWorkflow(sinkUrl: string) {
	return {
		id: TRIGGER_WORKFLOW_ID,
		name: 'Learnosity e2e: trigger',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				...node(TRIGGER_NODE, TRIGGER_NODE_TYPE, 1, [0, 0], {
					pollTimes: { item: [{ mode: 'everyMinute' }] },
					event: 'sessionCompleted',
					output: 'scores',
					filters: {},
					options: {},
				}),
				credentials: { learnosityApi: GOOD_CREDENTIAL },
			},
			node(SINK_NODE, 'n8n-nodes-base.httpRequest', 4.2, [300, 0], {
				method: 'POST',
				url: sinkUrl,
				sendBody: true,
				specifyBody: 'json',
				jsonBody: '={{ $json }}',
				options: {},
			}),
		],
		connections: { [TRIGGER_NODE]: link(SINK_NODE) },
	};
}

export const EXPORT_WEBHOOK_NODE = 'Export requested';
export const EXPORT_NODE = 'Export';

/**
 * Webhook (GET /webhook/<path>?activities=…&parallel=…, answering with every item of the last node) → Get Scores,
 * Return All, for the activities and with the Parallel Requests given in the query.
 */
export function exportWebhookWorkflow(id: string, path: string, credential = GOOD_CREDENTIAL) {
	return {
		id,
		name: `Learnosity e2e: export on ${path}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				...node(EXPORT_WEBHOOK_NODE, 'n8n-nodes-base.webhook', 2, [0, 0], {
					httpMethod: 'GET',
					path,
					responseMode: 'lastNode',
					responseData: 'allEntries',
					options: {},
				}),
				webhookId: `${id}-webhook`,
			},
			learnosity(
				EXPORT_NODE,
				{
					operation: 'getScores',
					returnAll: true,
					filters: { activityIds: '={{ $json.query.activities }}' },
					options: { parallelRequests: '={{ Number($json.query.parallel) }}' },
				},
				0,
				300,
				credential,
			),
		],
		connections: { [EXPORT_WEBHOOK_NODE]: link(EXPORT_NODE) },
	};
}
