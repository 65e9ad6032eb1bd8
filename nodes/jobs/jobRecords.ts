import { chunks } from '../export/batches';
import type { PageSource } from '../types';
import { LearnosityApiError, LearnosityInputError } from '../transport/errors';

export type JobState = 'queued' | 'running' | 'halted' | 'completed';
/** Every documented state. GET jobs returns only completed jobs unless asked for the others, so always ask for all. */
export const JOB_STATES: JobState[] = ['queued', 'running', 'halted', 'completed'];
export const JOB_FIELDS = ['reference', 'type', 'status', 'dt_created', 'dt_completed', 'data'];
/** `limit` caps a GET jobs answer at 50 and no paging is documented: at most 50 references per request. */
export const MAX_JOBS_PER_REQUEST = 50;

export type JobRecord = Record<string, unknown> & { reference: string; status: JobState };

/** Checks a job record from the API; a state this node does not know is an error that names it, never a guess. */
export function checkJob(record: Record<string, unknown>): JobRecord {
	if (typeof record.reference !== 'string' || !record.reference) {
		throw new LearnosityApiError(
			'Learnosity returned a job without a reference',
			'This node expects every job record to carry its "reference"; the Data API may have changed. Please report it.',
		);
	}
	if (!JOB_STATES.includes(record.status as JobState)) {
		throw new LearnosityApiError(
			`Job ${record.reference} is in the state "${String(record.status)}", which this node does not know`,
			`Known states: ${JOB_STATES.join(', ')}. The Data API may have added one; check the job with Job → Get and report it.`,
		);
	}
	return record as JobRecord;
}

/** The jobs with these references, in any state; unknown references are missing from the map. */
export async function jobsByReference(api: PageSource, references: string[]): Promise<Map<string, JobRecord>> {
	const found = new Map<string, JobRecord>();
	for (const batch of chunks(references, MAX_JOBS_PER_REQUEST)) {
		const page = await api.get('jobs', {
			references: batch,
			status: JOB_STATES,
			include: JOB_FIELDS,
			limit: MAX_JOBS_PER_REQUEST,
		});
		for (const record of page.data) {
			const job = checkJob(record);
			if (batch.includes(job.reference)) found.set(job.reference, job);
		}
	}
	return found;
}

/** Like jobsByReference, but a reference Learnosity does not know is an error naming the field. */
export async function existingJobs(api: PageSource, references: string[], field: string): Promise<JobRecord[]> {
	const found = await jobsByReference(api, references);
	const missing = references.filter((reference) => !found.has(reference));
	if (missing.length) {
		throw new LearnosityInputError(
			field,
			`Learnosity knows no job with the reference ${missing.join(', ')}`,
			'Check the reference. Jobs are visible only to the consumer key that created them, so check the credential too.',
		);
	}
	return references.map((reference) => found.get(reference)!);
}

/**
 * The job reference of a write's answer. Documented for SET metadata as `data.job_reference`; some jobs endpoints
 * answer `data: [{job_reference}]`, so both are read. Anything else is an error, since the job may exist.
 */
export function jobReferenceOf(data: unknown, endpoint: string): string {
	const first = Array.isArray(data) ? (data[0] as unknown) : data;
	const reference = (first as { job_reference?: unknown } | null)?.job_reference;
	if (typeof reference === 'string' && reference) return reference;
	throw new LearnosityApiError(
		`Learnosity accepted the write to ${endpoint} but its answer has no job reference`,
		'The job has probably been created. Find it with Job → Get, "List in a Time Range", before running this again.',
	);
}
