import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { demoSessions } from '../../dev/emulator/demoData';
import { DEMO_CONSUMER_SECRET, LearnosityEmulator, type RequestLogEntry } from '../../dev/emulator/server';
import {
	usePackedPackage,
	N8nInstance,
	requestedMajors,
	type Execution,
	type ExecutionItem,
} from '../../dev/n8n/n8nInstance';
import {
	BRANCHES,
	credentials,
	mainWorkflow,
	MAIN_WORKFLOW_ID,
	PER_ITEM,
	WRONG_SECRET,
	WRONG_SECRET_NODE,
	WRONG_SECRET_WORKFLOW_ID,
	wrongSecretWorkflow,
} from './workflows';

/*
 * End to end: the packed package installed into a real n8n (each major in E2E_N8N_MAJORS, default "2,1") as a
 * community package, credentials and workflows imported with n8n's CLI, run with `n8n execute`, and the output
 * compared with the emulator's ground truth.
 */

const SESSIONS = 300;
const majors = requestedMajors();
const emulator = new LearnosityEmulator({ sessions: demoSessions({ sessions: SESSIONS }) });
const tarball = usePackedPackage();
let baseUrl: string;

beforeAll(async () => {
	baseUrl = await emulator.start(0, '127.0.0.1');
});

afterAll(async () => await emulator.stop());

const ids = (sessions: Array<{ session_id: string }>) => sessions.map((session) => session.session_id);
const json = (items: ExecutionItem[]) => items.map((item) => item.json);
const pairedIndex = (item: ExecutionItem) =>
	Array.isArray(item.pairedItem) ? item.pairedItem[0]?.item : item.pairedItem?.item;
const groundTruth = (request: Record<string, unknown>) => emulator.store.matching(request);

describe.each(majors)('n8n %s.x runs the packed node', (major) => {
	let n8n: N8nInstance;
	let main: Execution;
	let wrong: Execution;
	let mainRequests: RequestLogEntry[];
	let wrongRequests: RequestLogEntry[];

	beforeAll(async () => {
		n8n = await N8nInstance.create(major, tarball());
		await n8n.importCredentials(credentials(baseUrl));
		await n8n.importWorkflows([mainWorkflow(), wrongSecretWorkflow()]);
		let from = emulator.log.length;
		main = await n8n.execute(MAIN_WORKFLOW_ID);
		mainRequests = emulator.log.slice(from);
		from = emulator.log.length;
		wrong = await n8n.execute(WRONG_SECRET_WORKFLOW_ID);
		wrongRequests = emulator.log.slice(from);
	}, 300_000);

	afterAll(() => n8n?.cleanUp());

	const items = (nodeName: string) => N8nInstance.items(main, nodeName);

	test('the workflow succeeds', () => {
		const error = main.run.data.resultData.error;
		expect({ exit: main.code, status: main.run.status, error: error?.message }).toEqual({
			exit: 0,
			status: 'success',
			error: undefined,
		});
	});

	test('Get Metadata returns exactly the matching sessions, with their stored metadata', () => {
		const expected = groundTruth({ activity_id: ['algebra-unit-1'] });
		const output = json(items(BRANCHES.metadata.name));
		expect(expected.length).toBeGreaterThan(0);
		expect(output).toHaveLength(expected.length);
		expect(ids(output as never)).toEqual(ids(expected));
		expect(output.map((record) => record.metadata)).toEqual(expected.map((session) => session.sessionMetadata));
	});

	test('Get Responses returns exactly the matching sessions, with responses and the requested metadata fields', () => {
		const expected = groundTruth({ activity_id: ['chemistry-classtest-1'] });
		const output = json(items(BRANCHES.responses.name));
		expect(output).toHaveLength(expected.length);
		expect(ids(output as never)).toEqual(ids(expected));
		expect(output.map((record) => (record.responses as unknown[]).length)).toEqual(
			expected.map((session) => session.responses.length),
		);
		expect(output.map((record) => record.session_metadata)).toEqual(
			expected.map((session) => ({ session_tags: session.sessionMetadata.session_tags })),
		);
	});

	test('Get Scores returns exactly the matching sessions, with response scores when asked', () => {
		const expected = groundTruth({ activity_id: ['reading-check-3'] });
		const output = json(items(BRANCHES.scores.name));
		expect(output).toHaveLength(expected.length);
		expect(ids(output as never)).toEqual(ids(expected));
		expect(output.every((record) => record.activity_id === 'reading-check-3' && typeof record.score === 'number')).toBe(
			true,
		);
		expect(output.map((record) => (record.responses as unknown[]).length)).toEqual(
			expected.map((session) => session.responses.length),
		);
	});

	test('activity + status filters with oldest first return the matching sessions in ascending order', () => {
		const expected = groundTruth({
			activity_id: ['algebra-unit-2', 'history-essay-2'],
			status: ['Completed', 'Pending Scoring'],
			sort: 'asc',
		});
		const output = json(items(BRANCHES.filtered.name));
		expect(expected.length).toBeGreaterThan(50);
		expect(output).toHaveLength(expected.length);
		expect(ids(output as never)).toEqual(ids(expected));
	});

	test('Limit 120 returns 120 sessions, fetched as pages of 50, 50 and 20, then what was saved meanwhile', () => {
		const output = json(items(BRANCHES.limit120.name));
		expect(output).toHaveLength(120);
		expect(ids(output as never)).toEqual(ids(groundTruth({}).slice(0, 120)));
		const requests = mainRequests.filter(
			(entry) => entry.endpoint === 'sessions/scores' && entry.request && !('activity_id' in entry.request),
		);
		const sorts = requests.map((entry) => [entry.request?.sort ?? 'desc', entry.request?.limit, entry.records]);
		expect(sorts).toEqual([
			['desc', 50, 50],
			['desc', 50, 50],
			['desc', 20, 20],
			['asc', 50, 0],
		]);
	});

	test('a version 2 node without Output Format outputs flat rows (version 1 nodes above output raw records)', () => {
		const expected = groundTruth({ activity_id: ['spanish-quiz-4'] }).slice(0, 5);
		const output = json(items(BRANCHES.version2.name));
		expect(ids(output as never)).toEqual(ids(expected));
		const columns = JSON.stringify(Object.keys(output[0]));
		for (const row of output) {
			expect(JSON.stringify(Object.keys(row))).toBe(columns);
			expect(row.subscores).toBeUndefined();
			expect(Object.values(row).every((value) => typeof value === 'string' || typeof value === 'number')).toBe(true);
		}
		expect(Object.keys(output[0])).toEqual(expect.arrayContaining(['session_id', 'score', 'max_score', 'percent']));
	});

	test('a version 3 node without Parallel Requests pages Return All several requests at a time, with the same rows', () => {
		const expected = groundTruth({ activity_id: ['chemistry-classtest-1'] });
		const output = json(items(BRANCHES.version3.name));
		expect(ids(output as never)).toEqual(ids(expected));
		expect(output[0].subscores).toBeUndefined();
		const requests = mainRequests.filter(
			(entry) =>
				entry.endpoint === 'sessions/scores' &&
				JSON.stringify(entry.request?.activity_id) === JSON.stringify(['chemistry-classtest-1']),
		);
		// The parallel export's two one-record probes (oldest and newest), then its slices.
		expect(requests.filter((entry) => entry.request?.limit === 1)).toHaveLength(2);
		expect(requests.length).toBeGreaterThan(Math.ceil(expected.length / 50) + 1);
	});

	test('Return All returns every session', () => {
		const output = json(items(BRANCHES.returnAll.name));
		expect(output).toHaveLength(SESSIONS);
		expect(ids(output as never)).toEqual(ids(groundTruth({})));
	});

	test('expressions are evaluated per item: each input item gets its own sessions, paired with it', () => {
		expect(json(items(PER_ITEM.source))).toEqual(PER_ITEM.activities.map((activity) => ({ activity })));
		const output = items(PER_ITEM.name);
		const expected = PER_ITEM.activities.flatMap((activity, item) =>
			ids(groundTruth({ activity_id: [activity], sort: 'asc' })).map((id) => ({ id, item, activity })),
		);
		expect(output).toHaveLength(expected.length);
		expect(
			output.map((entry) => ({
				id: entry.json.session_id,
				item: pairedIndex(entry),
				activity: entry.json.activity_id,
			})),
		).toEqual(expected);
	});

	test('a wrong consumer secret fails the workflow with the 41003 message', () => {
		const error = wrong.run.data.resultData.error;
		expect(wrong.code).not.toBe(0);
		expect(error?.node?.name).toBe(WRONG_SECRET_NODE);
		expect(error?.message).toMatch(/41003/);
		expect(error?.message).toMatch(/consumer secret/i);
		expect(wrongRequests.length).toBeGreaterThan(0);
		expect(wrongRequests.map((entry) => entry.code)).toEqual(wrongRequests.map(() => 41003));
	});

	test("no consumer secret appears in n8n's output or unencrypted in its database", () => {
		const output = n8n.transcript.join('\n');
		expect(output).toContain(MAIN_WORKFLOW_ID);
		for (const secret of [DEMO_CONSUMER_SECRET, WRONG_SECRET]) {
			expect(output.includes(secret)).toBe(false);
			for (const file of readdirSync(join(n8n.workDir, '.n8n')).filter((name) => name.startsWith('database'))) {
				expect(readFileSync(join(n8n.workDir, '.n8n', file)).includes(secret)).toBe(false);
			}
		}
	});
});
