import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { dataApiClient } from '../../shared/client';
import { toNodeError } from '../../shared/nodeErrors';
import * as session from './session';

const operations = {
	getMetadata: session.getMetadata,
	getResponses: session.getResponses,
	getScores: session.getScores,
};

type Operation = keyof typeof operations;

/** Runs the chosen operation once per input item; with Continue On Fail an item's error becomes an error item. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = this.getNodeParameter('operation', 0) as Operation;
	const output: INodeExecutionData[] = [];
	let api: Awaited<ReturnType<typeof dataApiClient>> | undefined;
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			api ??= await dataApiClient(this);
			output.push(...(await operations[operation].execute.call(this, itemIndex, api)));
		} catch (error) {
			const nodeError = toNodeError(this.getNode(), error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			const description = (nodeError as { description?: string | null }).description;
			output.push({
				json: { error: nodeError.message, ...(description ? { description } : {}) },
				pairedItem: { item: itemIndex },
			});
		}
	}
	return [output];
}
