import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { dataApiClient } from '../shared/client';
import { testLearnosityCredential } from '../shared/credentialTest';
import { toNodeError } from '../shared/nodeErrors';
import {
	latestEvent,
	pollEvents,
	queryKey,
	startCursor,
	type EventCursor,
	type EventOutput,
	type EventQuery,
	type SessionEvent,
} from '../shared/sessionEvents';
import { sessionFilterParams } from '../shared/sessionQuery';
import { triggerDescription } from './description';

function readQuery(context: IPollFunctions): EventQuery {
	const filters = context.getNodeParameter('filters', {}) as IDataObject;
	const options = context.getNodeParameter('options', {}) as { includeResponseScores?: boolean };
	return {
		event: context.getNodeParameter('event') as SessionEvent,
		output: context.getNodeParameter('output', 'scores') as EventOutput,
		filters: sessionFilterParams({ activityIds: filters.activityIds, userIds: filters.userIds }, context.getTimezone()),
		includeResponseScores: options.includeResponseScores === true,
	};
}

export class LearnositySessionsTrigger implements INodeType {
	description: INodeTypeDescription = triggerDescription;

	methods = { credentialTest: { learnosityApiTest: testLearnosityCredential } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		try {
			const query = readQuery(this);
			const api = await dataApiClient(this);
			if (this.getMode() === 'manual') {
				const latest = await latestEvent(api, query);
				return latest.length ? [this.helpers.returnJsonArray(latest as IDataObject[])] : null;
			}
			const state = this.getWorkflowStaticData('node') as { cursor?: EventCursor };
			if (state.cursor?.version !== 1 || state.cursor.query !== queryKey(query)) {
				state.cursor = await startCursor(api, query);
				return null;
			}
			const { records, cursor } = await pollEvents(api, state.cursor, query);
			state.cursor = cursor;
			return records.length ? [this.helpers.returnJsonArray(records as IDataObject[])] : null;
		} catch (error) {
			throw toNodeError(this.getNode(), error, 0);
		}
	}
}
