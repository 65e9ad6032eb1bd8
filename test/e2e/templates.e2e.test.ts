import { demoSessions } from '../../dev/emulator/demoData';
import type { StoredSession } from '../../dev/emulator/model';
import { LearnosityEmulator, type RequestLogEntry } from '../../dev/emulator/server';
import { SessionStore } from '../../dev/emulator/sessionStore';
import {
	E2E_START,
	type Example,
	type ExampleNode,
	forExecute,
	learnosityNodeOf,
	MAX_WORKFLOW_ID_LENGTH,
	readExamples,
	signedByLearnosity,
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
	getStatuses: 'sessions/statuses',
};

/** The endpoint a node reads: from its operation, or from the URL of a signed HTTP Request node. */
function endpointOf(node: ExampleNode): string {
	if (signedByLearnosity(node)) return String(node.parameters.url).replace(/^.*?\/v[^/]+\//, '');
	return OPERATION_ENDPOINTS[String(node.parameters.operation)];
}

/** The emulator's sessions as they are now, in their paging order: the ground truth of a run that starts now. */
function snapshotOf(store: SessionStore): SessionStore {
	const sessions = structuredClone(store.all()).sort((a, b) => a.updatedMs - b.updatedMs || a.sequence - b.sequence);
	return new SessionStore(sessions);
}

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
const tarball = usePackedPackage();

test('examples/ has at least eight workflows, each reading Learnosity once first, and only node types the tests know', () => {
	expect(examples.length).toBeGreaterThanOrEqual(8);
	expect(templates.length).toBeGreaterThanOrEqual(7);
	for (const example of examples) {
		const learnosityNodes = example.nodes.filter(
			(node) => node.type.startsWith('n8n-nodes-learnosity.') || signedByLearnosity(node),
		);
		// One reader; only a workflow that acts on what it read (Update Statuses, Set Metadata) has a second node.
		const readers = learnosityNodes.filter(
			(node) => !['updateStatuses', 'setMetadata'].includes(String(node.parameters.operation)),
		);
		expect({ file: example.file, readers: readers.length }).toEqual({ file: example.file, readers: 1 });
		expect(learnosityNodes[0]).toBe(readers[0]);
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
	/** The emulator's sessions just before the run: the ground truth of what the workflow read. */
	before: SessionStore;
	requests: RequestLogEntry[];
	startedAt: number;
	endedAt: number;
}

describe.each(majors)('n8n %s.x runs every workflow in examples/', (major) => {
	let n8n: N8nInstance;
	const runs = new Map<string, Run>();
	const run = (file: string) => runs.get(file)!;
	// Each major gets its own emulator: example 7 closes the open sessions it reads, so a second major sharing the
	// data would find none left to close.
	const emulator = new LearnosityEmulator({ sessions: recentSessions(Date.now()) });
	let baseUrl: string;

	beforeAll(async () => {
		baseUrl = await emulator.start(0, '127.0.0.1');
		n8n = await N8nInstance.create(major, tarball());
		await n8n.importCredentials(credentials(baseUrl));
		await n8n.importWorkflows(templates.map((template) => forExecute(template, GOOD_CREDENTIAL, baseUrl)));
		for (const template of templates) {
			const from = emulator.log.length;
			const before = snapshotOf(emulator.store);
			const startedAt = Date.now();
			const execution = await n8n.execute(template.id);
			const requests = emulator.log.slice(from);
			runs.set(template.file, { execution, before, requests, startedAt, endedAt: Date.now() });
		}
		const counts = templates.map((template) => {
			const items = run(template.file).execution.run.data.resultData.runData[learnosityNodeOf(template).name]?.[0]?.data
				?.main?.[0];
			return `${template.file.replace(/\.json$/, '')} ${items?.length ?? 'no output'}`;
		});
		process.stderr.write(`[e2e templates n8n ${major}.x] Learnosity node items: ${counts.join(', ')}\n`);
	}, 600_000);

	afterAll(async () => {
		n8n?.cleanUp();
		await emulator.stop();
	});

	describe.each(templates.map((template): [string, Example] => [template.file, template]))('%s', (_file, template) => {
		const learnosity = learnosityNodeOf(template);
		const templateRun = () => run(template.file);
		// A signed HTTP Request node outputs Learnosity's envelope; its records are in `data`.
		const output = (): Array<Record<string, unknown>> => {
			const items = N8nInstance.items(templateRun().execution, learnosity.name).map((item: ExecutionItem) => item.json);
			return signedByLearnosity(learnosity)
				? items.flatMap((item) => item.data as Array<Record<string, unknown>>)
				: items;
		};
		/** The first request the node made (its first page): the filters as the API received them. */
		const firstRequest = () => {
			const endpoint = endpointOf(learnosity);
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
			const enabled = forExecute(template, GOOD_CREDENTIAL, baseUrl).nodes.filter(
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
			const { before } = templateRun();
			let expected = before.matching({ ...request, limit: undefined, next: undefined, sort });
			if (learnosity.parameters.returnAll !== true)
				expected = expected.slice(0, Number(learnosity.parameters.limit ?? request.limit ?? 50));
			expect(items.map((item) => item.session_id)).toEqual(expected.map((session) => session.session_id));

			for (const item of items) {
				const session = before.get(String(item.session_id))!;
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

		const update = template.nodes.find((node) => node.parameters.operation === 'updateStatuses');
		if (update) {
			test('Update Statuses: every session the workflow read now has the new status, through jobs it waited for', () => {
				const sessionIds = output().map((item) => String(item.session_id));
				const writes = templateRun().requests.filter((request) => request.endpoint === 'jobs/sessions/statuses');
				expect(writes).toHaveLength(Math.ceil(sessionIds.length / 100));
				const jobs = N8nInstance.items(templateRun().execution, update.name).map((item: ExecutionItem) => item.json);
				expect(jobs.map((job) => job.status)).toEqual(writes.map(() => 'completed'));
				const now = sessionIds.map((id) => emulator.store.get(id)!.status);
				expect(now).toEqual(sessionIds.map(() => update.parameters.status));
			});
		}

		if (options.outputFormat === 'row') {
			test('Output Format Row: every item has the same keys, in the same order', () => {
				const keys = output().map((item) => Object.keys(item).join(','));
				expect(keys[0]).toMatch(/^session_id,/);
				expect(new Set(keys).size).toBe(1);
			});
		}
	});
});
