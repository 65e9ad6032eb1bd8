import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { waitForJobs, type JobOutcome } from '../../../jobs/waitForJobs';
import {
	fillUserIds,
	writeInBatches,
	type BatchResult,
	type WriteEntry,
	type Writer,
} from '../../../jobs/sessionWrites';
import type { WriteAction } from '../../../transport/dataApiTransport';
import { LearnosityApiError, LearnosityInputError } from '../../../transport/errors';
import { toNodeError } from '../../../transport/nodeErrors';
import { readWaitOptions } from './jobWrites.descriptions';

/** A job-creating operation: where it writes, and how one input item becomes entries. */
export interface JobWrite {
	endpoint: string;
	action: WriteAction;
	listName: string;
	entriesOf(this: IExecuteFunctions, itemIndex: number): WriteEntry[];
}

const paired = (entries: WriteEntry[]): IPairedItemData[] =>
	[...new Set(entries.map((entry) => entry.itemIndex))].map((item) => ({ item }));

/**
 * Drops exact repeats of a session. The same session asked for with different values is the user's to resolve: the
 * later entry is reported through `conflict` and left out.
 */
function withoutRepeats(entries: WriteEntry[], conflict: (error: Error, entry: WriteEntry) => void): WriteEntry[] {
	const seen = new Map<string, WriteEntry>();
	for (const entry of entries) {
		const earlier = seen.get(entry.session_id);
		if (!earlier) seen.set(entry.session_id, entry);
		else if (JSON.stringify(earlier.fields) !== JSON.stringify(entry.fields)) {
			const error = new LearnosityInputError(
				'Session ID',
				`Session ${entry.session_id} is given twice with different values (items ${earlier.itemIndex} and ${entry.itemIndex})`,
				'Each session can be changed once per run: remove the duplicate input item.',
			);
			conflict(error, entry);
		}
	}
	return [...seen.values()];
}

/**
 * The execute of a job-creating operation over the whole input: entries from every item, the learners looked up where
 * missing, batches of 100 written as jobs, optionally waited for. One output item per job, paired with its items.
 */
export function runJobWrite(spec: JobWrite) {
	return async function (this: IExecuteFunctions, { api }: { api: Writer }): Promise<INodeExecutionData[]> {
		const output: INodeExecutionData[] = [];
		const created: string[] = [];
		const fail = (error: unknown, items: IPairedItemData[], extra: IDataObject = {}) => {
			const nodeError = toNodeError(this.getNode(), error, items[0]?.item ?? 0) as Error & { description?: string };
			if (created.length && !this.continueOnFail()) {
				nodeError.description =
					`${nodeError.description ?? ''} Jobs this run had already created: ${created.join(', ')}.`.trim();
			}
			if (!this.continueOnFail()) throw nodeError;
			const description = nodeError.description ? { description: nodeError.description } : {};
			output.push({ json: { error: nodeError.message, ...description, ...extra }, pairedItem: items });
		};
		const inputCount = this.getInputData().length;
		if (inputCount === 0) return output;
		let entries: WriteEntry[] = [];
		for (let itemIndex = 0; itemIndex < inputCount; itemIndex++) {
			try {
				entries.push(...spec.entriesOf.call(this, itemIndex));
			} catch (error) {
				fail(error, [{ item: itemIndex }]);
			}
		}
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		let waitOptions;
		try {
			waitOptions = readWaitOptions(options);
		} catch (error) {
			fail(error, [{ item: 0 }]);
			return output;
		}
		entries = withoutRepeats(entries, (error, entry) => fail(error, [{ item: entry.itemIndex }]));
		const unknown = await fillUserIds(api, entries);
		for (const sessionId of unknown) {
			const items = paired(entries.filter((entry) => entry.session_id === sessionId));
			const error = new LearnosityInputError(
				'Session ID',
				`Learnosity knows no session ${sessionId}`,
				'Check the session ID (and that the credential is for the consumer that owns it), or give the User ID as well.',
			);
			fail(error, items, { session_id: sessionId });
		}
		entries = entries.filter((entry) => !unknown.has(entry.session_id));
		if (!entries.length) return output;
		const batches = await writeInBatches(api, spec, entries, this.continueOnFail());
		for (const batch of batches) if (batch.jobReference) created.push(batch.jobReference);
		// Without Continue On Fail a failed write stops the run at once, naming the jobs already created.
		const failed = batches.find((batch) => batch.error !== undefined);
		if (failed && !this.continueOnFail()) fail(failed.error, paired(failed.entries));
		let outcomes = new Map<string, JobOutcome>();
		try {
			if (waitOptions) outcomes = await waitForJobs(api, created, waitOptions);
		} catch (error) {
			// The writes were made: each job is reported with the wait's failure, each failed write with its own error.
			outcomes = new Map(created.map((reference) => [reference, { error: waitFailed(reference, error) }]));
		}
		for (const batch of batches) emit(batch, outcomes, output, fail);
		return output;
	};
}

function waitFailed(reference: string, error: unknown): LearnosityApiError {
	const reason = error instanceof LearnosityApiError ? `${error.message}. ${error.hint}` : String(error);
	return new LearnosityApiError(
		`Job ${reference} was created, but waiting for it failed`,
		`${reason} Check the job with Job → Get, reference ${reference}, before running the change again.`,
	);
}

function emit(
	batch: BatchResult,
	outcomes: Map<string, JobOutcome>,
	output: INodeExecutionData[],
	fail: (error: unknown, items: IPairedItemData[], extra: IDataObject) => void,
): void {
	const sessionIds = batch.entries.map((entry) => entry.session_id);
	const summary: IDataObject = { session_count: sessionIds.length, session_ids: sessionIds };
	if (!batch.jobReference) return fail(batch.error, paired(batch.entries), summary);
	const outcome = outcomes.get(batch.jobReference);
	summary.job_reference = batch.jobReference;
	if (outcome && 'error' in outcome) return fail(outcome.error, paired(batch.entries), summary);
	const job = { ...outcome?.job } as IDataObject;
	delete job.reference;
	output.push({ json: { job_reference: batch.jobReference, ...job, ...summary }, pairedItem: paired(batch.entries) });
}
