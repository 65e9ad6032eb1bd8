import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { testLearnosityCredential } from '../transport/credentialTest';
import { router } from './actions/router';
import * as session from './actions/session';

export class LearnositySessions implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Learnosity Sessions',
		name: 'learnositySessions',
		icon: { light: 'file:../../icons/learnosity.svg', dark: 'file:../../icons/learnosity.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle:
			'={{ {"getMetadata": "Get Metadata", "getResponses": "Get Responses", "getScores": "Get Scores"}[$parameter["operation"]] }}',
		description: 'Get session metadata, responses and scores from the Learnosity Data API',
		defaults: { name: 'Learnosity Sessions' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'learnosityApi', required: true, testedBy: 'learnosityApiTest' }],
		properties: session.description,
	};

	methods = { credentialTest: { learnosityApiTest: testLearnosityCredential } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
