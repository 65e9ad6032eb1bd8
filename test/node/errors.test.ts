import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';
import { CredentialTestContext } from 'n8n-core';
import { testLearnosityCredential } from '../../nodes/transport/credentialTest';
import { DEMO_CONSUMER_SECRET } from '../../dev/emulator/server';
import { useEmulator } from '../harness/emulatorFixture';
import { runSessionsNode } from '../harness/n8nWorkflow';

const { emulator, credentials } = useEmulator(120);
const OTHER_SECRET = 'other-consumers-secret-never-to-be-shown';
emulator.consumers['other-consumer'] = { secret: OTHER_SECRET, domains: ['school.example'] };

// Limit 60: two pages, then one read of what was saved meanwhile (three requests when nothing fails).
const scores: INodeParameters = { operation: 'getScores', limit: 60 };

async function failure(change: IDataObject, parameters: INodeParameters = scores) {
	const result = await runSessionsNode({ parameters, credentials: credentials(change) });
	expect(result.items).toEqual([]);
	expect(result.error).toBeDefined();
	const error = result.error as unknown as { message: string; description?: string; httpCode?: string };
	const shown = JSON.stringify({ ...error, message: error.message, description: error.description });
	expect(shown).not.toContain(DEMO_CONSUMER_SECRET);
	expect(shown).not.toContain(OTHER_SECRET);
	return error;
}

describe('authentication errors name the code and the fix', () => {
	test('41002: unknown consumer key', async () => {
		const error = await failure({ consumerKey: 'nobody' });
		expect(error.message).toBe('Learnosity does not know this consumer key (error 41002)');
		expect(error.description).toContain('Consumer Key');
		expect(error.httpCode).toBe('403');
	});

	test('41003: wrong secret', async () => {
		const error = await failure({ consumerSecret: 'wrong-secret' });
		expect(error.message).toBe('The request signature does not match: the consumer secret is wrong (error 41003)');
		expect(error.description).toContain('Consumer Secret');
		expect(JSON.stringify(error)).not.toContain('wrong-secret');
	});

	test('41005: domain not allowlisted', async () => {
		const error = await failure({ domain: 'evil.example' });
		expect(error.message).toBe('Learnosity does not allow this domain for the consumer (error 41005)');
		expect(error.description).toContain('allowlisted');
	});

	test('41004: clock skew is re-signed once, then explained', async () => {
		emulator.clockOffsetMs = 3 * 3600_000;
		try {
			const error = await failure({});
			expect(error.message).toBe("Learnosity rejected the request's timestamp as out of range (error 41004)");
			expect(error.description).toContain('clock');
			expect(emulator.log.map((e) => e.code)).toEqual([41004, 41004]);
		} finally {
			emulator.clockOffsetMs = 0;
		}
	});

	test('41004 once (a request signed just before the minute turned) is retried transparently', async () => {
		emulator.failNext('clockSkew');
		const result = await runSessionsNode({ parameters: scores, credentials: credentials() });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(60);
		expect(emulator.log.map((e) => e.status)).toEqual([403, 200, 200, 200]);
	});

	test('42001: retired API version', async () => {
		const error = await failure({ apiVersion: 'v2021.1.LTS' });
		expect(error.message).toBe('Learnosity no longer serves this API version or endpoint (error 42001)');
		expect(error.description).toContain('v2025.2.LTS');
	});

	test('a bad credential field is named before anything is sent', async () => {
		const error = await failure({ apiVersion: '2025.2' });
		expect(error.message).toContain('API Version');
		expect(emulator.log).toHaveLength(0);
	});

	test('an ID list longer than the API accepts is sent in batches instead of failing with 20002', async () => {
		const userIds = '={{ Array.from({length: 1001}, (_, n) => "student-" + String(n + 1).padStart(4, "0")) }}';
		const result = await runSessionsNode({
			parameters: { ...scores, filters: { userIds } },
			credentials: credentials(),
		});
		expect(result.error).toBeUndefined();
		expect(result.items.length).toBeGreaterThan(0);
		const firstPages = emulator.log.filter((e) => !e.request?.next && e.request?.sort !== 'asc');
		expect(firstPages.map((e) => (e.request?.user_id as string[]).length)).toEqual([1000, 1]);
		expect(emulator.log.every((e) => e.status === 200)).toBe(true);
	});
});

describe('transient failures are retried', () => {
	test('500 and 502 with an HTML page: retried with backoff, result complete', async () => {
		emulator.failNext('http500', 'http502Html');
		const result = await runSessionsNode({ parameters: scores, credentials: credentials() });
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json.session_id)).toEqual(
			emulator.store
				.matching({})
				.slice(0, 60)
				.map((s) => s.session_id),
		);
		expect(emulator.log.map((e) => e.status)).toEqual([500, 502, 200, 200, 200]);
	});

	test('connection reset and truncated JSON: retried', async () => {
		emulator.failNext('reset', 'truncatedJson');
		const result = await runSessionsNode({ parameters: scores, credentials: credentials() });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(60);
		expect(emulator.log.map((e) => e.fault ?? e.status)).toEqual(['reset', 'truncatedJson', 200, 200, 200]);
	});

	test('429: waits out the rate-limit window, then continues', async () => {
		emulator.failNext('rateLimited');
		const started = Date.now();
		const result = await runSessionsNode({ parameters: scores, credentials: credentials() });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(60);
		expect(Date.now() - started).toBeGreaterThanOrEqual(5000);
		expect(emulator.log.map((e) => e.status)).toEqual([429, 200, 200, 200]);
	}, 20_000);

	test('an API that keeps failing ends in a clear error, not a hang', async () => {
		emulator.failNext('http500', 'http500', 'http500', 'http500', 'http500', 'http500');
		const error = await failure({});
		expect(error.message).toBe('Learnosity kept failing: HTTP 500 (gave up after 5 attempts)');
		expect(emulator.log).toHaveLength(5);
	}, 20_000);

	test('connection resets that persist keep their message in n8n; the code is in the description', async () => {
		emulator.failNext('reset', 'reset', 'reset', 'reset', 'reset', 'reset');
		const error = await failure({});
		expect(error.message).toMatch(
			/^Learnosity kept failing: could not reach 127\.0\.0\.1:\d+ \(gave up after 5 attempts\)$/,
		);
		expect(error.description).toContain('The last attempt ended with ECONNRESET.');
		expect(emulator.log).toHaveLength(5);
	}, 20_000);
});

describe('credential test in the n8n UI', () => {
	const test_ = async (change: IDataObject) =>
		await testLearnosityCredential.call(new CredentialTestContext(), {
			id: '1',
			name: 'Learnosity',
			type: 'learnosityApi',
			data: credentials(change) as ICredentialDataDecryptedObject,
		});

	test('a working credential passes with one signed one-record request', async () => {
		expect(await test_({})).toEqual({ status: 'OK', message: expect.stringContaining('Connection successful') });
		expect(emulator.log.map((e) => [e.endpoint, e.request])).toEqual([['sessions/scores', { limit: 1 }]]);
	});

	test.each([
		[{ consumerKey: 'nobody' }, /41002.*Consumer Key/],
		[{ consumerSecret: 'nope' }, /consumer secret is wrong.*41003.*Consumer Secret/],
		[{ domain: 'elsewhere.example' }, /41005.*allowlisted/],
		[{ region: 'custom', baseUrl: 'nonsense' }, /Base URL "nonsense" is not a URL/],
	])('%j fails in plain words', async (change, message) => {
		const result = await test_(change);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
		expect(result.message).not.toContain(DEMO_CONSUMER_SECRET);
	});

	test('clock skew fails in plain words', async () => {
		emulator.clockOffsetMs = -3 * 3600_000;
		try {
			const result = await test_({});
			expect(result.message).toMatch(/41004.*clock/);
		} finally {
			emulator.clockOffsetMs = 0;
		}
	});
});
