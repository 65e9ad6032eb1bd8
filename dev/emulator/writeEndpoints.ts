import { iso } from './isoTime';
import type { JobResult, JobStore } from './jobs';
import type { StoredSession } from './model';
import { ParameterError, type SessionStore } from './sessionStore';

/** The endpoints of DATA-API-WRITE.md and the action each one takes. */
export const MANAGE_ENDPOINTS: Record<string, 'get' | 'update' | 'set'> = {
	'sessions/statuses': 'get',
	'jobs/sessions/statuses': 'update',
	'jobs/sessions/metadata': 'set',
	jobs: 'get',
};

export const MAX_WRITE_ENTRIES = 100;
const TARGET_STATUSES = ['Completed', 'Incomplete', 'Discarded'];

export interface ManageAnswer {
	data: unknown;
	next?: string;
}

function entryList(request: Record<string, unknown>, name: string): Array<Record<string, unknown>> {
	const entries = request[name];
	if (entries === undefined) throw new ParameterError(20000, `Missing mandatory parameter ${name}`);
	if (!Array.isArray(entries)) throw new ParameterError(20003, `Invalid type for ${name}: expected an array`);
	if (entries.length === 0) throw new ParameterError(20001, `${name} must not be empty`);
	if (entries.length > MAX_WRITE_ENTRIES) {
		throw new ParameterError(20002, `Too many values for ${name} (maximum ${MAX_WRITE_ENTRIES})`);
	}
	entries.forEach((entry, n) => {
		if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
			throw new ParameterError(20003, `Invalid type for ${name}[${n}]: expected an object`);
		}
		for (const field of ['session_id', 'user_id']) {
			const value = (entry as Record<string, unknown>)[field];
			if (value === undefined) throw new ParameterError(20000, `Missing mandatory parameter ${name}[${n}].${field}`);
			if (typeof value !== 'string') throw new ParameterError(20003, `Invalid type for ${name}[${n}].${field}`);
			if (!value) throw new ParameterError(20001, `${name}[${n}].${field} must not be empty`);
		}
	});
	return entries as Array<Record<string, unknown>>;
}

function checkStatusEntry(entry: Record<string, unknown>, n: number): void {
	if (entry.status === undefined) throw new ParameterError(20000, `Missing mandatory parameter statuses[${n}].status`);
	if (!TARGET_STATUSES.includes(entry.status as string)) {
		throw new ParameterError(20004, `Invalid value for statuses[${n}].status`);
	}
}

function checkMetadataEntry(entry: Record<string, unknown>, n: number): void {
	const metadata = entry.metadata;
	if (metadata === undefined)
		throw new ParameterError(20000, `Missing mandatory parameter session_metadata[${n}].metadata`);
	if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
		throw new ParameterError(20003, `Invalid type for session_metadata[${n}].metadata: expected an object`);
	}
	const tags = (metadata as Record<string, unknown>).session_tags;
	if (tags === undefined) return;
	if (!Array.isArray(tags)) throw new ParameterError(20003, `Invalid type for session_metadata[${n}].session_tags`);
	for (const tag of tags as Array<Record<string, unknown>>) {
		for (const part of ['type', 'name']) {
			if (typeof tag?.[part] !== 'string') throw new ParameterError(20000, `A session tag has no ${part}`);
			if (!(tag[part] as string).length || (tag[part] as string).length > 255) {
				throw new ParameterError(20001, `A session tag's ${part} must be 1 to 255 characters`);
			}
		}
	}
}

/**
 * The four session-management endpoints over the emulator's sessions and jobs. Validation follows the table of
 * DATA-API-WRITE.md; an invalid entry refuses the whole request and creates no job.
 */
export class ManageEndpoints {
	constructor(
		private readonly store: SessionStore,
		private readonly jobs: JobStore,
	) {}

	answer(endpoint: string, request: Record<string, unknown>, consumerKey: string): ManageAnswer {
		switch (endpoint) {
			case 'sessions/statuses':
				return this.statuses(request);
			case 'jobs':
				return { data: this.jobs.query(consumerKey, request) };
			case 'jobs/sessions/statuses': {
				const entries = entryList(request, 'statuses');
				entries.forEach(checkStatusEntry);
				const job = this.jobs.create(consumerKey, 'sessionstatusesupdate', entries, (atMs) =>
					this.applyEach(entries, (session, entry) => this.setStatus(session, entry.status, atMs)),
				);
				return { data: { job_reference: job.reference } };
			}
			case 'jobs/sessions/metadata': {
				const entries = entryList(request, 'session_metadata');
				entries.forEach(checkMetadataEntry);
				const job = this.jobs.create(consumerKey, 'sessionmetadataset', entries, () =>
					this.applyEach(entries, (session, entry) => {
						// In place: a metadata write does not move the session in the paging order.
						session.sessionMetadata = structuredClone(entry.metadata as Record<string, unknown>);
					}),
				);
				return { data: { job_reference: job.reference } };
			}
		}
		throw new ParameterError(20004, `Unknown endpoint ${endpoint}`);
	}

	/** `GET sessions/statuses`: the sessions filters and paging, with the progress fields of each session. */
	private statuses(request: Record<string, unknown>): ManageAnswer {
		const { include, ...query } = request;
		const page = this.store.page('sessions/scores', query);
		const fields = (include as Record<string, unknown> | undefined)?.['sessions.session_metadata'];
		const data = page.data.map((record) => {
			const status: Record<string, unknown> = {};
			for (const key of ['user_id', 'activity_id', 'session_id', 'status', 'num_attempted', 'num_questions']) {
				status[key] = record[key];
			}
			for (const key of ['session_duration', 'dt_started', 'dt_completed', 'dt_saved']) status[key] = record[key];
			if (Array.isArray(fields)) {
				const stored = this.store.get(record.session_id as string)!.sessionMetadata;
				status.session_metadata = Object.fromEntries(
					fields.filter((field) => field in stored).map((field) => [field, stored[field]]),
				);
			}
			return status;
		});
		return { data, next: page.next };
	}

	private applyEach(
		entries: Array<Record<string, unknown>>,
		change: (session: StoredSession, entry: Record<string, unknown>) => void,
	): JobResult {
		const result: JobResult = { updated: 0, skipped: [] };
		for (const entry of entries) {
			const sessionId = entry.session_id as string;
			const userId = entry.user_id as string;
			const session = this.store.get(sessionId);
			const reason = !session ? 'session not found' : session.user_id !== userId ? 'user_id does not match' : '';
			if (reason) result.skipped.push({ session_id: sessionId, user_id: userId, reason });
			else {
				change(session!, entry);
				result.updated++;
			}
		}
		return result;
	}

	private setStatus(session: StoredSession, target: unknown, atMs: number): void {
		const status = target as StoredSession['status'];
		const keepsDate = status === 'Completed' && session.status === 'Completed' && session.dt_completed;
		const dtCompleted = status === 'Completed' ? (keepsDate ? session.dt_completed : iso(atMs)) : null;
		this.store.put({ ...session, status, dt_completed: dtCompleted }, atMs);
	}
}
