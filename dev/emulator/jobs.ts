import { randomUUID } from 'crypto';
import { ParameterError } from './sessionStore';

export type JobState = 'queued' | 'running' | 'halted' | 'completed';
export const JOB_STATES: JobState[] = ['queued', 'running', 'halted', 'completed'];
const JOB_FIELDS = ['reference', 'type', 'status', 'dt_created', 'dt_completed', 'data'];
const DEFAULT_FIELDS = ['reference', 'type', 'status', 'dt_created', 'dt_completed'];

/** What a finished job did (the shape is the emulator's invention: the vendor does not publish it). */
export interface JobResult {
	updated: number;
	skipped: Array<{ session_id: string; user_id: string; reason: string }>;
}

export interface Job {
	reference: string;
	type: string;
	consumerKey: string;
	entries: unknown[];
	createdMs: number;
	/** When the job stops being queued/running. */
	endsMs: number;
	halts: boolean;
	/** Set once the job has ended; `apply` ran (or, for a halted job, did not). */
	ended?: { state: 'completed' | 'halted'; result?: JobResult };
	apply(atMs: number): JobResult;
}

export interface JobOptions {
	/** How long a job takes: queued for the first half, running for the second. */
	delayMs?: number;
	/** Fraction of jobs that end `halted` and change nothing. */
	haltRate?: number;
}

/** `2015-04-24 01:30:02`: the format of the documented example, UTC. */
const jobDate = (ms: number) =>
	new Date(ms)
		.toISOString()
		.replace('T', ' ')
		.replace(/\.\d{3}Z$/, '');

/** The emulator's job queue: jobs run after a delay, and their effect lands before the next request is answered. */
export class JobStore {
	readonly jobs: Job[] = [];
	delayMs: number;
	haltRate: number;
	/** The next this-many jobs end halted (tests). */
	haltNext = 0;

	constructor(
		options: JobOptions,
		private readonly clock: () => number,
	) {
		this.delayMs = options.delayMs ?? 2000;
		this.haltRate = options.haltRate ?? 0;
	}

	create(consumerKey: string, type: string, entries: unknown[], apply: Job['apply']): Job {
		const createdMs = this.clock();
		const halts = this.haltNext > 0 ? (this.haltNext--, true) : Math.random() < this.haltRate;
		const job: Job = {
			reference: randomUUID(),
			type,
			consumerKey,
			entries,
			createdMs,
			endsMs: createdMs + this.delayMs,
			halts,
			apply,
		};
		this.jobs.push(job);
		return job;
	}

	/** Ends every job whose time has come, applying its effect. */
	settle(): void {
		const now = this.clock();
		for (const job of this.jobs) {
			if (job.ended || job.endsMs > now) continue;
			job.ended = job.halts ? { state: 'halted' } : { state: 'completed', result: job.apply(job.endsMs) };
		}
	}

	stateOf(job: Job): JobState {
		if (job.ended) return job.ended.state;
		return this.clock() < job.createdMs + this.delayMs / 2 ? 'queued' : 'running';
	}

	/** `GET jobs`: the consumer's jobs matching the request, validated like the other endpoints. */
	query(consumerKey: string, request: Record<string, unknown>): Array<Record<string, unknown>> {
		const references = stringList(request, 'references', 1000);
		const states = stringList(request, 'status', 4) ?? ['completed'];
		if (states.some((state) => !JOB_STATES.includes(state as JobState))) {
			throw new ParameterError(20004, 'Invalid value for status');
		}
		const fields = stringList(request, 'include', JOB_FIELDS.length) ?? DEFAULT_FIELDS;
		if (fields.some((field) => !JOB_FIELDS.includes(field))) {
			throw new ParameterError(20004, 'Invalid value for include');
		}
		const limit = request.limit ?? 50;
		if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 50) {
			throw new ParameterError(20003, 'Invalid type for limit: expected an integer from 1 to 50');
		}
		const min = timeBound(request.mintime, 'mintime');
		const max = timeBound(request.maxtime, 'maxtime');
		const wanted = references && new Set(references);
		return this.jobs
			.filter((job) => job.consumerKey === consumerKey && (!wanted || wanted.has(job.reference)))
			.filter((job) => states.includes(this.stateOf(job)))
			.filter((job) => (min === undefined || job.createdMs >= min) && (max === undefined || job.createdMs <= max))
			.slice(0, limit)
			.map((job) => {
				const record: Record<string, unknown> = {
					reference: job.reference,
					type: job.type,
					status: this.stateOf(job),
					dt_created: jobDate(job.createdMs),
					dt_completed: job.ended?.state === 'completed' ? jobDate(job.endsMs) : null,
					data: job.ended?.result ?? null,
				};
				return Object.fromEntries(fields.map((field) => [field, record[field]]));
			});
	}
}

function stringList(request: Record<string, unknown>, name: string, max: number): string[] | undefined {
	const values = request[name];
	if (values === undefined) return undefined;
	if (!Array.isArray(values) || values.some((value) => typeof value !== 'string')) {
		throw new ParameterError(20003, `Invalid type for ${name}: expected an array of strings`);
	}
	if (values.length > max) throw new ParameterError(20002, `Too many values for ${name} (maximum ${max})`);
	return values as string[];
}

function timeBound(value: unknown, name: string): number | undefined {
	if (value === undefined) return undefined;
	if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
	const ms = typeof value === 'string' ? (/^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value)) : NaN;
	if (!Number.isFinite(ms)) throw new ParameterError(20003, `Invalid type for ${name}`);
	return ms;
}
