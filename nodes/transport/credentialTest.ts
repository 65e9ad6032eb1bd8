import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { credentialTestClient } from './client';
import type { LearnosityCredentialFields } from './connection';
import { LearnosityApiError, LearnosityInputError } from './errors';

/** The credential's Test button: one real signed request for a single scores record, explained when it fails. */
export async function testLearnosityCredential(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	try {
		const client = credentialTestClient(this, (credential.data ?? {}) as LearnosityCredentialFields);
		await client.get('sessions/scores', { limit: 1 });
		return { status: 'OK', message: 'Connection successful: Learnosity accepted the signed request' };
	} catch (error) {
		if (error instanceof LearnosityApiError || error instanceof LearnosityInputError) {
			return { status: 'Error', message: `${error.message}. ${error.hint}` };
		}
		return { status: 'Error', message: `Could not test the credential: ${(error as Error).message}` };
	}
}
