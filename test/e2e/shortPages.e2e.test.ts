import { demoSessions } from '../../dev/emulator/demoData';
import { LearnosityEmulator } from '../../dev/emulator/server';
import { usePackedPackage, N8nInstance, requestedMajors, type Execution } from '../../dev/n8n/n8nInstance';
import { credentials, GOOD_CREDENTIAL, NODE_TYPE } from './workflows';

/*
 * The packed node in a real n8n against an API that returns 5% of its pages short (fewer records than asked for,
 * with more to come): Return All, parallel Return All and a Limit that spans short pages return exactly the ground
 * truth. These exports used to stop early without a word (issue 12).
 */

const SESSIONS = 3000;
const MINIMUM_REQUESTS = Math.ceil(SESSIONS / 50) + 1;
const majors = requestedMajors();
const emulator = new LearnosityEmulator({ sessions: demoSessions({ sessions: SESSIONS }) });
const tarball = usePackedPackage();
let baseUrl: string;

beforeAll(async () => {
	baseUrl = await emulator.start(0, '127.0.0.1');
});
afterAll(async () => await emulator.stop());

const CASES = {
	sequential: { returnAll: true, options: {} },
	parallel: { returnAll: true, options: { parallelRequests: 8 } },
	limit1300: { returnAll: false, limit: 1300, options: {} },
} as const;
type CaseName = keyof typeof CASES;
const workflowId = (name: CaseName) => `e2eLrnShort${name.padEnd(5, '0').slice(0, 5)}`;
const NODE = 'Scores';

function workflow(name: CaseName) {
	return {
		id: workflowId(name),
		name: `Learnosity e2e: short pages, ${name}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'start',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'scores',
				name: NODE,
				type: NODE_TYPE,
				typeVersion: 1,
				position: [300, 0],
				parameters: { operation: 'getScores', filters: {}, ...CASES[name] },
				credentials: { learnosityApi: GOOD_CREDENTIAL },
			},
		],
		connections: { Start: { main: [[{ node: NODE, type: 'main', index: 0 }]] } },
	};
}

describe.each(majors)('n8n %s.x against an API serving 5%% short pages', (major) => {
	let n8n: N8nInstance;
	const runs = new Map<CaseName, { execution: Execution; requests: number; shortPages: number }>();

	beforeAll(async () => {
		n8n = await N8nInstance.create(major, tarball());
		await n8n.importCredentials(credentials(baseUrl));
		const names = Object.keys(CASES) as CaseName[];
		await n8n.importWorkflows(names.map(workflow));
		for (const [n, name] of names.entries()) {
			emulator.serveShortPages(0.05, 500 + n);
			const from = emulator.log.length;
			const execution = await n8n.execute(workflowId(name));
			const log = emulator.log.slice(from);
			const shortPages = log.filter(
				(e) => (e.records ?? 0) > 0 && e.records! < Math.min(50, Number(e.request?.limit)),
			).length;
			runs.set(name, { execution, requests: log.length, shortPages });
		}
		emulator.serveShortPages(0);
	}, 900_000);

	afterAll(() => n8n?.cleanUp());

	test.each(Object.keys(CASES) as CaseName[])('%s returns exactly the ground truth', (name) => {
		const run = runs.get(name)!;
		expect(run.execution.code).toBe(0);
		const records = N8nInstance.items(run.execution, NODE).map((item) => item.json);
		const truth = emulator.store.truth('sessions/scores', {});
		const expected = name === 'limit1300' ? truth.slice(0, 1300) : truth;
		expect(records.length).toBe(expected.length);
		expect(records).toEqual(expected);
		expect(run.shortPages).toBeGreaterThan(0);
		console.info(
			`n8n ${major}.x ${name}: ${records.length}/${expected.length} sessions, ${run.requests} requests ` +
				`(⌈N/50⌉+1 = ${MINIMUM_REQUESTS}), ${run.shortPages} short pages served`,
		);
	});
});
