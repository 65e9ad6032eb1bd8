import { demoSessions } from '../../dev/emulator/demoData';
import { iso } from '../../dev/emulator/isoTime';
import type { StoredSession } from '../../dev/emulator/model';
import { DEMO_CONSUMER_KEY, DEMO_CONSUMER_SECRET, LearnosityEmulator } from '../../dev/emulator/server';
import { requestedMajors, usePackedPackage } from '../../dev/n8n/n8nInstance';
import { QueueCluster } from '../../dev/queue/queueCluster';
import { DeliverySink } from '../harness/deliverySink';
import { credentials, exportWebhookWorkflow, TRIGGER_WORKFLOW_ID, triggerWorkflow } from './workflows';

/*
 * End to end in n8n's queue mode, as an operator runs it, on each major in E2E_N8N_MAJORS: Redis and PostgreSQL
 * (Debian's, throwaway instances), an n8n main process (`EXECUTIONS_MODE=queue`: webhooks and active triggers) and
 * two `n8n worker` processes that run every execution, one at a time each. Active workflows:
 * - a webhook → Get Scores (Return All) export, its activities and Parallel Requests taken from the query;
 * - the Session Completed trigger (every minute) → HTTP Request POSTing each event to a sink in this process.
 * (a) exports started through the webhook run on the workers and answer exactly the emulator's ground truth;
 * (b) the trigger, polling on main, delivers each completion exactly once while its executions run on workers;
 * (c) two parallel exports at once on one consumer key, one per worker, against a tight quota: both exact, every 429
 *     absorbed by the retries (counted from the emulator's log);
 * (d) the same at the real quota (1000 per 5 s) with Parallel Requests 32 on a second emulator holding 20,000
 *     sessions: both exact; the 429s are measured and printed.
 * The trigger's sessions (one activity) and the exports' (the others) never overlap, so the exports' truth holds
 * while sessions complete. n8n polls once a minute: about three minutes after n8n has started.
 */

const MINUTE = 60_000;
const SESSIONS = 2400;
const TRIGGER_ACTIVITY = 'spanish-quiz-4';
const EXPORT_ACTIVITIES = [
	'algebra-unit-1',
	'algebra-unit-2',
	'reading-check-3',
	'chemistry-classtest-1',
	'history-essay-2',
];
const EXPORT_CONSUMER = { key: 'e2e-queue-consumer', secret: 'e2e-queue-secret-91b7' };
const EXPORT_CREDENTIAL = { id: 'e2eLrnQueue00001', name: 'Learnosity emulator (queue exports)' };
const EXPORT_WORKFLOW_ID = 'e2eLrnQueueExp01';
const EXPORT_PATH = 'learnosity-queue-export';
const EVENTS_PATH = '/learnosity-event';
/** Tight enough that two exports at once run into it many times (the real one is 1000 per 5 s). */
const TIGHT_QUOTA = { requests: 30, windowMs: 5000 };
const BIG_SESSIONS = 20_000;
const BIG_CREDENTIAL = { id: 'e2eLrnQueueBig01', name: 'Learnosity emulator (20,000 sessions)' };
const BIG_WORKFLOW_ID = 'e2eLrnQueueBig01';
const BIG_PATH = 'learnosity-queue-big-export';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const ids = (records: Array<Record<string, unknown>>) => records.map((record) => String(record.session_id));

const tarball = usePackedPackage();

/** Records the JSON bodies POSTed to it. */
interface ExportCall {
	activities: string[];
	parallel: number;
	status: number;
	records: Array<Record<string, unknown>>;
	/** What the emulator held for the same query when the export answered. */
	truth: Array<Record<string, unknown>>;
	executionId?: string;
}

describe.each(requestedMajors())('n8n %s.x in queue mode: main + 2 workers, Redis, PostgreSQL', (major) => {
	const emulator = new LearnosityEmulator({
		sessions: demoSessions({ sessions: SESSIONS }),
		consumers: {
			[DEMO_CONSUMER_KEY]: { secret: DEMO_CONSUMER_SECRET, domains: ['localhost'] },
			[EXPORT_CONSUMER.key]: { secret: EXPORT_CONSUMER.secret, domains: ['localhost'] },
		},
	});
	/** A second Data API with many sessions, at the real quota, for (d). */
	const big = new LearnosityEmulator({
		sessions: demoSessions({ sessions: BIG_SESSIONS, seed: 7 }),
		consumers: { [EXPORT_CONSUMER.key]: { secret: EXPORT_CONSUMER.secret, domains: ['localhost'] } },
	});
	let bigPair: ExportCall[] = [];
	let bigMs = 0;
	const sink = new DeliverySink();
	let cluster: QueueCluster | undefined;
	const single: ExportCall[] = [];
	let pair: ExportCall[] = [];
	let pairRequests = 0;
	let pairRateLimited = 0;
	const completed: StoredSession[] = [];
	let executions: Array<{ id: string; workflowId: string; status: string }> = [];

	const exportRequests = (from: number) =>
		emulator.log.slice(from).filter((entry) => entry.security?.consumer_key === EXPORT_CONSUMER.key);

	async function callExport(activities: string[], parallel: number, on = emulator): Promise<ExportCall> {
		const query = new URLSearchParams({ activities: activities.join(','), parallel: String(parallel) });
		const path = on === big ? BIG_PATH : EXPORT_PATH;
		const response = await fetch(`${cluster!.main!.url}/webhook/${path}?${query}`);
		const text = await response.text();
		let records: Array<Record<string, unknown>>;
		try {
			records = JSON.parse(text) as Array<Record<string, unknown>>;
		} catch {
			throw new Error(`The export webhook answered HTTP ${response.status}: ${text.slice(0, 2000)}`);
		}
		const truth = on.store.truth('sessions/scores', { activity_id: activities });
		return { activities, parallel, status: response.status, records, truth };
	}

	/** Completes sessions of the trigger's activity in one millisecond, as learners submitting together do. */
	function complete(count: number): StoredSession[] {
		const at = Date.now();
		const incomplete = emulator.store
			.all()
			.filter((session) => session.activity_id === TRIGGER_ACTIVITY && session.status === 'Incomplete')
			.slice(0, count);
		const done = incomplete.map((session) =>
			emulator.store.put({ ...session, status: 'Completed', dt_completed: iso(at) }, at),
		);
		completed.push(...done);
		return done;
	}

	/** Event polls of the trigger (its consumer key, first page, with a completion window). */
	const eventPolls = () =>
		emulator.log.filter(
			(entry) =>
				entry.security?.consumer_key === DEMO_CONSUMER_KEY &&
				entry.request &&
				'mintime_completed' in entry.request &&
				!('next' in entry.request),
		).length;

	beforeAll(async () => {
		const emulatorUrl = await emulator.start(0, '127.0.0.1');
		const bigUrl = await big.start(0, '127.0.0.1');
		const sinkUrl = await sink.start();
		cluster = await QueueCluster.prepare(major, tarball(), { workers: 2, concurrency: 1 });
		const [good] = credentials(emulatorUrl);
		const exportCredential = {
			...EXPORT_CREDENTIAL,
			type: 'learnosityApi',
			data: { ...good.data, consumerKey: EXPORT_CONSUMER.key, consumerSecret: EXPORT_CONSUMER.secret },
		};
		const bigCredential = {
			...exportCredential,
			...BIG_CREDENTIAL,
			data: { ...exportCredential.data, baseUrl: bigUrl },
		};
		await cluster.n8n.importCredentials([good, exportCredential, bigCredential]);
		await cluster.n8n.importWorkflows([
			triggerWorkflow(`${sinkUrl}${EVENTS_PATH}`),
			exportWebhookWorkflow(EXPORT_WORKFLOW_ID, EXPORT_PATH, EXPORT_CREDENTIAL),
			exportWebhookWorkflow(BIG_WORKFLOW_ID, BIG_PATH, BIG_CREDENTIAL),
		]);
		for (const id of [TRIGGER_WORKFLOW_ID, EXPORT_WORKFLOW_ID, BIG_WORKFLOW_ID]) await cluster.n8n.activate(id);
		// /healthz answers before the active workflows' webhooks are registered: wait for the webhook itself.
		await cluster.start(async (url) => {
			const response = await fetch(`${url}/webhook/${EXPORT_PATH}`, {
				method: 'OPTIONS',
				headers: { origin: 'http://localhost' },
			});
			return (response.headers.get('access-control-allow-methods') ?? '').includes('GET');
		});
		const startedAt = Date.now();
		await cluster.waitFor(
			'the trigger to activate (its first request)',
			() => emulator.log.some((entry) => entry.security?.consumer_key === DEMO_CONSUMER_KEY) || undefined,
			3 * MINUTE,
		);

		// (b) first batch: completed before the next poll.
		complete(3);
		const pollsBefore = eventPolls();

		// (a) exports through the webhook, one after the other, while the trigger polls.
		single.push(await callExport(EXPORT_ACTIVITIES.slice(0, 1), 0));
		single.push(await callExport(EXPORT_ACTIVITIES, 8));

		// (c) two parallel exports at once on one key, against a tight quota.
		emulator.rateLimit = TIGHT_QUOTA;
		const from = emulator.log.length;
		pair = await Promise.all([callExport(EXPORT_ACTIVITIES, 8), callExport(EXPORT_ACTIVITIES, 8)]);
		const requests = exportRequests(from);
		pairRequests = requests.length;
		pairRateLimited = requests.filter((entry) => entry.status === 429).length;
		emulator.rateLimit = { requests: 1000, windowMs: 5000 };

		// (d) two big parallel exports at once on one key, at the real quota.
		const bigStarted = Date.now();
		bigPair = await Promise.all([callExport(EXPORT_ACTIVITIES, 32, big), callExport(EXPORT_ACTIVITIES, 32, big)]);
		bigMs = Date.now() - bigStarted;

		// (b) second batch, after the first was delivered.
		await cluster.waitFor(
			'the first batch of completions to be delivered',
			() => sink.received.length >= 3 || undefined,
			3 * MINUTE,
		);
		expect(eventPolls()).toBeGreaterThan(pollsBefore);
		complete(2);
		await cluster.waitFor(
			'the second batch of completions to be delivered',
			() => sink.received.length >= 5 || undefined,
			3 * MINUTE,
		);
		await sleep(5000); // anything delivered twice arrives within this

		executions = await cluster.executions();
		const exportIds = executions.filter((execution) => execution.workflowId === EXPORT_WORKFLOW_ID).map((e) => e.id);
		[...single, ...pair].forEach((call, n) => (call.executionId = exportIds[n]));
		const bigIds = executions.filter((execution) => execution.workflowId === BIG_WORKFLOW_ID).map((e) => e.id);
		bigPair.forEach((call, n) => (call.executionId = bigIds[n]));
		const bigLimited = big.log.filter((entry) => entry.status === 429).length;
		process.stderr.write(
			`[e2e queue] ${((Date.now() - startedAt) / 1000).toFixed(0)} s; exports ${[...single, ...pair]
				.map((call) => `${call.records.length}/${call.truth.length}`)
				.join(', ')}; two at once: ${pairRequests} requests, ${pairRateLimited} answered 429; ` +
				`trigger delivered ${sink.received.length}/${completed.length}; ` +
				`real quota, two exports of ${bigPair.map((call) => `${call.records.length}/${call.truth.length}`).join(' and ')} ` +
				`at once (parallel 32): ${big.log.length} requests, ${bigLimited} answered 429, ${(bigMs / 1000).toFixed(1)} s; ` +
				`executions by worker ${JSON.stringify(cluster.workerExecutions())}\n`,
		);
	}, 12 * MINUTE);

	afterAll(async () => {
		await cluster?.stop();
		await sink.stop();
		await emulator.stop();
		await big.stop();
	}, 2 * MINUTE);

	const workerOf = (executionId: string | undefined) =>
		cluster!.workerExecutions().find((execution) => execution.executionId === executionId)?.worker;

	test('every execution ran on a worker and succeeded', () => {
		expect(executions.length).toBeGreaterThanOrEqual(single.length + pair.length + bigPair.length + 2);
		expect(executions.filter((execution) => execution.status !== 'success')).toEqual([]);
		const onWorkers = new Set(cluster!.workerExecutions().map((execution) => execution.executionId));
		expect(executions.filter((execution) => !onWorkers.has(execution.id))).toEqual([]);
	});

	test('(a) exports started through the webhook return exactly the ground truth', () => {
		for (const call of single) {
			expect(call.status).toBe(200);
			expect(call.truth.length).toBeGreaterThan(300);
			expect(ids(call.records)).toEqual(ids(call.truth));
			expect(call.records).toEqual(call.truth);
		}
	});

	test('(b) the trigger, polling on main, delivers each completion exactly once', () => {
		expect(completed).toHaveLength(5);
		expect(ids(sink.bodies()).sort()).toEqual(ids(completed as never).sort());
		const triggerRuns = executions.filter((execution) => execution.workflowId === TRIGGER_WORKFLOW_ID);
		expect(triggerRuns.length).toBeGreaterThanOrEqual(2);
		for (const run of triggerRuns) expect(workerOf(run.id)).toBeDefined();
	});

	test('(c) two parallel exports at once on one key, one per worker: both exact, every 429 absorbed', () => {
		for (const call of pair) {
			expect(call.status).toBe(200);
			expect(call.records).toHaveLength(call.truth.length);
			expect(call.records).toEqual(call.truth);
		}
		expect(new Set(pair.map((call) => workerOf(call.executionId)))).toEqual(new Set([1, 2]));
		// The quota was tight for real: the two ran into it, and the retries absorbed every 429.
		expect(pairRateLimited).toBeGreaterThan(0);
		expect(pairRequests).toBeGreaterThan(2 * Math.ceil(pair[0].truth.length / 50));
	});

	test('(d) at the real quota, two big parallel exports at once on one key, one per worker: both exact', () => {
		for (const call of bigPair) {
			expect(call.status).toBe(200);
			expect(call.truth.length).toBeGreaterThan(15_000);
			expect(call.records).toHaveLength(call.truth.length);
			expect(call.records).toEqual(call.truth);
		}
		expect(new Set(bigPair.map((call) => workerOf(call.executionId)))).toEqual(new Set([1, 2]));
	});
});
