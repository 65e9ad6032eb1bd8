import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';
import { LearnosityApiError, LearnosityInputError } from './errors';

/** Turns an error of the Learnosity layers into the n8n error the editor shows, with the fix as its description. */
export function toNodeError(node: INode, error: unknown, itemIndex: number): Error {
	if (error instanceof LearnosityInputError) {
		return new NodeOperationError(node, error.message, { description: error.hint, itemIndex });
	}
	if (error instanceof LearnosityApiError) {
		const response: JsonObject = { message: error.vendorMessage ?? error.message };
		if (error.vendorCode !== undefined) response.code = error.vendorCode;
		return new NodeApiError(node, response, {
			message: error.message,
			description: error.hint,
			httpCode: error.httpCode === undefined ? undefined : String(error.httpCode),
			itemIndex,
		});
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error as Error, { itemIndex });
}
