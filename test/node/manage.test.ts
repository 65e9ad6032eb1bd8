import type { IDataObject, INodeParameters, IPairedItemData } from 'n8n-workflow';
import { useEmulator } from '../harness/emulatorFixture';
import { runSessionsNode } from '../harness/n8nWorkflow';
import { STATUS_ROW_COLUMNS } from '../harness/statusRowColumns';

const JOB_DELAY_MS = 400;
const { emulator, credentials } = useEmulator(1300, { jobs: { delayMs: JOB_DELAY_MS } });
const FAST_WAIT = { waitForCompletion: true, pollIntervalSeconds: 0.2, maxWaitSeconds: 20 };

async function run(parameters: INodeParameters, input?: IDataObject[], continueOnFail = false) {
	return await runSessionsNode({ parameters, credentials: credentials(), input, continueOnFail });
}

async function items(parameters: INodeParameters, input?: IDataObject[]) {
	const result = await run(parameters, input);
	expect(result.error).toBeUndefined();
	return result.items;
}

const requestsTo = (endpoint: string) => emulator.log.filter((entry) => entry.endpoint === endpoint);
/** Sessions of one activity in one status, as input items carrying session_id and user_id. */
function sessionsOf(activityId: string, status: string | undefined, count = Infinity): IDataObject[] {
	return emulator.store
		.all()
		.filter((s) => s.activity_id === activityId && (status === undefined || s.status === status))
		.slice(0, count)
		.map(({ session_id, user_id }) => ({ session_id, user_id }));
}

beforeEach(() => {
	emulator.jobs.delayMs = JOB_DELAY_MS;
	emulator.jobs.haltNext = 0;
});

describe('Session → Get Statuses', () => {
	test('returns where each session stands, with the same filters as the other reads', async () => {
		const result = await items({
			operation: 'getStatuses',
			returnAll: true,
			filters: { activityIds: 'algebra-unit-1', status: ['Incomplete'] },
		});
		const truth = emulator.store.matching({ activity_id: ['algebra-unit-1'], status: ['Incomplete'] });
		expect(result.map((item) => item.json.session_id)).toEqual(truth.map((s) => s.session_id));
		expect(requestsTo('sessions/statuses').length).toBe(emulator.log.length);
		for (const { json } of result) {
			expect(json).toEqual(
				expect.objectContaining({
					status: 'Incomplete',
					num_attempted: expect.any(Number),
					dt_started: expect.any(String),
				}),
			);
			expect(json).not.toHaveProperty('responses');
		}
	});

	test('Return All with Parallel Requests: every session once, the same as one after the other', async () => {
		const parallel = await items({ operation: 'getStatuses', returnAll: true, options: { parallelRequests: 6 } });
		const truth = emulator.store.matching({});
		expect(parallel.map((item) => item.json.session_id)).toEqual(truth.map((s) => s.session_id));
		expect(requestsTo('sessions/statuses').length).toBe(emulator.log.length);
	});

	test('Output Format Row gives the same sheet columns for every session', async () => {
		const result = await items({ operation: 'getStatuses', limit: 30, options: { outputFormat: 'row' } });
		expect(result).toHaveLength(30);
		for (const { json } of result) {
			expect(Object.keys(json)).toEqual(STATUS_ROW_COLUMNS);
		}
	});

	test('Session Metadata Fields attaches stored metadata', async () => {
		const [item] = await items({
			operation: 'getStatuses',
			limit: 1,
			options: { sessionMetadataFields: 'session_tags' },
		});
		expect(requestsTo('sessions/statuses')[0].request?.include).toEqual({
			'sessions.session_metadata': ['session_tags'],
		});
		expect((item.json.session_metadata as IDataObject).session_tags).toEqual(expect.any(Array));
	});
});

describe('Session → Update Statuses', () => {
	test('without waiting it returns the job at once; the change lands when the job has run', async () => {
		const [target] = sessionsOf('spanish-quiz-4', 'Incomplete', 1);
		const [job] = await items({ operation: 'updateStatuses', status: 'Discarded' }, [target]);
		expect(Object.keys(job.json).sort()).toEqual(['job_reference', 'session_count', 'session_ids']);
		const readNow = await items({ operation: 'getStatuses', filters: { sessionIds: String(target.session_id) } });
		expect(readNow[0].json.status).toBe('Incomplete');

		const [pending] = await items({ resource: 'job', operation: 'get', jobReferences: String(job.json.job_reference) });
		expect(['queued', 'running']).toContain(pending.json.status);
		await new Promise((resolve) => setTimeout(resolve, JOB_DELAY_MS + 100));
		const [done] = await items({ resource: 'job', operation: 'get', jobReferences: String(job.json.job_reference) });
		expect(done.json).toEqual(expect.objectContaining({ reference: job.json.job_reference, status: 'completed' }));
		const readLater = await items({ operation: 'getStatuses', filters: { sessionIds: String(target.session_id) } });
		expect(readLater[0].json).toEqual(expect.objectContaining({ status: 'Discarded', dt_completed: null }));
	});

	test('a list of session IDs in the field: learners are looked up, 250 IDs go as 100 + 100 + 50', async () => {
		const targets = emulator.store
			.all()
			.filter((s) => s.status === 'Completed')
			.slice(0, 250);
		const result = await items({
			operation: 'updateStatuses',
			sessionIds: targets.map((s) => s.session_id).join(', '),
			userId: '',
			status: 'Incomplete',
			options: FAST_WAIT,
		});
		// The lookup asks for at most as many sessions as there are IDs: 5 pages of 50, no empty last page.
		expect(requestsTo('sessions/statuses').length).toBe(5);
		const writes = requestsTo('jobs/sessions/statuses');
		expect(writes.map((entry) => (entry.request?.statuses as unknown[]).length)).toEqual([100, 100, 50]);
		const sent = writes.flatMap((entry) => entry.request?.statuses as Array<{ session_id: string; user_id: string }>);
		const owners = new Map(targets.map((s) => [s.session_id, s.user_id]));
		expect(sent.every((entry) => owners.get(entry.session_id) === entry.user_id)).toBe(true);
		expect(result.map((item) => item.json.status)).toEqual(['completed', 'completed', 'completed']);
		expect(targets.every((s) => emulator.store.get(s.session_id)!.status === 'Incomplete')).toBe(true);
	});

	test('a user ID that does not match is skipped by the job and reported in its data', async () => {
		const [target] = sessionsOf('history-essay-2', 'Incomplete', 1);
		const [job] = await items({ operation: 'updateStatuses', options: FAST_WAIT }, [
			{ session_id: target.session_id, user_id: 'someone-else' },
		]);
		expect(job.json.data).toEqual({
			updated: 0,
			skipped: [{ session_id: target.session_id, user_id: 'someone-else', reason: 'user_id does not match' }],
		});
		expect(emulator.store.get(target.session_id as string)!.status).toBe('Incomplete');
	});
});

describe('Session → Set Metadata', () => {
	test('replaces the stored metadata with the tags and the JSON keys', async () => {
		const targets = sessionsOf('reading-check-3', 'Completed', 3);
		const result = await items(
			{
				operation: 'setMetadata',
				sessionTags: {
					tag: [
						{ type: 'class', name: '={{ $json.class }}' },
						{ type: 'term', name: '2026-T1' },
					],
				},
				metadataJson: '={{ JSON.stringify({ sis_id: $json.sis }) }}',
				options: FAST_WAIT,
			},
			targets.map((t, n) => ({ ...t, class: `7${'ABC'[n]}`, sis: n })),
		);
		expect(result).toHaveLength(1);
		expect(result[0].json).toEqual(expect.objectContaining({ status: 'completed', session_count: 3 }));
		const read = await items({
			operation: 'getMetadata',
			filters: { sessionIds: targets.map((t) => t.session_id).join(',') },
		});
		const byId = new Map(read.map((item) => [item.json.session_id, item.json.metadata]));
		targets.forEach((t, n) =>
			expect(byId.get(t.session_id)).toEqual({
				sis_id: n,
				session_tags: [
					{ type: 'class', name: `7${'ABC'[n]}` },
					{ type: 'term', name: '2026-T1' },
				],
			}),
		);
		const sent = requestsTo('jobs/sessions/metadata')[0].request?.session_metadata as IDataObject[];
		expect(sent.map((entry) => entry.user_id)).toEqual(targets.map((t) => t.user_id));
	});
});

describe('Job → Get', () => {
	test('lists the jobs created in a time range, in every state', async () => {
		const since = new Date(Date.now() - 1000).toISOString();
		const [target] = sessionsOf('algebra-unit-2', 'Incomplete', 1);
		const [job] = await items({ operation: 'updateStatuses', status: 'Incomplete' }, [target]);
		const listed = await items({ resource: 'job', operation: 'get', mode: 'timeRange', createdAfter: since });
		expect(listed.map((item) => item.json.reference)).toContain(job.json.job_reference);
		expect(requestsTo('jobs').at(-1)?.request?.status).toEqual(['queued', 'running', 'halted', 'completed']);
	});
});

describe('bad input names the field', () => {
	const [one] = [{ session_id: 'x', user_id: 'y' }];
	test.each([
		['unknown status', { operation: 'updateStatuses', status: 'Done' }, [one], 'New Status', /Completed, Incomplete/],
		[
			'Pending Scoring',
			{ operation: 'updateStatuses', status: 'Pending Scoring' },
			[one],
			'New Status',
			/Learnosity only/,
		],
		[
			'empty ID list',
			{ operation: 'updateStatuses', sessionIds: '={{ $json.session_id }}' },
			[{}],
			'Session IDs',
			/session_id/,
		],
		[
			'metadata not an object',
			{ operation: 'setMetadata', metadataJson: '[1,2]' },
			[one],
			'Other Metadata (JSON) must be an object',
			/JSON object/,
		],
		[
			'tag without name',
			{ operation: 'setMetadata', sessionTags: { tag: [{ type: 'class' }] } },
			[one],
			'Session tag 1',
			/type and a name/,
		],
		[
			'unknown job reference',
			{ resource: 'job', operation: 'get', jobReferences: 'no-such-job' },
			[{}],
			'no-such-job',
			/consumer key/,
		],
		[
			'unknown session ID',
			{ operation: 'updateStatuses', sessionIds: 'no-such-session', userId: '' },
			[{}],
			'no-such-session',
			/session ID/,
		],
	])('%s', async (_name, parameters, input, names, fix) => {
		const result = await run(parameters as INodeParameters, input);
		expect(result.error?.message).toContain(names);
		expect(String(result.error?.description)).toMatch(fix);
		expect(requestsTo('jobs/sessions/statuses').length + requestsTo('jobs/sessions/metadata').length).toBe(0);
	});

	test('a session given twice: the same change is sent once; different changes are an error naming it', async () => {
		const [target] = sessionsOf('history-essay-2', undefined, 1);
		const same = await items({ operation: 'updateStatuses', status: '={{ $json.to }}' }, [
			{ ...target, to: 'Incomplete' },
			{ ...target, to: 'Incomplete' },
		]);
		expect(same[0].json.session_count).toBe(1);
		emulator.log.length = 0;
		const differing = await run({ operation: 'updateStatuses', status: '={{ $json.to }}' }, [
			{ ...target, to: 'Incomplete' },
			{ ...target, to: 'Discarded' },
		]);
		expect(differing.error?.message).toContain(
			`Session ${String(target.session_id)} is given twice with different values`,
		);
		expect(requestsTo('jobs/sessions/statuses')).toHaveLength(0);
	});

	test('job polls that keep failing: each job created is an error item naming it (Continue On Fail)', async () => {
		const input = sessionsOf('chemistry-classtest-1', undefined, 150);
		let failing = false;
		emulator.onRequest = () => {
			if (failing || emulator.log.at(-1)?.endpoint !== 'jobs') return;
			failing = true;
			emulator.failNext('http500', 'http500', 'http500', 'http500', 'http500');
		};
		try {
			const result = await run({ operation: 'updateStatuses', options: FAST_WAIT }, input, true);
			expect(result.error).toBeUndefined();
			const writes = requestsTo('jobs/sessions/statuses');
			expect(writes).toHaveLength(2);
			expect(result.items.map((item) => [item.json.error, item.json.session_count])).toEqual([
				[expect.stringMatching(/^Job \S+ was created, but waiting for it failed$/), 100],
				[expect.stringMatching(/^Job \S+ was created, but waiting for it failed$/), 50],
			]);
			const references = emulator.jobs.jobs.slice(-2).map((job) => job.reference);
			expect(result.items.map((item) => item.json.job_reference)).toEqual(references);
			expect(String(result.items[0].json.description)).toContain('Learnosity kept failing: HTTP 500');
			expect(String(result.items[0].json.description)).toContain(`Job → Get, reference ${references[0]}`);
		} finally {
			emulator.onRequest = undefined;
		}
	});

	test('a halted job is a node error, or an error item with Continue On Fail (the other jobs still output)', async () => {
		const input = sessionsOf('chemistry-classtest-1', undefined, 150);
		emulator.jobs.haltNext = 1;
		const failed = await run({ operation: 'updateStatuses', options: FAST_WAIT }, input);
		expect(failed.error?.message).toMatch(/Job .+ halted/);
		expect(String(failed.error?.description)).toMatch(/Jobs this run had already created/);

		emulator.jobs.haltNext = 1;
		const result = await run({ operation: 'updateStatuses', options: FAST_WAIT }, input, true);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(2);
		expect(result.items[0].json).toEqual(
			expect.objectContaining({
				error: expect.stringMatching(/halted/),
				job_reference: expect.any(String),
				session_count: 100,
			}),
		);
		expect(result.items[1].json).toEqual(expect.objectContaining({ status: 'completed', session_count: 50 }));
	});

	test('a wait that times out says the job may still finish, and gives its reference', async () => {
		emulator.jobs.delayMs = 5000;
		const input = sessionsOf('algebra-unit-1', 'Completed', 1);
		const result = await run(
			{
				operation: 'updateStatuses',
				options: { waitForCompletion: true, pollIntervalSeconds: 0.3, maxWaitSeconds: 1 },
			},
			input,
		);
		const reference = emulator.jobs.jobs.at(-1)!.reference;
		expect(result.error?.message).toContain(`Job ${reference} did not finish within the Max Wait of 1 s`);
		expect(String(result.error?.description)).toMatch(new RegExp(`may still finish.*${reference}`));
	});
});

// Last: it completes most of the emulator's sessions.
describe('Session → Update Statuses at scale', () => {
	test('1,000 sessions: exactly 10 write requests of 100, then the job polls; every session ends Completed', async () => {
		const input = emulator.store
			.all()
			.slice(0, 1000)
			.map(({ session_id, user_id }) => ({ session_id, user_id }));
		expect(input).toHaveLength(1000);
		const result = await items({ operation: 'updateStatuses', status: 'Completed', options: FAST_WAIT }, input);

		const writes = requestsTo('jobs/sessions/statuses');
		const polls = requestsTo('jobs');
		expect(writes).toHaveLength(Math.ceil(1000 / 100));
		expect(writes.map((entry) => (entry.request?.statuses as unknown[]).length)).toEqual(Array(10).fill(100));
		expect(emulator.log).toHaveLength(writes.length + polls.length);
		// One poll round asks for all unfinished jobs in one request; the jobs take 400 ms, polls are 200 ms apart.
		expect(polls.length).toBeGreaterThanOrEqual(2);
		expect(polls.length).toBeLessThanOrEqual(6);
		for (const poll of polls) expect((poll.request?.references as string[]).length).toBeLessThanOrEqual(10);
		console.info(`1000-session status update: ${writes.length} write requests, ${polls.length} job polls`);

		expect(result).toHaveLength(10);
		for (const [n, { json, pairedItem }] of result.entries()) {
			expect(json).toEqual(
				expect.objectContaining({ job_reference: expect.any(String), status: 'completed', session_count: 100 }),
			);
			expect(json.data).toEqual({ updated: 100, skipped: [] });
			expect((pairedItem as IPairedItemData[]).map((p) => p.item)).toEqual(
				Array.from({ length: 100 }, (_, i) => n * 100 + i),
			);
		}
		const changed = new Set(input.map((entry) => entry.session_id));
		const after = emulator.store.all().filter((s) => changed.has(s.session_id));
		expect(after.every((s) => s.status === 'Completed' && s.dt_completed)).toBe(true);
	});
});
