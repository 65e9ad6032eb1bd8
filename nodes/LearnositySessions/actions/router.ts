import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { checkOutputFormat, shapeRun, type ItemOutput } from '../../output/shapeOutput';
import { dataApiClient } from '../../transport/client';
import { toNodeError } from '../../transport/nodeErrors';
import { operationFor } from './operations';
import { defaultOutputFormat } from './session/common.descriptions';

/**
 * Runs the chosen operation once per input item, then shapes the run's output (raw records or sheet rows). With
 * Continue On Fail an item's error becomes an error item and the other items go on.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const inputs = this.getInputData();
	let operation;
	try {
		operation = operationFor(this.getNodeParameter('operation', 0));
	} catch (error) {
		throw toNodeError(this.getNode(), error, 0);
	}
	if ('executeRun' in operation) {
		try {
			return [await operation.executeRun.call(this, { api: await dataApiClient(this) })];
		} catch (error) {
			throw toNodeError(this.getNode(), error, 0);
		}
	}
	const { rowKind } = operation;
	const fallbackFormat = defaultOutputFormat(this.getNode().typeVersion);
	const outputs: ItemOutput[] = [];
	let api: Awaited<ReturnType<typeof dataApiClient>> | undefined;
	for (let itemIndex = 0; itemIndex < inputs.length; itemIndex++) {
		try {
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			const format = rowKind ? checkOutputFormat(options.outputFormat, rowKind, fallbackFormat) : 'raw';
			api ??= await dataApiClient(this);
			outputs.push({ items: await operation.execute.call(this, { itemIndex, options, api }), format });
		} catch (error) {
			const nodeError = toNodeError(this.getNode(), error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			const description = (nodeError as { description?: string | null }).description;
			const json = { error: nodeError.message, ...(description ? { description } : {}) };
			outputs.push({ items: [{ json, pairedItem: { item: itemIndex } }], format: 'raw' });
		}
	}
	return [rowKind ? shapeRun(rowKind, outputs) : outputs.flatMap((output) => output.items)];
}
