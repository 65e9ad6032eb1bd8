import { connectionFromCredentials } from '../../nodes/transport/connection';
import {
	DEFAULT_RETRY_POLICY,
	DataApiTransport,
	type HttpRequest,
	type HttpResponse,
} from '../../nodes/transport/dataApiTransport';

/*
 * The quota is the consumer key's, not the execution's: in queue mode another worker may spend it. When Learnosity
 * answers 429, every request of the execution holds back for the window, not just the one that was told — otherwise
 * each request in flight runs into the same spent quota and draws a 429 of its own.
 */

const WINDOW_MS = 200;
const connection = connectionFromCredentials({
	consumerKey: 'key',
	consumerSecret: 'secret',
	domain: 'localhost',
	region: 'custom',
	baseUrl: 'http://127.0.0.1:9',
	apiVersion: 'v2025.2.LTS',
});
const ok: HttpResponse = { statusCode: 200, body: JSON.stringify({ meta: { status: true }, data: [{ n: 1 }] }) };
const spent: HttpResponse = {
	statusCode: 429,
	body: JSON.stringify({ meta: { status: false, code: 42000, message: 'Too many requests' } }),
};
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * A fake Data API that records when each request arrived. Another worker spends the key's quota: for `spentForMs`
 * from the first request's arrival (so the first request is refused however slowly the machine runs), and `refuseNext`
 * requests are refused whenever they come.
 */
function fakeApi() {
	const state = { spentForMs: 0, spentUntil: 0, refuseNext: 0, arrivals: [] as Array<{ at: number; status: number }> };
	const send = async (_request: HttpRequest): Promise<HttpResponse> => {
		const at = Date.now();
		if (state.arrivals.length === 0 && state.spentForMs) state.spentUntil = at + state.spentForMs;
		const refused = state.refuseNext > 0 || at < state.spentUntil;
		if (state.refuseNext > 0) state.refuseNext--;
		await sleep(5);
		const answer = refused ? spent : ok;
		state.arrivals.push({ at, status: answer.statusCode });
		return answer;
	};
	return { state, send };
}

/** The transport under test, on the fake API, waiting out a 429 for this file's window. */
function transportOn(api: ReturnType<typeof fakeApi>, wait?: (ms: number) => Promise<void>): DataApiTransport {
	return new DataApiTransport(api.send, connection, { ...DEFAULT_RETRY_POLICY, rateLimitWindowMs: WINDOW_MS }, wait);
}

test('after a 429, the execution’s other requests wait the window out instead of drawing 429s of their own', async () => {
	const api = fakeApi();
	const transport = transportOn(api);
	// Another worker has spent the key's quota for 50 ms from the first request on.
	api.state.spentForMs = 50;
	const first = transport.get('sessions/scores', {});
	while (!api.state.arrivals.some((arrival) => arrival.status === 429)) await sleep(1);
	const spentAt = api.state.arrivals[0].at;
	const others = Array.from({ length: 8 }, () => transport.get('sessions/scores', {}));
	const pages = await Promise.all([first, ...others]);

	expect(pages.every((page) => page.data.length === 1)).toBe(true);
	// One 429, not nine: the eight later requests were not sent until the window after it had passed.
	expect(api.state.arrivals.filter((arrival) => arrival.status === 429)).toHaveLength(1);
	const later = api.state.arrivals.filter((arrival) => arrival.status === 200);
	expect(later).toHaveLength(9);
	for (const arrival of later) expect(arrival.at).toBeGreaterThanOrEqual(spentAt + WINDOW_MS - 5);
	expect(transport.stats).toEqual({ requests: 10, retries: 1, rateLimitWaits: 1 });
});

test('without a 429 nothing is held back', async () => {
	const api = fakeApi();
	const transport = transportOn(api);
	const started = Date.now();
	await Promise.all(Array.from({ length: 8 }, () => transport.get('sessions/scores', {})));
	expect(Date.now() - started).toBeLessThan(WINDOW_MS);
	expect(api.state.arrivals.every((arrival) => arrival.status === 200)).toBe(true);
});

test('a request that waited out its own 429 is not held again for the same window', async () => {
	const api = fakeApi();
	const waits: number[] = [];
	const transport = transportOn(api, async (ms) => void waits.push(ms));
	api.state.refuseNext = 1; // the fake wait does not wait: the retry finds the quota free
	await transport.get('sessions/scores', {});
	expect(waits).toEqual([WINDOW_MS]);
});
