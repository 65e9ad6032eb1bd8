import type { IDataObject, INodeParameters, IPairedItemData } from 'n8n-workflow';
import { DEMO_CONSUMER_SECRET } from '../../dev/emulator/server';
import { useEmulator } from '../harness/emulatorFixture';
import { runSessionsNode } from '../harness/n8nWorkflow';

const { emulator, credentials } = useEmulator(320);

async function run(parameters: INodeParameters, input?: IDataObject[]) {
	const result = await runSessionsNode({ parameters, credentials: credentials(), input });
	expect(result.error).toBeUndefined();
	return result.items;
}

const ids = (records: Array<{ session_id: string }>) => records.map((r) => r.session_id);
const itemIds = (items: Array<{ json: IDataObject }>) => items.map((i) => i.json.session_id);

describe('the three get operations', () => {
	test('Get Scores returns score records, newest first, 50 by default', async () => {
		const items = await run({ operation: 'getScores' });
		expect(itemIds(items)).toEqual(ids(emulator.store.matching({})).slice(0, 50));
		expect(emulator.log[0].endpoint).toBe('sessions/scores');
		expect(items[0].json).toEqual(
			expect.objectContaining({ score: expect.any(Number), max_score: expect.any(Number), status: expect.any(String) }),
		);
		expect(items[0].json).not.toHaveProperty('responses');
		expect(items.every((item) => (item.pairedItem as IPairedItemData).item === 0)).toBe(true);
	});

	test('Get Scores with Include Response Scores adds per-response scores', async () => {
		const items = await run({ operation: 'getScores', limit: 3, options: { includeResponseScores: true } });
		expect(emulator.log[0].request).toEqual({ include_response_scores: true, limit: 3 });
		for (const item of items) {
			expect(item.json.responses).toEqual(
				expect.arrayContaining([
					expect.objectContaining({ response_id: expect.any(String), score: expect.anything() }),
				]),
			);
		}
	});

	test('Get Responses returns responses, items with times, and requested session metadata', async () => {
		const items = await run({
			operation: 'getResponses',
			limit: 5,
			options: { sessionMetadataFields: 'session_tags, not_stored' },
		});
		expect(emulator.log[0].endpoint).toBe('sessions/responses');
		expect(emulator.log[0].request?.include).toEqual({ 'sessions.session_metadata': ['session_tags', 'not_stored'] });
		expect(itemIds(items)).toEqual(ids(emulator.store.matching({})).slice(0, 5));
		for (const { json } of items) {
			expect(json.responses).toEqual(expect.any(Array));
			expect(json.items).toEqual(expect.arrayContaining([expect.objectContaining({ time: expect.any(Number) })]));
			expect(Object.keys(json.session_metadata as IDataObject)).toEqual(['session_tags']);
		}
	});

	test('Get Metadata returns each session’s stored metadata', async () => {
		const items = await run({ operation: 'getMetadata', limit: 4, options: { sort: 'asc' } });
		expect(emulator.log[0].endpoint).toBe('sessions/metadata');
		expect(itemIds(items)).toEqual(ids(emulator.store.matching({ sort: 'asc' })).slice(0, 4));
		for (const { json } of items) {
			expect(Object.keys(json).sort()).toEqual(['metadata', 'session_id', 'user_id']);
			expect((json.metadata as IDataObject).session_tags).toEqual(expect.any(Array));
		}
	});

	test('records are passed on exactly as the API sent them', async () => {
		const [item] = await run({ operation: 'getResponses', limit: 1 });
		const record = emulator.store.page('sessions/responses', { limit: 1 }).data[0];
		expect(item.json).toEqual(record);
	});
});

describe('Limit and Return All', () => {
	test.each([
		[1, [1]],
		[50, [50]],
		[51, [50, 1]],
		[120, [50, 50, 20]],
	])('Limit %i asks for pages of %j and returns exactly that many sessions', async (limit, pages) => {
		const items = await run({ operation: 'getScores', limit });
		expect(items).toHaveLength(limit);
		const walk = emulator.log.filter((entry) => entry.request?.sort !== 'asc');
		expect(walk.map((entry) => entry.request?.limit)).toEqual(pages);
		// After more than one page, one oldest-first read of what was saved since the walk began (nothing, here).
		const savedMeanwhile = emulator.log.filter((entry) => entry.request?.sort === 'asc');
		expect(savedMeanwhile.map((entry) => entry.records)).toEqual(pages.length > 1 ? [0] : []);
		expect(itemIds(items)).toEqual(ids(emulator.store.matching({})).slice(0, limit));
		expect(new Set(itemIds(items)).size).toBe(limit);
	});

	test('Return All follows next until an empty page, in both orders', async () => {
		for (const sort of ['desc', 'asc']) {
			emulator.log.length = 0;
			const items = await run({ operation: 'getScores', returnAll: true, options: { sort } });
			expect(itemIds(items)).toEqual(ids(emulator.store.matching({ sort })));
			expect(items).toHaveLength(320);
			expect(emulator.log).toHaveLength(Math.ceil(320 / 50) + 1);
			expect(emulator.log.at(-1)?.records).toBe(0);
			// Return All walks oldest-first whatever the order asked (so saves during the export are not skipped).
			expect(emulator.log.every((entry) => entry.request?.sort === 'asc')).toBe(true);
			expect(emulator.log.slice(1).every((entry, n) => entry.request?.next !== emulator.log[n].request?.next)).toBe(
				true,
			);
		}
	});

	test('Parallel Requests returns the same sessions in the same order as one after the other', async () => {
		for (const operation of ['getScores', 'getResponses']) {
			const sequential = await run({ operation, returnAll: true, filters: { status: ['Completed'] } });
			emulator.log.length = 0;
			const parallel = await run({
				operation,
				returnAll: true,
				filters: { status: ['Completed'] },
				options: { parallelRequests: 8 },
			});
			expect(parallel.map((i) => i.json)).toEqual(sequential.map((i) => i.json));
			expect(emulator.log.some((entry) => entry.request?.mintime !== undefined)).toBe(true);
		}
	});

	test('a limit beyond what exists returns what exists', async () => {
		const items = await run({ operation: 'getScores', limit: 500, filters: { activityIds: 'spanish-quiz-4' } });
		expect(itemIds(items)).toEqual(ids(emulator.store.matching({ activity_id: ['spanish-quiz-4'] })));
	});
});

describe('filters', () => {
	const sample = () => emulator.store.all()[7];

	test.each([
		['activityIds', () => 'algebra-unit-1, reading-check-3', { activity_id: ['algebra-unit-1', 'reading-check-3'] }],
		[
			'sessionIds',
			() => `${emulator.store.all()[3].session_id}\n${emulator.store.all()[9].session_id}`,
			() => ({ session_id: [emulator.store.all()[3].session_id, emulator.store.all()[9].session_id] }),
		],
		['userIds', () => `${sample().user_id} student-0002`, () => ({ user_id: [sample().user_id, 'student-0002'] })],
		['status', () => ['Pending Scoring', 'Discarded'], { status: ['Pending Scoring', 'Discarded'] }],
	])('%s', async (filter, value, expected) => {
		const params = typeof expected === 'function' ? expected() : expected;
		const items = await run({ operation: 'getScores', returnAll: true, filters: { [filter]: value() } });
		expect(emulator.log[0].request).toEqual({ ...params, sort: 'asc', limit: 50 });
		expect(itemIds(items)).toEqual(ids(emulator.store.matching(params)));
		expect(items.length).toBeGreaterThan(0);
	});

	test.each([
		['updatedAfter', 'updatedBefore', 'mintime', 'maxtime'],
		['startedAfter', 'startedBefore', 'mintime_started', 'maxtime_started'],
		['completedAfter', 'completedBefore', 'mintime_completed', 'maxtime_completed'],
	])('%s / %s become %s / %s', async (after, before, min, max) => {
		const filters = { [after]: '2026-09-01T00:00:00', [before]: '2026-09-15T12:00:00+02:00' };
		const items = await run({ operation: 'getScores', returnAll: true, filters });
		const params = { [min]: '2026-09-01T00:00:00Z', [max]: '2026-09-15T10:00:00Z' };
		expect(emulator.log[0].request).toEqual({ ...params, sort: 'asc', limit: 50 });
		expect(itemIds(items)).toEqual(ids(emulator.store.matching(params)));
		expect(items.length).toBeGreaterThan(0);
		expect(items.length).toBeLessThan(320);
	});

	test("a date without offset is read in the workflow's time zone", async () => {
		const result = await runSessionsNode({
			parameters: { operation: 'getScores', limit: 1, filters: { updatedAfter: '2026-09-01T08:00:00' } },
			credentials: credentials(),
			timezone: 'Europe/Berlin',
		});
		expect(result.error).toBeUndefined();
		expect(emulator.log[0].request?.mintime).toBe('2026-09-01T06:00:00Z');
	});

	test('filters combine', async () => {
		const filters = { activityIds: 'algebra-unit-1', status: ['Completed'], completedAfter: '2026-08-15T00:00:00Z' };
		const items = await run({ operation: 'getResponses', returnAll: true, filters, options: { sort: 'asc' } });
		const params = {
			activity_id: ['algebra-unit-1'],
			status: ['Completed'],
			mintime_completed: '2026-08-15T00:00:00Z',
			sort: 'asc',
		};
		expect(itemIds(items)).toEqual(ids(emulator.store.matching(params)));
		expect(items.length).toBeGreaterThan(3);
		expect(items.every(({ json }) => json.activity_id === 'algebra-unit-1' && json.status === 'Completed')).toBe(true);
	});
});

describe('per-item parameters', () => {
	test('expressions are read for each input item, and outputs pair with their item', async () => {
		const input = [
			{ activity: 'algebra-unit-1', howMany: 3 },
			{ activity: 'history-essay-2', howMany: 2 },
		];
		const items = await run(
			{ operation: 'getScores', limit: '={{ $json.howMany }}', filters: { activityIds: '={{ $json.activity }}' } },
			input,
		);
		expect(items.map((i) => [i.json.activity_id, (i.pairedItem as IPairedItemData).item])).toEqual([
			['algebra-unit-1', 0],
			['algebra-unit-1', 0],
			['algebra-unit-1', 0],
			['history-essay-2', 1],
			['history-essay-2', 1],
		]);
	});

	test('an ID list can come from an expression as an array', async () => {
		const wanted = emulator.store
			.all()
			.slice(0, 3)
			.map((s) => s.session_id);
		const items = await run(
			{ operation: 'getMetadata', returnAll: true, filters: { sessionIds: '={{ $json.ids }}' } },
			[{ ids: wanted }],
		);
		expect(new Set(itemIds(items))).toEqual(new Set(wanted));
	});

	test('Continue On Fail turns one item’s bad input into an error item and keeps the others', async () => {
		const result = await runSessionsNode({
			parameters: { operation: 'getScores', limit: 2, filters: { status: '={{ $json.status }}' } },
			credentials: credentials(),
			input: [{ status: 'Completed' }, { status: 'Finished' }, { status: 'Discarded' }],
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		const summary = result.items.map((i) => [(i.pairedItem as IPairedItemData).item, i.json.status ?? i.json.error]);
		expect(summary).toEqual([
			[0, 'Completed'],
			[0, 'Completed'],
			[1, 'Status "Finished" is not a Learnosity session status'],
			[2, 'Discarded'],
			[2, 'Discarded'],
		]);
		expect(result.items[2].json.description).toContain('Pending Scoring');
	});
});

describe('requests on the wire', () => {
	test('form fields and routing headers as the official SDKs send them; the secret is never sent', async () => {
		await run({ operation: 'getResponses', limit: 60 });
		expect(emulator.log).toHaveLength(3);
		for (const entry of emulator.log) {
			expect(entry.status).toBe(200);
			expect(entry.headers['content-type']).toBe('application/x-www-form-urlencoded');
			expect(entry.headers['x-learnosity-consumer']).toBe('demo-consumer');
			expect(entry.headers['x-learnosity-action']).toBe('get_/sessions/responses');
			expect(entry.headers['x-learnosity-sdk']).toMatch(/^n8n-nodes-learnosity:\d+\.\d+\.\d+$/);
			expect(JSON.stringify(entry)).not.toContain(DEMO_CONSUMER_SECRET);
			expect(Object.keys(entry.security ?? {})).toEqual(['consumer_key', 'domain', 'timestamp', 'signature']);
		}
	});
});
