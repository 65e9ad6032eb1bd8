import { demoSessions } from '../../dev/emulator/demoData';
import { DEMO_CONSUMER_SECRET, LearnosityEmulator, type RequestLogEntry } from '../../dev/emulator/server';
import { usePackedPackage, N8nInstance, requestedMajors, type Execution } from '../../dev/n8n/n8nInstance';
import { credentials, GOOD_CREDENTIAL, NODE_TYPE } from './workflows';
import { STATUS_ROW_COLUMNS } from '../harness/statusRowColumns';

/*
 * The session-management operations in a real n8n (each major in E2E_N8N_MAJORS): Get Statuses → Update Statuses
 * (waiting for the jobs) → Job → Get by reference and in a time range; Set Metadata from items; a Continue On Fail
 * error item; and n8n's own HTTP Request node calling the Data API with the Learnosity credential, which signs it.
 */

const WORKFLOW_ID = 'e2eLrnManageWf01';
const ACTIVITY = 'reading-check-3';
/** Read by the HTTP Request node: an activity no write of the workflow touches, so its order is stable. */
const HTTP_ACTIVITY = 'algebra-unit-2';
const majors = requestedMajors();
const emulator = new LearnosityEmulator({ sessions: demoSessions({ sessions: 300 }), jobs: { delayMs: 1500 } });
const tarball = usePackedPackage();
let baseUrl: string;

beforeAll(async () => {
	baseUrl = await emulator.start(0, '127.0.0.1');
});
afterAll(async () => await emulator.stop());

let nodeId = 1;
const node = (name: string, type: string, typeVersion: number, parameters: Record<string, unknown>, extra = {}) => ({
	id: `e2e-manage-${nodeId++}`,
	name,
	type,
	typeVersion,
	position: [nodeId * 200, 0],
	parameters,
	...extra,
});
const learnosity = (name: string, parameters: Record<string, unknown>, extra = {}) =>
	node(name, NODE_TYPE, 1, parameters, { credentials: { learnosityApi: GOOD_CREDENTIAL }, ...extra });
const link = (...targets: string[]) => ({
	main: [targets.map((target) => ({ node: target, type: 'main', index: 0 }))],
});
const FAST_WAIT = { waitForCompletion: true, pollIntervalSeconds: 0.5, maxWaitSeconds: 60 };

function manageWorkflow(metadataTargets: Array<{ session_id: string; user_id: string }>) {
	const items = JSON.stringify(metadataTargets.map((target, n) => ({ json: { ...target, class: `9${n}` } })));
	return {
		id: WORKFLOW_ID,
		name: 'Learnosity e2e: manage sessions',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			node('Start', 'n8n-nodes-base.manualTrigger', 1, {}),
			learnosity('Open Sessions', {
				resource: 'session',
				operation: 'getStatuses',
				returnAll: true,
				filters: { activityIds: ACTIVITY, status: ['Incomplete'] },
				options: {},
			}),
			learnosity('Close Them', {
				resource: 'session',
				operation: 'updateStatuses',
				status: 'Completed',
				options: FAST_WAIT,
			}),
			learnosity('Job By Reference', {
				resource: 'job',
				operation: 'get',
				jobReferences: '={{ $json.job_reference }}',
			}),
			learnosity(
				'Jobs In Range',
				{
					resource: 'job',
					operation: 'get',
					mode: 'timeRange',
					createdAfter: '={{ $now.minus({ minutes: 10 }).toISO() }}',
				},
				{ executeOnce: true },
			),
			node('Metadata Source', 'n8n-nodes-base.code', 2, { jsCode: `return ${items};` }),
			learnosity('Tag Sessions', {
				resource: 'session',
				operation: 'setMetadata',
				sessionTags: { tag: [{ type: 'class', name: '={{ $json.class }}' }] },
				metadataJson: '{"term": "2026-T1"}',
				options: FAST_WAIT,
			}),
			learnosity(
				'Unknown Session',
				{ resource: 'session', operation: 'updateStatuses', sessionIds: 'no-such-session', userId: '', options: {} },
				{ onError: 'continueRegularOutput' },
			),
			learnosity('Statuses As Rows', {
				resource: 'session',
				operation: 'getStatuses',
				limit: 5,
				filters: {},
				options: { outputFormat: 'row' },
			}),
			node(
				'Signed HTTP Request',
				'n8n-nodes-base.httpRequest',
				4.2,
				{
					method: 'POST',
					url: `${baseUrl}/v2025.2.LTS/sessions/scores`,
					authentication: 'predefinedCredentialType',
					nodeCredentialType: 'learnosityApi',
					sendBody: true,
					contentType: 'form-urlencoded',
					bodyParameters: {
						parameters: [
							{ name: 'action', value: 'get' },
							{ name: 'request', value: `{"activity_id": ["${HTTP_ACTIVITY}"], "limit": 7}` },
						],
					},
					options: {},
				},
				{ credentials: { learnosityApi: GOOD_CREDENTIAL } },
			),
		],
		connections: {
			Start: link('Open Sessions', 'Metadata Source', 'Unknown Session', 'Statuses As Rows', 'Signed HTTP Request'),
			'Open Sessions': link('Close Them'),
			'Close Them': link('Job By Reference'),
			'Job By Reference': link('Jobs In Range'),
			'Metadata Source': link('Tag Sessions'),
		},
	};
}

describe.each(majors)('n8n %s.x: session management', (major) => {
	let n8n: N8nInstance;
	let execution: Execution;
	let requests: RequestLogEntry[];
	const openBefore = emulator.store.matching({ activity_id: [ACTIVITY], status: ['Incomplete'] });
	const metadataTargets = emulator.store
		.all()
		.filter((session) => session.activity_id === 'spanish-quiz-4')
		.slice(0, 3)
		.map(({ session_id, user_id }) => ({ session_id, user_id }));

	beforeAll(async () => {
		n8n = await N8nInstance.create(major, tarball());
		await n8n.importCredentials(credentials(baseUrl));
		await n8n.importWorkflows([manageWorkflow(metadataTargets)]);
		const from = emulator.log.length;
		execution = await n8n.execute(WORKFLOW_ID);
		requests = emulator.log.slice(from);
	}, 300_000);
	afterAll(() => n8n?.cleanUp());

	const items = (name: string) => N8nInstance.items(execution, name).map((item) => item.json);

	test('the workflow succeeds', () => {
		const error = execution.run.data.resultData.error;
		expect({ exit: execution.code, status: execution.run.status, error: error?.message }).toEqual({
			exit: 0,
			status: 'success',
			error: undefined,
		});
	});

	test('Get Statuses → Update Statuses: the open sessions are Completed, in ⌈n/100⌉ jobs that completed', () => {
		if (major !== majors[0]) return; // The first major closed them; later majors find none open.
		expect(openBefore.length).toBeGreaterThan(0);
		expect(items('Open Sessions').map((item) => item.session_id)).toEqual(openBefore.map((s) => s.session_id));
		const writes = requests.filter((request) => request.endpoint === 'jobs/sessions/statuses');
		expect(writes).toHaveLength(Math.ceil(openBefore.length / 100));
		const jobs = items('Close Them');
		expect(jobs.map((job) => job.status)).toEqual(writes.map(() => 'completed'));
		expect(jobs.reduce((sum, job) => sum + Number(job.session_count), 0)).toBe(openBefore.length);
		for (const session of openBefore) expect(emulator.store.get(session.session_id)!.status).toBe('Completed');
	});

	test('Job → Get finds each job by reference and in the time range', () => {
		if (major !== majors[0]) return;
		const references = items('Close Them').map((job) => job.job_reference);
		expect(items('Job By Reference').map((job) => [job.reference, job.status])).toEqual(
			references.map((reference) => [reference, 'completed']),
		);
		const listed = items('Jobs In Range').map((job) => job.reference);
		for (const reference of references) expect(listed).toContain(reference);
	});

	test("Set Metadata replaces each session's metadata with the tags and JSON keys", () => {
		const [job] = items('Tag Sessions');
		expect(job).toEqual(expect.objectContaining({ status: 'completed', session_count: 3 }));
		metadataTargets.forEach((target, n) =>
			expect(emulator.store.get(target.session_id)!.sessionMetadata).toEqual({
				term: '2026-T1',
				session_tags: [{ type: 'class', name: `9${n}` }],
			}),
		);
	});

	test('an unknown session becomes an error item naming it (Continue On Fail)', () => {
		const [item] = items('Unknown Session');
		expect(String(item.error)).toContain('Learnosity knows no session no-such-session');
	});

	test('Get Statuses as rows: the sheet columns', () => {
		const rows = items('Statuses As Rows');
		expect(rows).toHaveLength(5);
		expect(Object.keys(rows[0])).toEqual(STATUS_ROW_COLUMNS);
	});

	test("n8n's HTTP Request node, with the Learnosity credential, gets a signed answer", () => {
		const [answer] = items('Signed HTTP Request');
		const signed = requests.find((request) => request.endpoint === 'sessions/scores' && request.request?.limit === 7);
		expect(signed?.status).toBe(200);
		expect(signed?.security?.signature).toMatch(/^\$02\$[0-9a-f]{64}$/);
		const expected = emulator.store.matching({ activity_id: [HTTP_ACTIVITY] }).slice(0, 7);
		expect((answer.data as Array<{ session_id: string }>).map((record) => record.session_id)).toEqual(
			expected.map((s) => s.session_id),
		);
	});

	test('the consumer secret appears nowhere in the output or logs', () => {
		expect(n8n.transcript.join('\n')).not.toContain(DEMO_CONSUMER_SECRET);
	});
});
