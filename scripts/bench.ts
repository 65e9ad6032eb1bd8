/**
 * `npm run bench [-- --sizes 10000,100000 --rtts 20,80 --parallel 16 --skip-slow-sequential 100000]`: ONE table, how
 * an export's cost grows with its size and the network (scripts/bench/matrix.ts): LAN and HTTPS through the TLS
 * delay proxy at each RTT. --skip-slow-sequential N leaves out the sequential run of N+ sessions at the largest RTT.
 *
 * `npm run bench -- --detail [--sessions 10000 --latency 50 --parallel 32 --endpoint sessions/scores --no-memory]`
 * (or BENCH_SESSIONS, BENCH_LATENCY_MS, BENCH_PARALLEL, BENCH_ENDPOINT): one size and latency in detail.
 * `--profile DIR` writes a V8 CPU profile of each export process there (open in Chrome DevTools); the emulator's own
 * process is profiled with `node --cpu-prof .tools-build/scripts/bench.js …`.
 *
 * Starts the emulator (real quota: 1000 requests per endpoint per 5 s) with the given sessions and added latency,
 * and exports the same query three ways, each in a fresh process: the official SDKs' loop over node:http, the node's
 * sequential Return All and its parallel Return All (both through n8n's HTTP helper). Prints a table, the requests
 * against the minimum, n8n's HTTP helper cost per call, the package's own cost per page, and the targets.
 */
import { fork } from 'child_process';
import { createHash } from 'crypto';
import { cpus, loadavg, release, totalmem } from 'os';
import { join } from 'path';
import { demoSessions } from '../dev/emulator/demoData';
import { DEMO_CONSUMER_KEY, DEMO_CONSUMER_SECRET, LearnosityEmulator } from '../dev/emulator/server';
import type { SessionEndpoint } from '../dev/emulator/sessionStore';
import type { ExportResult, Mode, OverheadResult, PageCostResult, Task } from './bench/exportRun';
import { runMatrix } from './bench/matrix';

function option(name: string, env: string, fallback: string): string {
	const args = process.argv.slice(2);
	const at = args.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
	if (at >= 0) return args[at].includes('=') ? args[at].split('=')[1] : args[at + 1];
	return process.env[env] ?? fallback;
}

const SESSIONS = Number(option('sessions', 'BENCH_SESSIONS', '10000'));
const LATENCY_MS = Number(option('latency', 'BENCH_LATENCY_MS', '50'));
const PARALLEL = Number(option('parallel', 'BENCH_PARALLEL', '32'));
const ENDPOINT = option('endpoint', 'BENCH_ENDPOINT', 'sessions/scores') as SessionEndpoint;
const MEMORY = !process.argv.includes('--no-memory');
const PROFILE_DIR = option('profile', 'BENCH_PROFILE_DIR', '');
const LIMITS = [120, 1000];

const MB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const yes = (ok: boolean) => (ok ? 'yes' : '**NO**');

function runChild<T>(task: Task): Promise<T> {
	return new Promise((resolve, reject) => {
		const profile = PROFILE_DIR
			? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${task.mode}.cpuprofile`]
			: [];
		const child = fork(join(__dirname, 'bench', 'exportRun.js'), [JSON.stringify(task)], {
			execArgv: ['--expose-gc', ...profile],
		});
		let result: T | undefined;
		child.on('message', (message) => (result = message as T));
		child.on('error', reject);
		child.on('exit', (code) =>
			result !== undefined ? resolve(result) : reject(new Error(`${task.mode} run exited with ${code}`)),
		);
	});
}

interface Row {
	label: string;
	mode: Mode;
	timing: ExportResult;
	memory?: ExportResult;
	rateLimited: number;
	connections: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
	const load = loadavg()[0];
	const emulator = new LearnosityEmulator({ sessions: demoSessions({ sessions: SESSIONS }), latencyMs: LATENCY_MS });
	const baseUrl = await emulator.start();
	const credentials = {
		consumerKey: DEMO_CONSUMER_KEY,
		consumerSecret: DEMO_CONSUMER_SECRET,
		domain: 'localhost',
		baseUrl,
		apiVersion: 'v2025.2.LTS',
	};
	const task = (mode: Mode, change: Partial<Task> = {}): Task => ({
		mode,
		credentials,
		endpoint: ENDPOINT,
		parallel: PARALLEL,
		memory: false,
		...change,
	});
	const truthDigest = createHash('sha256')
		.update(JSON.stringify(emulator.store.truth(ENDPOINT, {})))
		.digest('hex');
	const minimum = Math.ceil(SESSIONS / 50) + 1;
	console.log(
		`Learnosity export benchmark: ${SESSIONS} sessions from ${ENDPOINT}, ${LATENCY_MS} ms added per request, ` +
			`quota ${emulator.rateLimit?.requests} per ${emulator.rateLimit?.windowMs} ms, parallel ${PARALLEL}`,
	);
	console.log(
		`Machine: ${cpus()[0].model}, ${cpus().length} cores, ${MB(totalmem())} RAM, ${process.platform} ${release()}, ` +
			`Node ${process.version}; load average at start ${load.toFixed(2)}\n`,
	);

	const rows: Row[] = [];
	const modes: Array<[string, Mode]> = [
		['baseline: SDK loop, node:http', 'baseline'],
		['node, sequential (n8n helper)', 'sequential'],
		[`node, parallel ×${PARALLEL} (n8n helper)`, 'parallel'],
	];
	for (const [label, mode] of modes) {
		process.stdout.write(`running ${label} …`);
		// Each export starts with the quota window empty, as a lone export would.
		if (rows.length) await sleep(emulator.rateLimit?.windowMs ?? 0);
		emulator.latencyMs = LATENCY_MS;
		emulator.log.length = 0;
		const connectionsBefore = emulator.connections;
		const timing = await runChild<ExportResult>(task(mode));
		const connections = emulator.connections - connectionsBefore;
		const rateLimited = emulator.log.filter((entry) => entry.status === 429).length;
		// The memory run collects garbage after every page: slow, so without the added latency.
		emulator.latencyMs = 0;
		const memory = MEMORY ? await runChild<ExportResult>(task(mode, { memory: true })) : undefined;
		rows.push({ label, mode, timing, memory, rateLimited, connections });
		process.stdout.write(` ${seconds(timing.wallMs)}\n`);
	}
	emulator.latencyMs = LATENCY_MS;
	const limits: Array<[number, number]> = [];
	for (const limit of LIMITS)
		limits.push([limit, (await runChild<ExportResult>(task('sequential', { limit }))).requests]);
	emulator.latencyMs = 0;
	emulator.rateLimit = undefined;
	const overhead = await runChild<OverheadResult>(task('helperOverhead'));
	const cost = await runChild<PageCostResult>(task('pageCost'));
	await emulator.stop();

	const baseline = rows[0].timing;
	console.log('');
	console.log(
		'| mode | wall time | requests (minimum) | sessions/s | peak heap growth | ÷ JSON of records | vs baseline | 429s | TCP connections | same records |',
	);
	console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
	for (const { label, timing, memory, rateLimited, connections } of rows) {
		const heap = memory?.peakHeapGrowth;
		console.log(
			`| ${label} | ${seconds(timing.wallMs)} | ${timing.requests} (${minimum}) | ${Math.round(timing.records / (timing.wallMs / 1000))} | ` +
				`${heap === undefined ? '–' : MB(heap)} | ${heap === undefined ? '–' : `${(heap / timing.jsonBytes).toFixed(2)}×`} | ` +
				`${(timing.wallMs / baseline.wallMs).toFixed(2)}× time (${(baseline.wallMs / timing.wallMs).toFixed(1)}× speed) | ` +
				`${rateLimited} | ${connections} | ${timing.digest === truthDigest ? 'yes' : 'NO'} |`,
		);
	}
	const [, sequential, parallel] = rows;
	console.log(`\nRecords: ${baseline.records} sessions, ${MB(baseline.jsonBytes)} as JSON.`);
	if (parallel.timing.stats) {
		const { slices, splits } = parallel.timing.stats;
		console.log(
			`Parallel: ${slices} time slices (${splits} split while running), 2 probe requests, 1 catch-up read of the newest slice.`,
		);
	}
	console.log('\nRequests per export against the minimum (node, sequential):');
	console.log(`- Return All: ${sequential.timing.requests} (⌈${SESSIONS}/50⌉ + 1 = ${minimum})`);
	for (const [limit, requests] of limits)
		console.log(`- Limit ${limit}: ${requests} (⌈${limit}/50⌉ = ${Math.ceil(limit / 50)})`);
	const helperCost = overhead.n8nHelperMs - overhead.nodeHttpMs;
	console.log(
		`\nn8n's HTTP helper: ${overhead.n8nHelperMs.toFixed(2)} ms per call against ${overhead.nodeHttpMs.toFixed(2)} ms with node:http ` +
			`(no added latency, one 50-record page, mean of ${overhead.calls}): ${helperCost.toFixed(2)} ms more per call.`,
	);
	const ownCost = cost.transportMicros + cost.wrapMicros;
	console.log(
		`Per page of 50 records (${(cost.pageBytes / 1024).toFixed(0)} KB), mean of 4000: sign ${cost.signMicros.toFixed(0)} µs, ` +
			`JSON.parse ${cost.parseMicros.toFixed(0)} µs, transport (sign + verdict + parse) ${cost.transportMicros.toFixed(0)} µs, ` +
			`wrap into n8n items ${cost.wrapMicros.toFixed(0)} µs: ${(ownCost / 1000).toFixed(3)} ms in all.`,
	);

	const heapOk = (row: Row) =>
		row.memory?.peakHeapGrowth === undefined || row.memory.peakHeapGrowth <= 2 * row.timing.jsonBytes;
	const atDefaults = SESSIONS === 10_000 && LATENCY_MS === 50;
	console.log(`\nTargets${atDefaults ? '' : ' (set for 10,000 sessions at 50 ms; this run differs)'}:`);
	console.log(
		`- sequential within 10% of the baseline's wall time: ${yes(sequential.timing.wallMs <= 1.1 * baseline.wallMs)} (${((sequential.timing.wallMs / baseline.wallMs - 1) * 100).toFixed(1)}%)`,
	);
	console.log(
		`- sequential sends exactly the minimum requests: ${yes(sequential.timing.requests === minimum && limits.every(([limit, requests]) => requests === Math.ceil(limit / 50)))}`,
	);
	console.log(
		`- parallel at least 10× faster than the baseline: ${yes(baseline.wallMs / parallel.timing.wallMs >= 10)} (${(baseline.wallMs / parallel.timing.wallMs).toFixed(1)}×)`,
	);
	console.log(`- no 429 at the real quota: ${yes(rows.every((row) => row.rateLimited === 0))}`);
	console.log(
		`- sequential and parallel give the same records in the same order (= the emulator's ground truth): ${yes(sequential.timing.digest === truthDigest && parallel.timing.digest === truthDigest)}`,
	);
	console.log(
		`- peak heap growth at most 2× the JSON of the records: ${MEMORY ? yes(heapOk(sequential) && heapOk(parallel)) : 'not measured (--no-memory)'}`,
	);
	console.log(
		`- per-page overhead (sign + parse + wrap 50 records) well under 1 ms: ${yes(ownCost < 500)} (${(ownCost / 1000).toFixed(3)} ms)`,
	);
}

const numbers = (list: string) => list.split(',').map(Number);
const run = process.argv.includes('--detail')
	? main
	: () =>
			runMatrix({
				sessions: numbers(option('sizes', 'BENCH_SIZES', '10000,100000')),
				rtts: numbers(option('rtts', 'BENCH_RTTS', '20,80')),
				parallel: Number(option('parallel', 'BENCH_PARALLEL', '16')),
				endpoint: ENDPOINT,
				skipSequentialFrom: Number(option('skip-slow-sequential', 'BENCH_SKIP_SLOW_SEQUENTIAL', 'Infinity')),
			});

run().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
