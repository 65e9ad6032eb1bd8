import type { Fault } from '../../dev/emulator/server';
import { DataApiTransport, type HttpSend } from '../../nodes/transport/dataApiTransport';
import { useEmulator } from '../harness/emulatorFixture';
import { runSessionsNode } from '../harness/n8nWorkflow';

const { emulator, credentials } = useEmulator(40, { jobs: { delayMs: 200 } });
const writes = () => emulator.log.filter((entry) => entry.endpoint === 'jobs/sessions/statuses');

async function updateOne() {
	const { session_id, user_id } = emulator.store.all()[0];
	return await runSessionsNode({
		parameters: { operation: 'updateStatuses', status: 'Completed' },
		credentials: credentials(),
		input: [{ session_id, user_id }],
	});
}

describe('a write is retried only when Learnosity cannot have applied it', () => {
	test.each<[Fault, number]>([
		['rateLimited', 2],
		['clockSkew', 2],
	])(
		'%s: refused before processing, so sent again — one job in the end',
		async (fault, requests) => {
			const jobsBefore = emulator.jobs.jobs.length;
			emulator.failNext(fault);
			const result = await updateOne();
			expect(result.error).toBeUndefined();
			expect(writes()).toHaveLength(requests);
			expect(emulator.jobs.jobs.length - jobsBefore).toBe(1);
			expect(result.items[0].json.job_reference).toBe(emulator.jobs.jobs.at(-1)!.reference);
		},
		30_000,
	);

	test.each<Fault>(['http500', 'reset', 'truncatedJson', 'http502Html'])(
		'%s: the job may exist, so no retry; the error says how to check',
		async (fault) => {
			const jobsBefore = emulator.jobs.jobs.length;
			emulator.failNext(fault);
			const result = await updateOne();
			expect(writes()).toHaveLength(1);
			// The emulator draws the fault after the job exists: a retry here would have made a second job.
			expect(emulator.jobs.jobs.length - jobsBefore).toBe(1);
			expect(result.error?.message).toMatch(/may or may not have applied.*not retried/);
			expect(String(result.error?.description)).toMatch(/Job → Get, "List in a Time Range", created after \d{4}-/);
		},
		30_000,
	);
});

describe('the transport on its own', () => {
	const connection = {
		consumerKey: 'k',
		consumerSecret: 's',
		domain: 'localhost',
		versionUrl: 'http://127.0.0.1:9/v2025.2.LTS',
	};
	const policy = { maxAttempts: 3, backoffMs: 1, rateLimitWindowMs: 1, maxRateLimitWaits: 2, timeoutMs: 1000 };
	const ok = { statusCode: 200, body: JSON.stringify({ meta: { status: true }, data: { job_reference: 'j1' } }) };
	const failing = (code: string) => Object.assign(new Error(code), { code });
	/** A transport whose every request fails with `code`, and the count of requests it sent. */
	const alwaysFailing = (code: string) => {
		const counter = { sent: 0 };
		const send: HttpSend = async () => {
			counter.sent++;
			throw failing(code);
		};
		return { counter, transport: new DataApiTransport(send, connection, policy, async () => undefined) };
	};

	test('connection refused (nothing sent) is retried; a timeout is not', async () => {
		const attempts: string[] = [];
		const refusedOnce: HttpSend = async () => {
			attempts.push('x');
			if (attempts.length === 1) throw failing('ECONNREFUSED');
			return ok;
		};
		const transport = new DataApiTransport(refusedOnce, connection, policy, async () => undefined);
		await expect(transport.write('jobs/sessions/statuses', 'update', { statuses: [] })).resolves.toEqual(
			expect.objectContaining({ data: { job_reference: 'j1' } }),
		);
		expect(attempts).toHaveLength(2);

		let timedOut = 0;
		const timeout: HttpSend = async () => {
			timedOut++;
			throw failing('ECONNABORTED');
		};
		const writer = new DataApiTransport(timeout, connection, policy, async () => undefined);
		await expect(writer.write('jobs/sessions/metadata', 'set', {})).rejects.toThrow(/may or may not have applied/);
		expect(timedOut).toBe(1);
	});

	test('a stopped execution (ERR_CANCELED) ends a read at once, and makes a write an unknown outcome', async () => {
		const { counter, transport } = alwaysFailing('ERR_CANCELED');
		await expect(transport.get('sessions/scores', {})).rejects.toThrow(
			'The execution was stopped while it waited for Learnosity',
		);
		expect(counter.sent).toBe(1);

		const failure = (await transport
			.write('jobs/sessions/statuses', 'update', { statuses: [] })
			.catch((error: unknown) => error)) as { message: string; hint: string };
		expect(failure.message).toMatch(/may or may not have applied/);
		expect(failure.hint).toContain('(ERR_CANCELED)');
		expect(counter.sent).toBe(2);
	});

	test('a certificate that is not accepted is one clear error, not retried, for reads and writes alike', async () => {
		const { counter, transport } = alwaysFailing('DEPTH_ZERO_SELF_SIGNED_CERT');
		for (const call of [
			() => transport.get('sessions/scores', {}),
			() => transport.write('jobs/sessions/statuses', 'update', { statuses: [] }),
		]) {
			const failure = (await call().catch((error: unknown) => error)) as { message: string; hint: string };
			expect(failure.message).toBe(
				'Could not open a secure connection to 127.0.0.1:9: its certificate was not accepted',
			);
			expect(failure.hint).toMatch(/^DEPTH_ZERO_SELF_SIGNED_CERT\. Check the Region or Base URL/);
		}
		expect(counter.sent).toBe(2);
	});

	test('the write is signed for its own action and says so in the routing header', async () => {
		const seen: Array<{ body: string; headers: Record<string, string> }> = [];
		const send: HttpSend = async (request) => {
			seen.push(request);
			return ok;
		};
		await new DataApiTransport(send, connection, policy).write('jobs/sessions/metadata', 'set', { a: 1 });
		expect(new URLSearchParams(seen[0].body).get('action')).toBe('set');
		expect(seen[0].headers['X-Learnosity-Action']).toBe('set_/jobs/sessions/metadata');
		expect(seen[0].body).not.toContain('"s"');
	});
});
