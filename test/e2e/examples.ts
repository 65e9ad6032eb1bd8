import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { REPO_ROOT } from '../../dev/n8n/n8nInstance';
import { NODE_TYPE, TRIGGER_NODE_TYPE } from './workflows';

/*
 * The workflows in examples/ (the demo's examples and the templates), rewritten so a real n8n can run them against the
 * emulator: templates.e2e.test.ts runs those that start with a Manual or Schedule Trigger with `n8n execute`;
 * trigger.e2e.test.ts activates those that start with the Learnosity trigger in an n8n server.
 */

export const EXAMPLES_DIR = join(REPO_ROOT, 'examples');
export const LEARNOSITY_TYPES = new Set([NODE_TYPE, TRIGGER_NODE_TYPE]);
export const MANUAL_TRIGGER = 'n8n-nodes-base.manualTrigger';
const SCHEDULE_TRIGGER = 'n8n-nodes-base.scheduleTrigger';
const STICKY_NOTE = 'n8n-nodes-base.stickyNote';
/** n8n 1.x keeps a workflow's static data (the trigger's position) only for ids of at most 16 characters (2.x: 21). */
export const MAX_WORKFLOW_ID_LENGTH = 16;

/** Nodes that run inside n8n without an outside service: they stay as they are. */
export const LOCAL_NODE_TYPES = new Set([
	MANUAL_TRIGGER,
	SCHEDULE_TRIGGER,
	STICKY_NOTE,
	'n8n-nodes-base.set',
	'n8n-nodes-base.code',
	'n8n-nodes-base.if',
	'n8n-nodes-base.filter',
	'n8n-nodes-base.merge',
	'n8n-nodes-base.noOp',
	'n8n-nodes-base.splitOut',
	'n8n-nodes-base.aggregate',
	'n8n-nodes-base.sort',
	'n8n-nodes-base.limit',
	'n8n-nodes-base.dateTime',
	'n8n-nodes-base.html',
]);

/** Nodes that call an outside service: disabled for `n8n execute`, replaced by a POST to a sink in a server run. */
export const EXTERNAL_NODE_TYPES = new Set([
	'n8n-nodes-base.googleSheets',
	'n8n-nodes-base.slack',
	'n8n-nodes-base.emailSend',
	'n8n-nodes-base.gmail',
	'n8n-nodes-base.microsoftTeams',
	'n8n-nodes-base.microsoftExcel',
	'n8n-nodes-base.microsoftOutlook',
	'n8n-nodes-base.airtable',
	'n8n-nodes-base.notion',
	'n8n-nodes-base.postgres',
	'n8n-nodes-base.mySql',
	'n8n-nodes-base.httpRequest',
]);

export interface ExampleNode {
	id?: string;
	name: string;
	type: string;
	typeVersion?: number;
	position?: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, unknown>;
	disabled?: boolean;
}

export interface Connection {
	node: string;
	type: string;
	index: number;
}

export interface Example {
	/** The file name in examples/. */
	file: string;
	id: string;
	name: string;
	nodes: ExampleNode[];
	connections: Record<string, { main: Connection[][] }>;
	[key: string]: unknown;
}

export function readExamples(): Example[] {
	return readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => ({ ...(JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as Example), file }));
}

/** The demo emulator address the examples' signed HTTP Request nodes are written for. */
export const EXAMPLES_EMULATOR_URL = 'http://127.0.0.1:5681';

/** An HTTP Request node signed by the Learnosity credential: it calls the emulator, so it is kept, not disabled. */
export const signedByLearnosity = (node: ExampleNode): boolean =>
	node.type === 'n8n-nodes-base.httpRequest' && node.parameters.nodeCredentialType === 'learnosityApi';

/** The workflow's first Learnosity node (or signed HTTP Request node): the one whose output the tests check. */
export function learnosityNodeOf(example: Example): ExampleNode {
	const node = example.nodes.find((candidate) => LEARNOSITY_TYPES.has(candidate.type) || signedByLearnosity(candidate));
	if (!node) throw new Error(`examples/${example.file} has no Learnosity node`);
	return node;
}

/** Whether the workflow starts with the Learnosity trigger: it runs only as an active workflow in a server. */
export const startsWithLearnosityTrigger = (example: Example) => learnosityNodeOf(example).type === TRIGGER_NODE_TYPE;

/** Node types the test does not know: each must be added to LOCAL_NODE_TYPES or EXTERNAL_NODE_TYPES. */
export function unknownNodeTypes(example: Example): string[] {
	return example.nodes
		.map((node) => node.type)
		.filter((type) => !LEARNOSITY_TYPES.has(type) && !LOCAL_NODE_TYPES.has(type) && !EXTERNAL_NODE_TYPES.has(type));
}

const withoutFile = ({ file: _file, ...workflow }: Example) => workflow;
const onCredential = (node: ExampleNode, credential: { id: string; name: string }): ExampleNode =>
	LEARNOSITY_TYPES.has(node.type) || signedByLearnosity(node)
		? { ...node, credentials: { ...node.credentials, learnosityApi: credential } }
		: node;

/** Signed HTTP Request nodes call `emulatorUrl` instead of the demo emulator's default address. */
const onEmulator = (node: ExampleNode, emulatorUrl: string | undefined): ExampleNode =>
	signedByLearnosity(node) && emulatorUrl
		? {
				...node,
				parameters: {
					...node.parameters,
					url: String(node.parameters.url).replace(EXAMPLES_EMULATOR_URL, emulatorUrl),
				},
			}
		: node;

export const E2E_START = 'E2E: start';

/**
 * For `n8n execute`, which refuses a workflow without a Manual Trigger: Learnosity nodes on `credential`, outside
 * services disabled (a disabled node passes its items through), and a Manual Trigger wired like the Schedule Trigger
 * (n8n 2.x then starts the run at the Schedule Trigger itself, which emits one item in this mode).
 */
export function forExecute(example: Example, credential: { id: string; name: string }, emulatorUrl?: string) {
	const workflow = withoutFile(example);
	const nodes: ExampleNode[] = example.nodes.map((node) =>
		EXTERNAL_NODE_TYPES.has(node.type) && !signedByLearnosity(node)
			? { ...node, disabled: true }
			: onEmulator(onCredential(node, credential), emulatorUrl),
	);
	const connections = { ...example.connections };
	if (!nodes.some((node) => node.type === MANUAL_TRIGGER)) {
		const schedule = nodes.find((node) => node.type === SCHEDULE_TRIGGER);
		if (!schedule) throw new Error(`examples/${example.file} has neither a Manual nor a Schedule Trigger`);
		nodes.push({
			id: 'e2e-start',
			name: E2E_START,
			type: MANUAL_TRIGGER,
			typeVersion: 1,
			position: [0, 300],
			parameters: {},
		});
		connections[E2E_START] = example.connections[schedule.name];
	}
	return { ...workflow, active: false, nodes, connections };
}

/** Where a server run's stand-in for an outside-service node POSTs. */
export const standInPath = (workflowId: string, nodeName: string) =>
	`/examples/${encodeURIComponent(workflowId)}/${encodeURIComponent(nodeName)}`;

/**
 * For an active workflow in a server: Learnosity nodes on `credential`, and each outside-service node replaced by an
 * HTTP Request that POSTs what the node would have sent — its expression parameters (e.g. Slack's `text`),
 * evaluated for each item, and the item's `session_id` — to `sinkBase` + standInPath().
 */
export function forServer(example: Example, credential: { id: string; name: string }, sinkBase: string) {
	const nodes = example.nodes.map((node) => {
		if (!EXTERNAL_NODE_TYPES.has(node.type)) return onCredential(node, credential);
		const expressions = Object.entries(node.parameters).filter(
			(entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].startsWith('='),
		);
		return {
			id: node.id,
			name: node.name,
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: node.position,
			parameters: {
				method: 'POST',
				url: `${sinkBase}${standInPath(example.id, node.name)}`,
				sendBody: true,
				contentType: 'json',
				specifyBody: 'keypair',
				bodyParameters: {
					parameters: [
						{ name: 'session_id', value: '={{ $json.session_id }}' },
						...expressions.map(([name, value]) => ({ name, value })),
					],
				},
				options: {},
			},
		};
	});
	return { ...withoutFile(example), active: false, nodes };
}
