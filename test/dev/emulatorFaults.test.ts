import { LearnosityEmulator } from '../../dev/emulator/server';
import { demoSessions } from '../../dev/emulator/demoData';
import { useEmulator } from '../harness/emulatorFixture';
import { exportClient } from '../harness/exportClient';

/*
 * Seeded faults and short pages are drawn per request, not in arrival order: a seeded test of parallel requests has
 * one outcome, however its requests interleave.
 */

const { emulator, credentials } = useEmulator(300);
const oneAttempt = { maxAttempts: 1, backoffMs: 0 };
const requests = Array.from({ length: 40 }, (_, n) => ({ limit: 1 + n }));

/** Sends the requests in the given order, `parallel` at a time; returns which limit met which answer. */
async function fates(order: typeof requests, parallel: number): Promise<Map<number, string>> {
	const { transport } = exportClient(credentials(), oneAttempt);
	emulator.log.length = 0;
	const queue = [...order];
	const worker = async () => {
		for (let request = queue.shift(); request; request = queue.shift()) {
			await transport.get('sessions/scores', request).catch(() => undefined);
		}
	};
	await Promise.all(Array.from({ length: parallel }, worker));
	return new Map(
		emulator.log.map((entry) => [Number(entry.request?.limit), `${entry.fault ?? 'ok'} ${entry.records ?? ''}`]),
	);
}

test('the same seed gives each request the same fault and page size, in any order and in parallel', async () => {
	emulator.injectFaults(0.3, ['http500', 'truncatedJson'], 5);
	emulator.serveShortPages(0.3, 5);
	const inOrder = await fates(requests, 1);
	emulator.injectFaults(0.3, ['http500', 'truncatedJson'], 5);
	emulator.serveShortPages(0.3, 5);
	const reversedInParallel = await fates([...requests].reverse(), 8);
	expect(reversedInParallel).toEqual(inOrder);
	const answers = [...inOrder.values()];
	expect(answers.filter((answer) => answer.startsWith('http500')).length).toBeGreaterThan(3);
	expect(answers.filter((answer) => answer.startsWith('ok')).length).toBeGreaterThan(20);
	// Some pages came back short: fewer records than the limit asked for, but not none.
	const short = [...inOrder].filter(([limit, answer]) => answer.startsWith('ok') && Number(answer.slice(3)) < limit);
	expect(short.length).toBeGreaterThan(2);
	emulator.serveShortPages(0);
});

test('another seed gives other fates', async () => {
	emulator.injectFaults(0.3, ['http500'], 5);
	const five = await fates(requests, 4);
	emulator.injectFaults(0.3, ['http500'], 6);
	expect(await fates(requests, 4)).not.toEqual(five);
});

test('inARow caps the faults one request meets in a row; a success starts the count again', async () => {
	emulator.injectFaults(1, ['http500'], 1, 2);
	const { transport } = exportClient(credentials(), oneAttempt);
	const answers: string[] = [];
	for (let attempt = 0; attempt < 6; attempt++) {
		answers.push(
			await transport.get('sessions/scores', { limit: 3 }).then(
				(page) => `ok ${page.data.length}`,
				() => 'fault',
			),
		);
	}
	expect(answers).toEqual(['fault', 'fault', 'ok 3', 'fault', 'fault', 'ok 3']);
});

test('without a cap, a request can fail on every attempt (an outage)', async () => {
	const outage = new LearnosityEmulator({ sessions: demoSessions({ sessions: 5 }) });
	const baseUrl = await outage.start();
	try {
		outage.injectFaults(1, ['http500']);
		const { transport } = exportClient(credentials({ baseUrl }), { backoffMs: 0 });
		await expect(transport.get('sessions/scores', { limit: 3 })).rejects.toThrow('gave up after 5 attempts');
		expect(outage.log.map((entry) => entry.status)).toEqual([500, 500, 500, 500, 500]);
	} finally {
		await outage.stop();
	}
});
