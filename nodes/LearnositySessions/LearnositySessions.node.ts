import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { testLearnosityCredential } from '../transport/credentialTest';
import { router } from './actions/router';
import { OPERATIONS, operationProperties } from './actions/operations';

const operationTitles = Object.fromEntries(
	Object.entries(OPERATIONS).map(([value, { option }]) => [value, option.name]),
);

export class LearnositySessions implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Learnosity Sessions',
		name: 'learnositySessions',
		icon: { light: 'file:../../icons/learnosity.svg', dark: 'file:../../icons/learnosity.dark.svg' },
		group: ['input'],
		// Version 2 outputs sheet-ready rows unless Output Format says otherwise; version 1 nodes keep raw records.
		// Version 3 pages Return All 8 requests at a time unless Parallel Requests says otherwise.
		version: [1, 2, 3],
		defaultVersion: 3,
		subtitle: `={{ ${JSON.stringify(operationTitles)}[$parameter["operation"]] }}`,
		description:
			"Get Learnosity sessions' scores, responses, statuses and metadata, and update statuses and metadata, through the Data API",
		defaults: { name: 'Learnosity Sessions' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'learnosityApi', required: true, testedBy: 'learnosityApiTest' }],
		properties: operationProperties,
	};

	methods = { credentialTest: { learnosityApiTest: testLearnosityCredential } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
