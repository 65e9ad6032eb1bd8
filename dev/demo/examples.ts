import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { REPO_ROOT } from '../n8n/n8nInstance';
import { CREDENTIAL_TYPE, DEMO_CREDENTIAL } from './demoCredential';

export const EXAMPLES_DIR = join(REPO_ROOT, 'examples');
export const LEARNOSITY_NODE_TYPE = 'n8n-nodes-learnosity.learnositySessions';
const LEARNOSITY_NODE_TYPES = [LEARNOSITY_NODE_TYPE, 'n8n-nodes-learnosity.learnositySessionsTrigger'];

/** The example the start script runs once to prove the demo works, before n8n serves the editor. */
export const CHECKED_WORKFLOW_ID = 'lrnDemoScores001';

export interface WorkflowNode {
	name: string;
	type: string;
	credentials?: Record<string, { id: string; name: string }>;
	[key: string]: unknown;
}

export interface Workflow {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	[key: string]: unknown;
}

/** The emulator address the examples' HTTP Request nodes are written for (the demo's default port). */
export const EXAMPLES_EMULATOR_URL = 'http://127.0.0.1:5681';

/** An HTTP Request node signed by the Learnosity credential (examples/8-…). */
export const signedByLearnosity = (node: WorkflowNode): boolean =>
	node.type === 'n8n-nodes-base.httpRequest' &&
	(node.parameters as Record<string, unknown> | undefined)?.nodeCredentialType === CREDENTIAL_TYPE;

/**
 * Every examples/*.json, its Learnosity nodes (and HTTP Request nodes signed by the Learnosity credential) pointed at
 * the demo credential, whatever the file names; those HTTP Request nodes call `emulatorUrl`.
 */
export function exampleWorkflows(emulatorUrl = EXAMPLES_EMULATOR_URL): Workflow[] {
	const files = readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort();
	return files.map((file) => {
		const workflow = JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as Workflow;
		if (typeof workflow.id !== 'string' || !workflow.id || !Array.isArray(workflow.nodes)) {
			throw new Error(`examples/${file} needs an "id" and "nodes" to be imported`);
		}
		for (const node of workflow.nodes) {
			if (LEARNOSITY_NODE_TYPES.includes(node.type) || signedByLearnosity(node))
				node.credentials = { ...node.credentials, [CREDENTIAL_TYPE]: DEMO_CREDENTIAL };
			if (signedByLearnosity(node)) {
				const parameters = node.parameters as Record<string, unknown>;
				parameters.url = String(parameters.url).replace(EXAMPLES_EMULATOR_URL, emulatorUrl);
			}
		}
		return workflow;
	});
}

export function learnosityNodeOf(workflow: Workflow): WorkflowNode {
	const node = workflow.nodes.find((candidate) => candidate.type === LEARNOSITY_NODE_TYPE);
	if (!node) throw new Error(`Workflow "${workflow.name}" has no ${LEARNOSITY_NODE_TYPE} node`);
	return node;
}
