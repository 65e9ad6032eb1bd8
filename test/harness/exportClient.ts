import { httpRequest } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions';
import type { IDataObject } from 'n8n-workflow';
import { connectionFromCredentials } from '../../nodes/transport/connection';
import { sendWithN8n } from '../../nodes/transport/httpAdapters';
import { exportSessions, type SessionExport } from '../../nodes/export/sessionExport';
import { DEFAULT_RETRY_POLICY, DataApiTransport, type RetryPolicy } from '../../nodes/transport/dataApiTransport';

/**
 * The most faults in a row one request may meet in a test of faults the retries absorb: one fewer than the attempts.
 * A longer streak is an outage, which tests of its own cover (the export fails with a clear error).
 */
export const ABSORBABLE_FAULTS_IN_A_ROW = DEFAULT_RETRY_POLICY.maxAttempts - 1;

/**
 * The node's export stack (export → pager → transport → n8n's real HTTP helper) with a retry policy the test
 * chooses, so that rate-limit windows and timeouts can be short.
 */
export function exportClient(credentials: IDataObject, policy: Partial<RetryPolicy> = {}) {
	const transport = new DataApiTransport(sendWithN8n(httpRequest), connectionFromCredentials(credentials), {
		...DEFAULT_RETRY_POLICY,
		...policy,
	});
	return {
		transport,
		export: async (request: SessionExport) => await exportSessions(transport, request),
	};
}
