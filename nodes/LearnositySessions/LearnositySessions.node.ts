import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { testLearnosityCredential } from '../shared/credentialTest';
import { router } from './actions/router';
import { versionDescription } from './actions/versionDescription';

export class LearnositySessions implements INodeType {
	description: INodeTypeDescription = versionDescription;

	methods = { credentialTest: { learnosityApiTest: testLearnosityCredential } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
