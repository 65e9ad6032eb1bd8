import type { ICredentialTestFunctions, IExecuteFunctions, IPollFunctions } from 'n8n-workflow';
import { connectionFromCredentials, type LearnosityCredentialFields } from './connection';
import { sendWithN8n, sendWithN8nCredentialTest } from './httpAdapters';
import { DataApiTransport, DEFAULT_RETRY_POLICY } from './dataApiTransport';

export const CREDENTIAL_TYPE = 'learnosityApi';

/** The Data API client of one node execution: the credential checked, requests sent through n8n's HTTP helper. */
export async function dataApiClient(context: IExecuteFunctions | IPollFunctions): Promise<DataApiTransport> {
	const fields = (await context.getCredentials(CREDENTIAL_TYPE)) as LearnosityCredentialFields;
	const abortSignal = 'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;
	return new DataApiTransport(sendWithN8n(context.helpers.httpRequest, abortSignal), connectionFromCredentials(fields));
}

export function credentialTestClient(
	context: ICredentialTestFunctions,
	fields: LearnosityCredentialFields,
): DataApiTransport {
	const quickPolicy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 2, maxRateLimitWaits: 1, timeoutMs: 20_000 };
	return new DataApiTransport(
		sendWithN8nCredentialTest(context.helpers.request),
		connectionFromCredentials(fields),
		quickPolicy,
	);
}
