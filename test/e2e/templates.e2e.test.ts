import { demoSessions } from '../../dev/emulator/demoData';
import type { StoredSession } from '../../dev/emulator/model';
import { LearnosityEmulator, type RequestLogEntry } from '../../dev/emulator/server';
import {
	E2E_START,
	type Example,
	type ExampleNode,
	forExecute,
	learnosityNodeOf,
	MAX_WORKFLOW_ID_LENGTH,
	readExamples,
	startsWithLearnosityTrigger,
	unknownNodeTypes,
} from './examples';
import {
	usePackedPackage,
	N8nInstance,
	requestedMajors,
	type Execution,
	type ExecutionItem,
} from '../../dev/n8n/n8nInstance';
import { credentials, GOOD_CREDENTIAL } from './workflows';
import { iso } from '../../dev/emulator/isoTime';

/*
 * Every workflow in examples/ (the demo's examples and the templates), imported into a real n8n (each major in
 * E2E_N8N_MAJORS) and run with `n8n execute`, so that none can rot silently: each Learnosity node is pointed at the
 * emulator, nodes that call other services (Google Sheets, Slack, email) are disabled, a Manual Trigger stands in for
 * a Schedule Trigger, and the Learnosity node's output is compared with the emulator's ground truth for that node's
 * filters. A workflow that starts with the Learnosity trigger cannot run with `n8n execute` (it starts only at a
 * Manual Trigger, and runs a polling node in "cli" mode without polling): trigger.e2e.test.ts activates those.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Which API request parameter each filter of the node becomes, and which session time a date filter bounds. */
const LIST_FILTERS: Record<string, keyof StoredSession> = {
	activityIds: 'activity_id',
	sessionIds: 'session_id',
	userIds: 'user_id',
	status: 'status',
};
const DATE_FILTERS: Record<string, { param: string; time: 'updated' | 'started' | 'completed'; bound: 'min' | 'max' }> =
	{
		updatedAfter: { param: 'mintime', time: 'updated', bound: 'min' },
		updatedBefore: { param: 'maxtime', time: 'updated', bound: 'max' },
		startedAfter: { param: 'mintime_started', time: 'started', bound: 'min' },
		startedBefore: { param: 'maxtime_started', time: 'started', bound: 'max' },
		completedAfter: { param: 'mintime_completed', time: 'completed', bound: 'min' },
		completedBefore: { param: 'maxtime_completed', time: 'completed', bound: 'max' },
	};
const OPERATION_ENDPOINTS: Record<string, string> = {
	getMetadata: 'sessions/metadata',
	getResponses: 'sessions/responses',
	getScores: 'sessions/scores',
};

const listOf = (value: unknown): string[] =>
	Array.isArray(value)
		? value.map(String)
		: String(value)
				.split(/[\s,]+/)
				.filter(Boolean);

function timeOf(session: StoredSession, time: 'updated' | 'started' | 'completed'): number | undefined {
	if (time === 'updated') return session.updatedMs;
	if (time === 'started') return Date.parse(session.dt_started);
	return session.dt_completed ? Date.parse(session.dt_completed) : undefined;
}

/** `$now.minus({ days: 1, hours: 1 })` → its offset in ms; undefined for any other expression. */
function nowMinusMs(expression: string): number | undefined {
	const match = /^=\{\{\s*\$now\.minus\(\{([^}]*)\}\)\.toISO\(\)\s*\}\}$/.exec(expression.trim());
	if (!match) return undefined;
	const units: Record<string, number> = { weeks: 7 * DAY, days: DAY, hours: HOUR, minutes: 60_000 };
	let total = 0;
	for (const part of match[1].split(',')) {
		const [unit, amount] = part.split(':').map((text) => text.trim());
		if (!(unit in units) || !/^\d+$/.test(amount)) return undefined;
		total += Number(amount) * units[unit];
	}
	return total;
}

/**
 * Recent demo data for the templates' date-relative filters (completed in the last 25 hours, started in the last 7
 * days): the demo sessions end now, and a few sessions completed two hours ago or started two days ago and left
 * incomplete make sure those filters match something.
 */
function recentSessions(now: number): StoredSession[] {
	const fresh = demoSessions({ sessions: 16, seed: 4242, endMs: now }).map((session, n) => {
		if (n < 8) {
			const started = now - 3 * HOUR + n * 60_000;
			return {
				...session,
				status: 'Completed' as const,
				dt_started: iso(started),
				dt_completed: iso(started + HOUR),
				updatedMs: started + HOUR,
			};
		}
		const started = now - 2 * DAY + n * 60_000;
		return {
			...session,
			status: 'Incomplete' as const,
			dt_started: iso(started),
			dt_completed: null,
			updatedMs: started + 20 * 60_000,
		};
	});
	return [...demoSessions({ sessions: 600, endMs: now }), ...fresh];
}

const majors = requestedMajors();
const examples = readExamples();
const templates = examples.filter((example) => !startsWithLearnosityTrigger(example));
const emulator = new LearnosityEmulator({ sessions: recentSessions(Date.now()) });
const tarball = usePackedPackage();
let baseUrl: string;

beforeAll(async () => {
	baseUrl = await emulator.start(0, '127.0.0.1');
});

afterAll(async () => await emulator.stop());

test('examples/ has at least six workflows, each with one Learnosity node and only node types the tests know', () => {
	expect(examples.length).toBeGreaterThanOrEqual(6);
	expect(templates.length).toBeGreaterThanOrEqual(5);
	for (const example of examples) {
		const learnosityNodes = example.nodes.filter((node) => node.type.startsWith('n8n-nodes-learnosity.'));
		expect({ file: example.file, learnosityNodes: learnosityNodes.length }).toEqual({
			file: example.file,
			learnosityNodes: 1,
		});
		// A new node type must be classified in examples.ts: kept (runs inside n8n) or disabled (calls an outside service).
		expect({ file: example.file, unknown: unknownNodeTypes(example) }).toEqual({ file: example.file, unknown: [] });
	}
});

// n8n saves a workflow's static data, where the trigger keeps its position, only for ids it considers valid
// (isWorkflowIdValid: at most 16 characters in n8n 1.x, 21 in 2.x); with a longer id a restart would lose it.
test(`every workflow id in examples/ has at most ${MAX_WORKFLOW_ID_LENGTH} characters`, () => {
	expect(examples.filter((example) => example.id.length > MAX_WORKFLOW_ID_LENGTH).map((example) => example.id)).toEqual(
		[],
	);
});

interface Run {
	execution: Execution;
	requests: RequestLogEntry[];
	startedAt: number;
	endedAt: number;
}

describe.each(majors)('n8n %s.x runs every workflow in examples/', (major) => {
	let n8n: N8nInstance;
	const runs = new Map<string, Run>();
	const run = (file: string) => runs.get(file)!;

	beforeAll(async () => {
		n8n = await N8nInstance.create(major, tarball());
		await n8n.importCredentials(credentials(baseUrl));
		await n8n.importWorkflows(templates.map((template) => forExecute(template, GOOD_CREDENTIAL)));
		for (const template of templates) {
			const from = emulator.log.length;
			const startedAt = Date.now();
			const execution = await n8n.execute(template.id);
			runs.set(template.file, { execution, requests: emulator.log.slice(from), startedAt, endedAt: Date.now() });
		}
		const counts = templates.map((template) => {
			const items = run(template.file).execution.run.data.resultData.runData[learnosityNodeOf(template).name]?.[0]?.data
				?.main?.[0];
			return `${template.file.replace(/\.json$/, '')} ${items?.length ?? 'no output'}`;
		});
		process.stderr.write(`[e2e templates n8n ${major}.x] Learnosity node items: ${counts.join(', ')}\n`);
	}, 600_000);

	afterAll(() => n8n?.cleanUp());

	describe.each(templates.map((template): [string, Example] => [template.file, template]))('%s', (_file, template) => {
		const learnosity = learnosityNodeOf(template);
		const templateRun = () => run(template.file);
		const output = () =>
			N8nInstance.items(templateRun().execution, learnosity.name).map((item: ExecutionItem) => item.json);
		/** The first request the node made (its first page): the filters as the API received them. */
		const firstRequest = () => {
			const endpoint = OPERATION_ENDPOINTS[String(learnosity.parameters.operation)];
			const entry = templateRun().requests.find(
				(request) => request.endpoint === endpoint && request.request && !('next' in request.request),
			);
			expect(entry).toBeDefined();
			return entry!.request!;
		};
		const filters = (learnosity.parameters.filters ?? {}) as Record<string, unknown>;
		const options = (learnosity.parameters.options ?? {}) as Record<string, unknown>;

		test('the run succeeds, and every enabled node ran', () => {
			const { execution } = templateRun();
			const error = execution.run.data.resultData.error;
			expect({ exit: execution.code, status: execution.run.status, error: error?.message }).toEqual({
				exit: 0,
				status: 'success',
				error: undefined,
			});
			const ran = Object.keys(execution.run.data.resultData.runData);
			const enabled = forExecute(template, GOOD_CREDENTIAL).nodes.filter(
				// Which of the Schedule Trigger and the Manual Trigger added beside it runs first differs between n8n versions.
				(node: ExampleNode) =>
					!node.disabled &&
					node.name !== E2E_START &&
					!['n8n-nodes-base.stickyNote', 'n8n-nodes-base.scheduleTrigger'].includes(node.type),
			);
			expect(enabled.map((node) => node.name).filter((name) => !ran.includes(name))).toEqual([]);
		});

		test("the node sent the template's filters", () => {
			const request = firstRequest();
			for (const [filter, param] of Object.entries(LIST_FILTERS)) {
				if (filters[filter] === undefined) continue;
				expect({ [param]: request[param] }).toEqual({ [param]: listOf(filters[filter]) });
			}
			for (const [filter, { param }] of Object.entries(DATE_FILTERS)) {
				if (filters[filter] === undefined) continue;
				const sent = Date.parse(String(request[param]));
				expect(Number.isFinite(sent)).toBe(true);
				const offset = typeof filters[filter] === 'string' ? nowMinusMs(filters[filter]) : undefined;
				if (offset === undefined) continue;
				// `$now.minus(…)` was evaluated during the run (whole seconds in the API).
				expect(sent).toBeGreaterThanOrEqual(templateRun().startedAt - offset - 1000);
				expect(sent).toBeLessThanOrEqual(templateRun().endedAt - offset);
			}
		});

		test("the output is the emulator's ground truth for those filters, and every item matches them", () => {
			const request = firstRequest();
			const items = output();
			expect(items.length).toBeGreaterThan(0);
			// The order the node was asked for (Return All walks oldest-first and reverses, so the page requests may differ).
			const sort = options.sort === 'asc' ? 'asc' : 'desc';
			let expected = emulator.store.matching({ ...request, limit: undefined, next: undefined, sort });
			if (learnosity.parameters.returnAll !== true)
				expected = expected.slice(0, Number(learnosity.parameters.limit ?? 50));
			expect(items.map((item) => item.session_id)).toEqual(expected.map((session) => session.session_id));

			for (const item of items) {
				const session = emulator.store.get(String(item.session_id))!;
				expect(session).toBeDefined();
				for (const [filter, field] of Object.entries(LIST_FILTERS)) {
					if (filters[filter] !== undefined) expect(listOf(filters[filter])).toContain(session[field]);
				}
				for (const [filter, { param, time, bound }] of Object.entries(DATE_FILTERS)) {
					if (filters[filter] === undefined) continue;
					const at = timeOf(session, time);
					const limit = Date.parse(String(request[param]));
					expect(at).toBeDefined();
					if (bound === 'min') expect(at!).toBeGreaterThanOrEqual(limit);
					else expect(at!).toBeLessThanOrEqual(limit);
				}
			}
		});

		if (options.outputFormat === 'row') {
			test('Output Format Row: every item has the same keys, in the same order', () => {
				const keys = output().map((item) => Object.keys(item).join(','));
				expect(keys[0]).toMatch(/^session_id,/);
				expect(new Set(keys).size).toBe(1);
			});
		}
	});
});
