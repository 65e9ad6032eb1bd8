import type { IDataObject } from 'n8n-workflow';
import type { RowKind } from '../output/rows';
import { parseIdList } from './sessionQuery';

export type SessionEndpoint = 'sessions/metadata' | 'sessions/responses' | 'sessions/scores' | 'sessions/statuses';

/** One read endpoint: where it is, and the endpoint's own parameters, taken from the node's Options. */
export interface SessionRead {
	endpoint: SessionEndpoint;
	endpointParams(options: IDataObject): Record<string, unknown>;
}

/**
 * The single table of what each kind of session record costs on the wire. The action node's Get operations and the
 * trigger's Output both read it, so an endpoint parameter is set in one place.
 */
function includeSessionMetadata(options: IDataObject): Record<string, unknown> {
	const fields = parseIdList(options.sessionMetadataFields, 'Session Metadata Fields');
	return fields.length ? { include: { 'sessions.session_metadata': fields } } : {};
}

export const SESSION_READS: Record<RowKind, SessionRead> = {
	metadata: { endpoint: 'sessions/metadata', endpointParams: () => ({}) },
	responses: { endpoint: 'sessions/responses', endpointParams: includeSessionMetadata },
	statuses: { endpoint: 'sessions/statuses', endpointParams: includeSessionMetadata },
	scores: {
		endpoint: 'sessions/scores',
		endpointParams: (options) => (options.includeResponseScores === true ? { include_response_scores: true } : {}),
	},
};
