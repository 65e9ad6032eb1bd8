import type { IDataObject, INodeParameters } from 'n8n-workflow';
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
		let parameters: INodeParameters = { event: 'sessionCompleted', output: 'metadata' };
		const trigger = new TriggerUnderTest(parameters, () => credentials());
		await trigger.poll();
		completeSessions('history-essay-2', 1);
		parameters = { ...parameters, filters: { userIds: 'student-0001' } };
		const retargeted = new TriggerUnderTest(parameters, () => credentials());
		Object.assign(retargeted.staticData, trigger.staticData);
		expect(await retargeted.poll()).toEqual([]);
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
