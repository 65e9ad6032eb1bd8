import { sleep } from 'n8n-workflow';
import type { PageSource } from '../types';
import { LearnosityApiError } from '../transport/errors';
import { jobsByReference, type JobRecord } from './jobRecords';

export interface WaitOptions {
	intervalMs: number;
	maxWaitMs: number;
}

/** How one job ended for the caller: its final record, or the error to report for it. */
export type JobOutcome = { job: JobRecord } | { error: LearnosityApiError };

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

function haltedError(job: JobRecord): LearnosityApiError {
	return new LearnosityApiError(
		`Job ${job.reference} halted: Learnosity stopped it before it completed`,
		'The sessions of this job may be unchanged. Check them (Session → Get Statuses after Update Statuses, Session → Get Metadata after Set Metadata), then run the change again for those it missed.',
	);
}

function timeoutError(reference: string, state: string, maxWaitMs: number): LearnosityApiError {
	return new LearnosityApiError(
		`Job ${reference} did not finish within the Max Wait of ${seconds(maxWaitMs)} (it was ${state})`,
		`The job may still finish. Check it later with Job → Get, reference ${reference}, or raise Max Wait.`,
	);
}

/**
 * Polls the jobs until each is completed or halted, or until `maxWaitMs` has passed. One poll round asks for all
 * unfinished jobs at once (50 per request), so waiting for ten jobs costs one request per round, not ten.
 */
export async function waitForJobs(
	api: PageSource,
	references: string[],
	options: WaitOptions,
	wait: (ms: number) => Promise<void> = sleep,
	clock: () => number = Date.now,
): Promise<Map<string, JobOutcome>> {
	const outcomes = new Map<string, JobOutcome>();
	const lastState = new Map<string, string>(references.map((reference) => [reference, 'not yet visible']));
	const deadline = clock() + options.maxWaitMs;
	for (;;) {
		const pending = references.filter((reference) => !outcomes.has(reference));
		if (!pending.length) return outcomes;
		const remaining = deadline - clock();
		if (remaining <= 0) break;
		await wait(Math.min(options.intervalMs, remaining));
		const jobs = await jobsByReference(api, pending);
		for (const [reference, job] of jobs) {
			lastState.set(reference, job.status);
			if (job.status === 'completed') outcomes.set(reference, { job });
			else if (job.status === 'halted') outcomes.set(reference, { error: haltedError(job) });
		}
	}
	for (const reference of references) {
		if (!outcomes.has(reference)) {
			outcomes.set(reference, { error: timeoutError(reference, lastState.get(reference)!, options.maxWaitMs) });
		}
	}
	return outcomes;
}
