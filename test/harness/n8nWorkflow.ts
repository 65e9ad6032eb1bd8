import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	NodeConnectionTypes,
	Workflow,
	type ExecutionError,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypeDescription,
	type INodeTypes,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { LearnositySessions } from '../../nodes/LearnositySessions/LearnositySessions.node';

/** A stand-in for n8n's manual trigger + Set node: emits the test's input items. */
class TestItems implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Items',
		name: 'testItems',
		group: ['input'],
		version: 1,
		description: 'Emits the items of the test',
		defaults: { name: 'Test Items' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as IDataObject[];
		return [items.map((json) => ({ json }))];
	}
}

const nodeTypes: INodeTypes = {
	getByName: (name) => byName[name],
	getByNameAndVersion: (name) => byName[name] as INodeType,
	getKnownTypes: () => ({}),
};
const byName: Record<string, INodeType> = {
	'test.testItems': new TestItems(),
	'n8n-nodes-learnosity.learnositySessions': new LearnositySessions(),
};

export interface NodeRun {
	items: INodeExecutionData[];
	error?: ExecutionError;
}

export interface NodeRunOptions {
	parameters: INodeParameters;
	credentials: IDataObject;
	input?: IDataObject[];
	timezone?: string;
	continueOnFail?: boolean;
}

/**
 * Runs a two-node workflow (input items → Learnosity Sessions) through n8n-core's real WorkflowExecute: parameters
 * and expressions are resolved, credentials supplied and HTTP sent by n8n's own code, exactly as in n8n.
 */
export async function runSessionsNode(options: NodeRunOptions): Promise<NodeRun> {
	const nodes: INode[] = [
		{
			id: 'input',
			name: 'Input',
			type: 'test.testItems',
			typeVersion: 1,
			position: [0, 0],
			parameters: { items: JSON.stringify(options.input ?? [{}]) },
		},
		{
			id: 'learnosity',
			name: 'Learnosity Sessions',
			type: 'n8n-nodes-learnosity.learnositySessions',
			typeVersion: 1,
			position: [200, 0],
			parameters: options.parameters,
			credentials: { learnosityApi: { id: '1', name: 'Learnosity' } },
			continueOnFail: options.continueOnFail,
		},
	];
	const workflow = new Workflow({
		id: 'test',
		name: 'test',
		nodes,
		connections: { Input: { main: [[{ node: 'Learnosity Sessions', type: 'main', index: 0 }]] } },
		active: false,
		nodeTypes,
		settings: { timezone: options.timezone ?? 'UTC' },
	});
	const additionalData = {
		credentialsHelper: {
			getDecrypted: async () => options.credentials,
			getParentTypes: () => [],
			authenticate: async (_c: unknown, _t: unknown, request: unknown) => request,
			preAuthentication: async () => undefined,
		},
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost/rest',
		instanceBaseUrl: 'http://localhost/',
		formWaitingBaseUrl: '',
		webhookBaseUrl: '',
		webhookWaitingBaseUrl: '',
		webhookTestBaseUrl: '',
		variables: {},
		logAiEvent: () => undefined,
		hooks: new ExecutionLifecycleHooks('manual', 'test-execution', {
			id: 'test',
			name: 'test',
			nodes,
			connections: {},
			active: false,
			isArchived: false,
			activeVersionId: null,
			createdAt: new Date(),
			updatedAt: new Date(),
		}),
	} as unknown as IWorkflowExecuteAdditionalData;
	const run = await new WorkflowExecute(additionalData, 'manual').run(workflow, nodes[0]);
	const taskData = run.data.resultData.runData['Learnosity Sessions']?.[0];
	return { items: taskData?.data?.main?.[0] ?? [], error: run.data.resultData.error ?? taskData?.error };
}
