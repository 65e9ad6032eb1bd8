import { ExecutionLifecycleHooks, PollContext, WorkflowExecute } from 'n8n-core';
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
	type WorkflowExecuteMode,
} from 'n8n-workflow';
import { LearnositySessions } from '../../nodes/LearnositySessions/LearnositySessions.node';
import { LearnositySessionsTrigger } from '../../nodes/LearnositySessionsTrigger/LearnositySessionsTrigger.node';

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
	'n8n-nodes-learnosity.learnositySessionsTrigger': new LearnositySessionsTrigger(),
};

function testAdditionalData(credentials: IDataObject, nodes: INode[]): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: {
			getDecrypted: async () => credentials,
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
}

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
	/** The node version a saved workflow carries (default 1). */
	typeVersion?: number;
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
			typeVersion: options.typeVersion ?? 1,
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
	const additionalData = testAdditionalData(options.credentials, nodes);
	const run = await new WorkflowExecute(additionalData, 'manual').run(workflow, nodes[0]);
	const taskData = run.data.resultData.runData['Learnosity Sessions']?.[0];
	return { items: taskData?.data?.main?.[0] ?? [], error: run.data.resultData.error ?? taskData?.error };
}

/** A Learnosity Sessions Trigger in an (activated) workflow whose static data survives between polls, as in n8n. */
export class TriggerUnderTest {
	private readonly node: INode;
	private readonly workflow: Workflow;

	constructor(
		parameters: INodeParameters,
		private readonly credentials: () => IDataObject,
	) {
		this.node = {
			id: 'trigger',
			name: 'Learnosity Sessions Trigger',
			type: 'n8n-nodes-learnosity.learnositySessionsTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters,
			credentials: { learnosityApi: { id: '1', name: 'Learnosity' } },
		};
		this.workflow = new Workflow({
			id: 'trigger-test',
			name: 'trigger test',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes,
			staticData: {},
			settings: { timezone: 'UTC' },
		});
	}

	/** What n8n keeps for the node between polls (and across restarts). */
	get staticData(): IDataObject {
		return this.workflow.getStaticData('node', this.node);
	}

	/** One poll through n8n-core's PollContext: 'trigger' as when active, 'manual' as "Fetch Test Event". */
	async poll(mode: WorkflowExecuteMode = 'trigger') {
		const context = new PollContext(
			this.workflow,
			this.node,
			testAdditionalData(this.credentials(), [this.node]),
			mode,
			'activate',
		);
		const output = await byName[this.node.type].poll!.call(context);
		return output?.[0] ?? [];
	}
}
