import type { IDataObject, INodeParameters, INodeProperties } from 'n8n-workflow';
import { LearnositySessionsTrigger } from '../../nodes/LearnositySessionsTrigger/LearnositySessionsTrigger.node';
import { DEMO_CONSUMER_SECRET } from '../../dev/emulator/server';
import { useEmulator } from '../harness/emulatorFixture';
import { TriggerUnderTest } from '../harness/n8nWorkflow';
import { iso } from '../../dev/emulator/isoTime';

const { emulator, credentials } = useEmulator(80);

function completeSessions(activityId: string, count: number): string[] {
	const incomplete = emulator.store.all().filter((s) => s.status === 'Incomplete');
	return incomplete.slice(0, count).map((session) => {
		const now = Date.now();
		emulator.store.put({ ...session, activity_id: activityId, status: 'Completed', dt_completed: iso(now) }, now);
		return session.session_id;
	});
}

describe('Learnosity Sessions Trigger in n8n (PollContext, workflow static data)', () => {
	test('activation starts from now; completions then arrive once; manual fetch does not move the cursor', async () => {
		const trigger = new TriggerUnderTest(
			{ event: 'sessionCompleted', output: 'scores', filters: { activityIds: 'algebra-unit-1' } },
			() => credentials(),
		);
		expect(await trigger.poll()).toEqual([]);
		const cursor = JSON.stringify(trigger.staticData);
		expect(cursor).toContain('windowStart');

		const completed = completeSessions('algebra-unit-1', 3);
		completeSessions('reading-check-3', 2);

		const sample = await trigger.poll('manual');
		expect(sample).toHaveLength(1);
		expect(sample[0].json.activity_id).toBe('algebra-unit-1');
		expect(JSON.stringify(trigger.staticData)).toBe(cursor);

		const events = await trigger.poll();
		expect(events.map((item) => item.json.session_id).sort()).toEqual([...completed].sort());
		expect(await trigger.poll()).toEqual([]);
		const stored = trigger.staticData.cursor as { seen: IDataObject };
		expect(Object.keys(stored.seen).sort()).toEqual([...completed].sort());
	});

	test('a failed poll keeps the cursor, so the next poll delivers the events', async () => {
		const trigger = new TriggerUnderTest(
			{ event: 'sessionUpdated', output: 'responses', filters: { activityIds: 'spanish-quiz-4' } },
			() => credentials(),
		);
		await trigger.poll();
		const before = JSON.stringify(trigger.staticData);
		const completed = completeSessions('spanish-quiz-4', 2);
		emulator.failNext('html404');
		await expect(trigger.poll()).rejects.toThrow('Learnosity answered HTTP 404 with a page that is not JSON');
		expect(JSON.stringify(trigger.staticData)).toBe(before);
		const events = await trigger.poll();
		expect(events.map((item) => item.json.session_id).sort()).toEqual([...completed].sort());
		expect(events[0].json.items).toEqual(expect.any(Array));
	});

	test('changing the event or filters starts afresh from now instead of replaying history', async () => {
		const parameters: INodeParameters = {
			event: 'sessionCompleted',
			output: 'metadata',
			filters: { activityIds: 'history-essay-2' },
		};
		const trigger = new TriggerUnderTest(parameters, () => credentials());
		await trigger.poll();
		const activated = JSON.stringify(trigger.staticData);
		const [completed] = completeSessions('history-essay-2', 1);
		const learner = emulator.store.all().find((session) => session.session_id === completed)!.user_id;
		const resumed = (changed: INodeParameters) => {
			const next = new TriggerUnderTest(changed, () => credentials());
			Object.assign(next.staticData, JSON.parse(activated));
			return next;
		};

		// The same event and filters resume from the stored cursor and deliver the completion…
		const same = await resumed(parameters).poll();
		expect(same.map((item) => item.json.session_id)).toEqual([completed]);
		// …filters that also match it start from now instead, with a cursor of their own.
		const retargeted = resumed({ ...parameters, filters: { activityIds: 'history-essay-2', userIds: learner } });
		expect(await retargeted.poll()).toEqual([]);
		const cursorQuery = (data: IDataObject) => (data.cursor as { query: string }).query;
		expect(cursorQuery(retargeted.staticData)).not.toBe(cursorQuery(JSON.parse(activated)));
	});

	test('Session Updated: a change that leaves dt_saved older than the window (a grade) arrives once', async () => {
		const graded = emulator.store.all().find((session) => session.status === 'Completed')!;
		const trigger = new TriggerUnderTest(
			{ event: 'sessionUpdated', output: 'scores', filters: { userIds: graded.user_id } },
			() => credentials(),
		);
		await trigger.poll();
		const now = Date.now();
		emulator.store.put({ ...graded, savedMs: now - 2 * 3600_000 }, now);

		const first = await trigger.poll();
		expect(first.map((item) => [item.json.session_id, item.json.dt_saved])).toEqual([
			[graded.session_id, iso(now - 2 * 3600_000)],
		]);
		// The next window reaches back over the change again: it is remembered, not sent twice.
		expect(await trigger.poll()).toEqual([]);
		expect(await trigger.poll()).toEqual([]);
	});

	test('a wrong secret fails the poll with the 41003 message and no secret in it', async () => {
		const trigger = new TriggerUnderTest({ event: 'sessionCompleted', output: 'scores' }, () =>
			credentials({ consumerSecret: 'not-it' }),
		);
		const failure = await trigger.poll().catch((error: Error) => error);
		expect((failure as Error).message).toContain('41003');
		expect(JSON.stringify(failure)).not.toContain(DEMO_CONSUMER_SECRET);
	});
});

describe('Learnosity Sessions Trigger output formats', () => {
	test('Row gives flat items with the same columns; Row per Response one item per response', async () => {
		for (const [output, outputFormat, activity] of [
			['scores', 'row', 'chemistry-classtest-1'],
			['responses', 'rowPerResponse', 'algebra-unit-2'],
		]) {
			const trigger = new TriggerUnderTest(
				{ event: 'sessionCompleted', output, filters: { activityIds: activity }, options: { outputFormat } },
				() => credentials(),
			);
			await trigger.poll();
			const completed = completeSessions(activity, 2);
			const items = await trigger.poll();
			const sessions = new Set(items.map((item) => item.json.session_id));
			expect(sessions).toEqual(new Set(completed));
			const columns = JSON.stringify(Object.keys(items[0].json));
			expect(items.every((item) => JSON.stringify(Object.keys(item.json)) === columns)).toBe(true);
			if (outputFormat === 'row') expect(items[0].json).toHaveProperty('percent');
			else expect(items.length).toBeGreaterThan(2);
		}
	});

	test('Row per Response with the Scores output is refused naming the field', async () => {
		const trigger = new TriggerUnderTest(
			{ event: 'sessionCompleted', output: 'scores', options: { outputFormat: 'rowPerResponse' } },
			() => credentials(),
		);
		await expect(trigger.poll()).rejects.toThrow('Output Format "rowPerResponse" is not available here');
	});
});

describe('Learnosity Sessions Trigger: manual scoring, upgrades and long ID lists', () => {
	const nowS = () => Math.floor(Date.now() / 1000);
	const incompleteSessions = (count: number) =>
		emulator.store
			.all()
			.filter((s) => s.status === 'Incomplete')
			.slice(0, count);
	const ids = (items: Array<{ json: IDataObject }>) => items.map((item) => String(item.json.session_id)).sort();

	test('a session submitted for manual scoring is emitted once, when graded, with its final score', async () => {
		const trigger = new TriggerUnderTest(
			{ event: 'sessionCompleted', output: 'scores', filters: { activityIds: 'essay-graded-1' } },
			() => credentials(),
		);
		const [waiting, direct] = incompleteSessions(2).map((s) =>
			emulator.store.put({ ...s, activity_id: 'essay-graded-1' }, Date.now()),
		);
		await trigger.poll();
		emulator.store.submitForScoring(waiting.session_id, Date.now());
		emulator.store.put({ ...direct, status: 'Completed', dt_completed: iso(Date.now()) }, Date.now());
		expect(ids(await trigger.poll())).toEqual([direct.session_id]);
		expect((trigger.staticData.cursor as { pending: string[] }).pending).toEqual([waiting.session_id]);
		expect(await trigger.poll()).toEqual([]);
		const graded = emulator.store.grade(waiting.session_id, Date.now(), (max) => max);
		const [event] = await trigger.poll();
		expect(event.json).toMatchObject({
			session_id: graded.session_id,
			status: 'Completed',
			dt_completed: graded.dt_completed,
		});
		expect(event.json.score).toBe(graded.responses.reduce((sum, r) => sum + (r.score ?? 0), 0));
		expect((trigger.staticData.cursor as { pending: string[] }).pending).toEqual([]);
		emulator.store.put({ ...graded, responses: graded.responses.map((r) => ({ ...r, score: 0 })) }, Date.now());
		expect(await trigger.poll()).toEqual([]);
	});

	test('a version 1 cursor keeps working: nothing sent twice, nothing lost, pending sessions learned', async () => {
		const activity = 'upgrade-check-1';
		const [alreadySent, notYetSent, waiting] = incompleteSessions(3).map((s) =>
			emulator.store.put({ ...s, activity_id: activity }, Date.now() - 3600_000),
		);
		emulator.store.submitForScoring(waiting.session_id, Date.now() - 86_400_000);
		const now = nowS();
		const completeAt = (session: typeof alreadySent, atS: number) =>
			emulator.store.put({ ...session, status: 'Completed', dt_completed: iso(atS * 1000) }, atS * 1000);
		completeAt(alreadySent, now - 20);
		completeAt(notYetSent, now - 10);
		const trigger = new TriggerUnderTest(
			{ event: 'sessionCompleted', output: 'scores', filters: { activityIds: activity } },
			() => credentials(),
		);
		// What version 1 stored after its last poll, which emitted `alreadySent`.
		trigger.staticData.cursor = {
			version: 1,
			query: JSON.stringify(['sessionCompleted', { activity_id: [activity] }]),
			windowStart: now - 30,
			seen: { [alreadySent.session_id]: [now - 20, ''] },
		};
		expect(ids(await trigger.poll())).toEqual([notYetSent.session_id]);
		const cursor = trigger.staticData.cursor as { version: number; pending: string[] };
		expect(cursor).toMatchObject({ version: 2, pending: [waiting.session_id] });
		emulator.store.grade(waiting.session_id, Date.now(), () => 1);
		expect(ids(await trigger.poll())).toEqual([waiting.session_id]);
		expect(await trigger.poll()).toEqual([]);
	});

	test('ID filters with more than 1000 IDs: requests in batches of 1000, each matching session once', async () => {
		const students = [...new Set(emulator.store.all().map((s) => s.user_id))].sort();
		const watched = students.slice(0, students.length / 2);
		const userIds = [...Array.from({ length: 2300 }, (_, n) => `nobody-${n}`), ...watched].join(', ');
		for (const event of ['sessionCompleted', 'sessionUpdated'] as const) {
			const trigger = new TriggerUnderTest({ event, output: 'responses', filters: { userIds } }, () => credentials());
			// Activation starts at the API's current second: earlier changes in that second would count as events.
			await new Promise((done) => setTimeout(done, 1100));
			await trigger.poll();
			emulator.log.length = 0;
			const template = emulator.store.all()[0];
			const changed = students.slice(0, 12).map((user, n) =>
				emulator.store.put(
					{
						...template,
						session_id: `${event}-${n}`,
						user_id: user,
						status: 'Completed',
						dt_completed: iso(Date.now()),
					},
					Date.now(),
				),
			);
			const expected = changed.filter((s) => watched.includes(s.user_id)).map((s) => s.session_id);
			expect(expected.length).toBeGreaterThan(0);
			expect(expected.length).toBeLessThan(changed.length);
			const events = await trigger.poll();
			expect(ids(events)).toEqual(expected.sort());
			expect(events.every((item) => Array.isArray(item.json.responses))).toBe(true);
			const sizes = emulator.log
				.filter((entry) => Array.isArray(entry.request?.user_id) && !entry.request?.next)
				.map((entry) => (entry.request!.user_id as string[]).length);
			expect(sizes).toEqual([1000, 1000, 300 + watched.length]);
			expect(emulator.log.every((entry) => entry.status === 200)).toBe(true);
			expect(await trigger.poll()).toEqual([]);
			const [sample] = await trigger.poll('manual');
			expect(watched).toContain(sample.json.user_id);
		}
	});
});

describe('Learnosity Sessions Trigger parameters (saved workflows depend on them)', () => {
	test('names, types, defaults and option values are unchanged', () => {
		const { properties } = new LearnositySessionsTrigger().description;
		const contract = (list: INodeProperties[]): unknown[] =>
			list
				.filter((p) => p.type !== 'notice')
				.map((p) => ({
					name: p.name,
					type: p.type,
					default: p.default,
					values: (p.options ?? []).map((o) => ('value' in o ? o.value : contract([o as INodeProperties]))),
				}));
		expect(contract(properties)).toEqual([
			{ name: 'event', type: 'options', default: 'sessionCompleted', values: ['sessionCompleted', 'sessionUpdated'] },
			{ name: 'output', type: 'options', default: 'scores', values: ['scores', 'responses', 'metadata'] },
			{
				name: 'filters',
				type: 'collection',
				default: {},
				values: [
					[{ name: 'activityIds', type: 'string', default: '', values: [] }],
					[{ name: 'userIds', type: 'string', default: '', values: [] }],
				],
			},
			{
				name: 'options',
				type: 'collection',
				default: {},
				values: [
					[{ name: 'outputFormat', type: 'options', default: 'raw', values: ['raw', 'row', 'rowPerResponse'] }],
					[{ name: 'includeResponseScores', type: 'boolean', default: false, values: [] }],
				],
			},
		]);
	});
});
