import { demoSessions } from '../../dev/emulator/demoData';
import type { StoredSession } from '../../dev/emulator/model';
import {
	DEMO_CONSUMER_KEY,
	DEMO_CONSUMER_SECRET,
	LearnosityEmulator,
	type RequestLogEntry,
} from '../../dev/emulator/server';
import {
	EXTERNAL_NODE_TYPES,
	forServer,
	readExamples,
	standInPath,
	startsWithLearnosityTrigger,
	type Example,
} from './examples';
import { usePackedPackage, N8nInstance, requestedMajors, tail, type N8nServer } from '../../dev/n8n/n8nInstance';
import { credentials, TRIGGER_WORKFLOW_ID, triggerWorkflow } from './workflows';
import { iso } from '../../dev/emulator/isoTime';
import { DeliverySink, type Delivery } from '../harness/deliverySink';

/*
 * End to end, the trigger in a real n8n server (`n8n start`, each major in E2E_N8N_MAJORS), with active workflows:
 * - Learnosity Sessions Trigger (Session Completed, every minute) → HTTP Request that POSTs each event to a sink in
 *   this process;
 * - each workflow in examples/ that starts with the trigger (the Slack template), its outside-service nodes replaced
 *   by POSTs of what they would send (the Slack message) to the same sink. It uses its own consumer key, so the
 *   emulator's log tells its polls apart.
 * Sessions complete in the emulator between polls, several in one second, and a delivered session is re-scored;
 * others are submitted for manual scoring (Pending Scoring) and graded two and three polls later, one pending since
 * before activation. Each workflow must deliver each session that became Completed exactly once — a graded one when
 * graded, with its final score — and nothing else. n8n polls at most once a minute, so this takes about four minutes
 * per major after n8n has started.
 */

const majors = requestedMajors();
const MINUTE = 60_000;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const scoreOf = (session: StoredSession) => session.responses.reduce((sum, response) => sum + (response.score ?? 0), 0);
const maxScoreOf = (session: StoredSession) => session.responses.reduce((sum, response) => sum + response.max_score, 0);
/** A re-score: the first response's score flips between 0 and its maximum, so the session's score changes. */
const rescore = (session: StoredSession): Partial<StoredSession> => ({
	responses: session.responses.map((response, n) =>
		n === 0 ? { ...response, score: response.score === response.max_score ? 0 : response.max_score } : response,
	),
});

const EVENTS_PATH = '/learnosity-event';
const EXAMPLES_CONSUMER = { key: 'e2e-examples-consumer', secret: 'e2e-examples-secret-7d2e' };
const EXAMPLES_CREDENTIAL = { id: 'e2eLrnExamples01', name: 'Learnosity emulator (examples)' };
const triggerExamples = readExamples().filter(startsWithLearnosityTrigger);

const tarball = usePackedPackage();

/**
 * One poll of a trigger as the emulator saw it: the index of its first request in the log, and when. Activation
 * reads the sessions waiting in Pending Scoring; each later poll reads the window of submissions.
 */
interface Poll {
	index: number;
	at: number;
	kind: 'activation' | 'events';
	request: Record<string, unknown>;
}

/** A consumer's trigger requests: the activation's cursor request ({limit: 1}) and each later poll's first page. */
function pollsIn(log: RequestLogEntry[], times: number[], consumerKey: string): Poll[] {
	const polls: Poll[] = [];
	log.forEach((entry, index) => {
		const request = entry.request ?? {};
		if (entry.endpoint !== 'sessions/scores' || 'next' in request || entry.security?.consumer_key !== consumerKey)
			return;
		const poll = { index, at: times[index], request };
		if ('mintime_completed' in request) polls.push({ ...poll, kind: 'events' });
		else if (JSON.stringify(request.status) === '["Pending Scoring"]') polls.push({ ...poll, kind: 'activation' });
	});
	return polls;
}

/** An active workflow under test: whose polls (by consumer key) and which sink paths it delivers to. */
interface Watched {
	label: string;
	consumerKey: string;
	paths: string[];
	example?: Example;
	activation?: Poll;
	firstPoll?: Poll;
	secondPoll?: Poll;
	afterFirstPoll: Delivery[];
	afterSecondPoll: Delivery[];
	/** Deliveries after the poll that followed each grade. */
	afterGrades: Delivery[][];
}

describe.each(majors)('n8n %s.x server: active Session Completed triggers', (major) => {
	const emulator = new LearnosityEmulator({
		sessions: demoSessions({ sessions: 200 }),
		consumers: {
			[DEMO_CONSUMER_KEY]: { secret: DEMO_CONSUMER_SECRET, domains: ['localhost'] },
			[EXAMPLES_CONSUMER.key]: { secret: EXAMPLES_CONSUMER.secret, domains: ['localhost'] },
		},
	});
	/** When each emulator request arrived (the emulator's log has no times). */
	const requestTimes: number[] = [];
	const sink = new DeliverySink();
	let n8n: N8nInstance | undefined;
	let server: N8nServer | undefined;
	let startedAt = 0;

	const watched: Watched[] = [
		{
			label: 'e2e workflow',
			consumerKey: DEMO_CONSUMER_KEY,
			paths: [EVENTS_PATH],
			afterFirstPoll: [],
			afterSecondPoll: [],
			afterGrades: [],
		},
		...triggerExamples.map((example) => ({
			label: example.file,
			consumerKey: EXAMPLES_CONSUMER.key,
			paths: example.nodes
				.filter((node) => EXTERNAL_NODE_TYPES.has(node.type))
				.map((node) => standInPath(example.id, node.name)),
			example,
			afterFirstPoll: [],
			afterSecondPoll: [],
			afterGrades: [],
		})),
	];

	/** What the scenario did, for the tests below. */
	const seen = {
		/** Completed between the activation and the first event poll, all in the same millisecond. */
		firstBatch: [] as StoredSession[],
		/** Completed after the first batch was delivered, in the same millisecond as the re-score. */
		secondBatch: [] as StoredSession[],
		rescored: undefined as StoredSession | undefined,
		/** Submitted for manual scoring before the first poll; graded before the third and the fourth poll. */
		submittedForScoring: [] as StoredSession[],
		/** Waiting in Pending Scoring since before activation; graded before the third poll. */
		pendingBeforeActivation: undefined as StoredSession | undefined,
		/** Each grade as stored (the state the trigger must deliver), in the order of the grades. */
		graded: [] as StoredSession[],
	};

	const polls = (consumerKey: string) => pollsIn(emulator.log, requestTimes, consumerKey);
	const deliveries = (target: Watched) => sink.received.filter((delivery) => target.paths.includes(delivery.path));

	async function waitFor<T>(what: string, check: () => T | undefined, timeoutMs: number): Promise<T> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const value = check();
			if (value !== undefined) return value;
			if (server?.exited) throw new Error(`n8n exited while waiting for ${what}:\n${tail(server.log())}`);
			if (Date.now() > deadline)
				throw new Error(
					`Timed out after ${timeoutMs / 1000} s waiting for ${what}; n8n's log:\n${tail(server?.log() ?? '')}`,
				);
			await sleep(100);
		}
	}

	/** For each workflow, its next event poll after log index `after`, once `sessions` deliveries per path arrived. */
	async function nextPolls(after: number, sessions: number): Promise<Poll[]> {
		const found = await Promise.all(
			watched.map(async (target) => {
				const poll = await waitFor(
					`the next poll of ${target.label}`,
					() => polls(target.consumerKey).find((p) => p.kind === 'events' && p.index > after),
					2 * MINUTE,
				);
				const expected = sessions * target.paths.length;
				await waitFor(
					`${expected} deliveries of ${target.label}`,
					() => (deliveries(target).length >= expected ? true : undefined),
					30_000,
				);
				return poll;
			}),
		);
		await sleep(3000); // anything sent twice would arrive within this
		return found;
	}

	/** Changes stored sessions and saves them at one instant (`at`), as a learner's save or a re-score does. */
	function save(sessions: StoredSession[], at: number, change: (session: StoredSession) => Partial<StoredSession>) {
		return sessions.map((session) => emulator.store.put({ ...session, ...change(session) }, at));
	}

	const complete = (sessions: StoredSession[], at: number) =>
		save(sessions, at, () => ({ status: 'Completed', dt_completed: iso(at) }));

	beforeAll(async () => {
		emulator.onRequest = () => (requestTimes[emulator.log.length - 1] = Date.now());
		const emulatorUrl = await emulator.start(0, '127.0.0.1');
		const sinkUrl = await sink.start();
		n8n = await N8nInstance.create(major, tarball());
		const [good] = credentials(emulatorUrl);
		const examplesCredential = {
			...EXAMPLES_CREDENTIAL,
			type: 'learnosityApi',
			data: { ...good.data, consumerKey: EXAMPLES_CONSUMER.key, consumerSecret: EXAMPLES_CONSUMER.secret },
		};
		await n8n.importCredentials([good, examplesCredential]);
		await n8n.importWorkflows([
			triggerWorkflow(`${sinkUrl}${EVENTS_PATH}`),
			...triggerExamples.map((example) => forServer(example, EXAMPLES_CREDENTIAL, sinkUrl)),
		]);
		for (const id of [TRIGGER_WORKFLOW_ID, ...triggerExamples.map((example) => example.id)]) await n8n.activate(id);
		startedAt = Date.now();
		server = await n8n.startServer();

		for (const target of watched) {
			target.activation = await waitFor(
				`the activation poll of ${target.label}`,
				() => polls(target.consumerKey).find((p) => p.kind === 'activation'),
				3 * MINUTE,
			);
		}
		const incomplete = emulator.store.all().filter((session) => session.status === 'Incomplete');
		const oldCompleted = emulator.store.all().find((session) => session.status === 'Completed')!;
		seen.pendingBeforeActivation = emulator.store.all().find((session) => session.status === 'Pending Scoring');
		expect(incomplete.length).toBeGreaterThanOrEqual(8);
		expect(seen.pendingBeforeActivation).toBeDefined();

		// Before the first event poll: three sessions complete in the same millisecond. Not events: a session completed
		// long ago is re-scored, an incomplete one is saved.
		let now = Date.now();
		seen.firstBatch = complete(incomplete.slice(0, 3), now);
		save([oldCompleted], now, rescore);
		save([incomplete[5]], now, () => ({}));
		// Two learners submit answers a teacher must score: not events until graded.
		seen.submittedForScoring = incomplete.slice(6, 8).map((s) => emulator.store.submitForScoring(s.session_id, now));
		let after = emulator.log.length - 1;
		(await nextPolls(after, 3)).forEach((poll, n) => {
			watched[n].firstPoll = poll;
			watched[n].afterFirstPoll = deliveries(watched[n]);
		});

		// Before the second: a delivered session is re-scored, two more complete in the same millisecond.
		now = Date.now();
		[seen.rescored] = save([seen.firstBatch[0]], now, rescore);
		seen.secondBatch = complete(incomplete.slice(3, 5), now);
		after = emulator.log.length - 1;
		(await nextPolls(after, 5)).forEach((poll, n) => {
			watched[n].secondPoll = poll;
			watched[n].afterSecondPoll = deliveries(watched[n]);
		});

		// Before the third poll, the teacher grades one of them and one that waited since before activation; before
		// the fourth, the other one, and re-scores the first graded session.
		const grade = (session: StoredSession) =>
			emulator.store.grade(session.session_id, Date.now(), (max) => Math.max(1, max - 1));
		seen.graded.push(grade(seen.submittedForScoring[0]), grade(seen.pendingBeforeActivation!));
		after = emulator.log.length - 1;
		(await nextPolls(after, 7)).forEach((_poll, n) => watched[n].afterGrades.push(deliveries(watched[n])));
		seen.graded.push(grade(seen.submittedForScoring[1]));
		save([emulator.store.get(seen.graded[0].session_id)!], Date.now(), rescore);
		after = emulator.log.length - 1;
		(await nextPolls(after, 8)).forEach((_poll, n) => watched[n].afterGrades.push(deliveries(watched[n])));

		for (const target of watched) {
			const timeline = polls(target.consumerKey)
				.map((p) => `${p.kind} +${((p.at - startedAt) / 1000).toFixed(1)} s`)
				.join(', ');
			process.stderr.write(
				`[e2e trigger n8n ${major}.x] ${target.label}: polls ${timeline}; deliveries ${deliveries(target).length}\n`,
			);
		}
	}, 12 * MINUTE);

	afterAll(async () => {
		await server?.stop();
		await sink.stop();
		await emulator.stop();
		n8n?.cleanUp();
	}, MINUTE);

	const deliveredIds = (list: Delivery[]) => list.map((delivery) => String(delivery.body.session_id));
	const idsOf = (sessions: StoredSession[]) => sessions.map((session) => session.session_id);
	/** Each session that became Completed, in the state it had when it did. */
	const completedNow = () =>
		new Map([...seen.firstBatch, ...seen.secondBatch, ...seen.graded].map((session) => [session.session_id, session]));

	test('examples/ has a workflow that starts with the trigger (the Slack template), run here', () => {
		expect(triggerExamples.length).toBeGreaterThanOrEqual(1);
		for (const target of watched.slice(1)) expect(target.paths.length).toBeGreaterThan(0);
	});

	test('nothing reaches the sink but the expected paths', () => {
		const paths = new Set(watched.flatMap((target) => target.paths));
		expect(sink.received.map((delivery) => delivery.path).filter((path) => !paths.has(path))).toEqual([]);
	});

	describe.each(watched.map((target): [string, Watched] => [target.label, target]))('%s', (_label, target) => {
		test('activation only sets the cursor: nothing completed before it is delivered', () => {
			expect(target.activation).toBeDefined();
			const expected = completedNow();
			expect(deliveredIds(deliveries(target)).filter((id) => !expected.has(id))).toEqual([]);
		});

		test('the first poll delivers the three sessions completed in the same second, each once', () => {
			for (const path of target.paths) {
				const atPath = target.afterFirstPoll.filter((delivery) => delivery.path === path);
				expect(deliveredIds(atPath).sort()).toEqual(idsOf(seen.firstBatch).sort());
			}
		});

		test('across two polls, every completed session is delivered exactly once and nothing else: not the re-scored one again', () => {
			expect(target.secondPoll!.at - target.firstPoll!.at).toBeGreaterThanOrEqual(50_000);
			for (const path of target.paths) {
				const atPath = target.afterSecondPoll.filter((delivery) => delivery.path === path);
				expect(deliveredIds(atPath).sort()).toEqual(idsOf([...seen.firstBatch, ...seen.secondBatch]).sort());
				const second = atPath.filter((delivery) => !target.afterFirstPoll.includes(delivery));
				expect(deliveredIds(second).sort()).toEqual(idsOf(seen.secondBatch).sort());
			}
		});

		test('sessions graded after waiting in Pending Scoring are delivered once each, in the poll after their grade, not before, not again after a re-score', () => {
			for (const path of target.paths) {
				const at = (list: Delivery[]) => deliveredIds(list.filter((delivery) => delivery.path === path));
				const [afterFirstGrades, afterLastGrade] = target.afterGrades;
				const waiting = idsOf([...seen.submittedForScoring, seen.pendingBeforeActivation!]);
				expect(at(target.afterSecondPoll).filter((id) => waiting.includes(id))).toEqual([]);
				expect(at(afterFirstGrades.slice(target.afterSecondPoll.length)).sort()).toEqual(
					idsOf(seen.graded.slice(0, 2)).sort(),
				);
				expect(at(afterLastGrade.slice(afterFirstGrades.length))).toEqual(idsOf(seen.graded.slice(2)));
				const all = at(deliveries(target));
				expect(all.sort()).toEqual(idsOf([...seen.firstBatch, ...seen.secondBatch, ...seen.graded]).sort());
			}
		});

		test('the second poll read the re-scored session again (its window covers it) and did not emit it', () => {
			const windowStart = Date.parse(String(target.secondPoll!.request.mintime_completed));
			expect(windowStart).toBeLessThanOrEqual(Date.parse(seen.rescored!.dt_completed!));
			const pages = emulator.log
				.slice(target.secondPoll!.index)
				.filter((entry) => entry.endpoint === 'sessions/scores' && entry.security?.consumer_key === target.consumerKey);
			expect(pages.reduce((sum, entry) => sum + (entry.records ?? 0), 0)).toBeGreaterThanOrEqual(3 + 2);
			expect(scoreOf(seen.rescored!)).not.toBe(scoreOf(seen.firstBatch[0]));
		});

		if (!target.example) {
			test('each delivery is the scores record, with the score it had when it was delivered', () => {
				const completed = completedNow();
				for (const { body } of deliveries(target)) {
					const session = completed.get(String(body.session_id))!;
					expect(body).toMatchObject({
						user_id: session.user_id,
						activity_id: session.activity_id,
						status: 'Completed',
						dt_completed: session.dt_completed,
						max_score: maxScoreOf(session),
					});
				}
				expect(target.afterFirstPoll.map((d) => [d.body.session_id, d.body.score]).sort()).toEqual(
					seen.firstBatch.map((session) => [session.session_id, scoreOf(session)]).sort(),
				);
				// A graded session carries the score the grade gave it (the first one was re-scored after delivery).
				const gradedIds = new Set(idsOf(seen.graded));
				expect(
					deliveries(target)
						.filter((d) => gradedIds.has(String(d.body.session_id)))
						.map((d) => [d.body.session_id, d.body.score])
						.sort(),
				).toEqual(seen.graded.map((session) => [session.session_id, scoreOf(session)]).sort());
			});
		} else {
			test('each message (what the outside-service node would send) names the learner, the activity and the score', () => {
				const completed = completedNow();
				const firstScores = new Map(seen.firstBatch.map((session) => [session.session_id, scoreOf(session)]));
				for (const { body } of deliveries(target)) {
					const session = completed.get(String(body.session_id))!;
					const score = firstScores.get(session.session_id) ?? scoreOf(session);
					const texts = Object.entries(body).filter(([name]) => name !== 'session_id');
					expect(texts.length).toBeGreaterThan(0);
					const text = texts.map(([, value]) => String(value)).join('\n');
					expect(text).toContain(session.user_id);
					expect(text).toContain(session.activity_id);
					expect(text).toContain(`${score}/${maxScoreOf(session)}`);
					expect(text).not.toMatch(/undefined|\[object Object\]/);
				}
			});
		}
	});
});
