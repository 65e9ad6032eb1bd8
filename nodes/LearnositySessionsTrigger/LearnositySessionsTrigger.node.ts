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
import type { SessionRecord } from '../shared/sessionExport';
import { sessionFilterParams } from '../shared/sessionQuery';
import { checkOutputFormat, shapeRun, type OutputFormat } from '../shared/shapeOutput';
import { triggerDescription } from './description';

interface TriggerSettings {
	query: EventQuery;
	format: OutputFormat;
}

function readSettings(context: IPollFunctions): TriggerSettings {
	const filters = context.getNodeParameter('filters', {}) as IDataObject;
	const options = context.getNodeParameter('options', {}) as { includeResponseScores?: boolean; outputFormat?: unknown };
	const output = context.getNodeParameter('output', 'scores') as EventOutput;
	return {
		query: {
			event: context.getNodeParameter('event') as SessionEvent,
			output,
			filters: sessionFilterParams({ activityIds: filters.activityIds, userIds: filters.userIds }, context.getTimezone()),
			includeResponseScores: options.includeResponseScores === true,
		},
		format: checkOutputFormat(options.outputFormat, output),
	};
}

/** The poll's events as items in the chosen format; null when there is nothing to emit. */
function emit(context: IPollFunctions, settings: TriggerSettings, records: SessionRecord[]): INodeExecutionData[][] | null {
	if (!records.length) return null;
	const items = context.helpers.returnJsonArray(records as IDataObject[]);
	return [shapeRun(settings.query.output, [{ items, format: settings.format }])];
}

export class LearnositySessionsTrigger implements INodeType {
	description: INodeTypeDescription = triggerDescription;

	methods = { credentialTest: { learnosityApiTest: testLearnosityCredential } };

	/**
	 * The first poll after activation only sets the cursor to now; later polls emit what happened since. The cursor
	 * is stored only when a poll succeeded, so a failed poll is read again in full by the next one.
	 */
	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		try {
			const settings = readSettings(this);
			const api = await dataApiClient(this);
			if (this.getMode() === 'manual') return emit(this, settings, await latestEvent(api, settings.query));
			const state = this.getWorkflowStaticData('node') as { cursor?: EventCursor };
			if (state.cursor?.version !== 1 || state.cursor.query !== queryKey(settings.query)) {
				state.cursor = await startCursor(api, settings.query);
				return null;
			}
			const { records, cursor } = await pollEvents(api, state.cursor, settings.query);
			const output = emit(this, settings, records);
			state.cursor = cursor;
			return output;
		} catch (error) {
			throw toNodeError(this.getNode(), error, 0);
		}
	}
}
