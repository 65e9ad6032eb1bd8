/**
 * One measurement, in a fresh process (forked by scripts/bench.ts with --expose-gc): the task comes as JSON in
 * argv[2], the result goes back over IPC.
 */
import { createHash } from 'crypto';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { connectionFromCredentials, type Connection } from '../../nodes/transport/connection';
import { sendWithN8n } from '../../nodes/transport/httpAdapters';
import { exportSessionsInParallel, type ParallelExportStats } from '../../nodes/export/parallelExport';
import type { PageSource } from '../../nodes/types';
import { exportSessions } from '../../nodes/export/sessionExport';
import { securityField } from '../../nodes/transport/signer';
import { DataApiTransport, type HttpSend } from '../../nodes/transport/dataApiTransport';
import { post, sdkExport } from './sdkLoop';

export type Mode = 'baseline' | 'sequential' | 'parallel' | 'limit' | 'helperOverhead' | 'pageCost';

export interface Task {
	mode: Mode;
	credentials: { consumerKey: string; consumerSecret: string; domain: string; baseUrl: string; apiVersion: string };
	endpoint: string;
	parallel: number;
	/** Force a garbage collection after every page and record the live heap: slower, so not for timing runs. */
	memory: boolean;
	limit?: number;
}

export interface ExportResult {
	wallMs: number;
	/** HTTP requests sent by the export, retries included. */
	requests: number;
	records: number;
	digest: string;
	jsonBytes: number;
	peakHeapGrowth?: number;
	stats?: ParallelExportStats;
}

export interface OverheadResult {
	nodeHttpMs: number;
	n8nHelperMs: number;
	calls: number;
}

export interface PageCostResult {
	signMicros: number;
	parseMicros: number;
	transportMicros: number;
	wrapMicros: number;
	pageBytes: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Live heap above where it started: each sample collects garbage first, so the peak is what was really kept. */
class HeapWatch {
	peak = 0;
	private readonly base: number;

	constructor(private readonly enabled: boolean) {
		if (enabled && !gc) throw new Error('run with node --expose-gc');
		gc?.();
		this.base = process.memoryUsage().heapUsed;
	}

	sample(): void {
		if (!this.enabled) return;
		gc!();
		this.peak = Math.max(this.peak, process.memoryUsage().heapUsed - this.base);
	}
}

async function n8nSend(): Promise<HttpSend> {
	// n8n-core keeps settings in a user folder: give it a scratch one, before it loads.
	process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'learnosity-bench-n8n-'));
	process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
	process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
	const { httpRequest } = await import(
		'n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions'
	);
	return sendWithN8n(httpRequest);
}

function describeRecords(
	records: Array<Record<string, unknown>>,
): Pick<ExportResult, 'records' | 'digest' | 'jsonBytes'> {
	const json = JSON.stringify(records);
	return {
		records: records.length,
		digest: createHash('sha256').update(json).digest('hex'),
		jsonBytes: Buffer.byteLength(json),
	};
}

async function runExport(task: Task): Promise<ExportResult> {
	const connection = connectionFromCredentials({ ...task.credentials, region: 'custom' });
	const params = {};
	if (task.mode === 'baseline') {
		const url = `${connection.versionUrl}/${task.endpoint}`;
		const watch = new HeapWatch(task.memory);
		const started = performance.now();
		let pages = 0;
		const records = await sdkExport(url, connection, { ...params, limit: 50 }, () => {
			pages++;
			watch.sample();
		});
		const wallMs = performance.now() - started;
		watch.sample();
		return {
			wallMs,
			requests: pages,
			...describeRecords(records),
			peakHeapGrowth: task.memory ? watch.peak : undefined,
		};
	}
	const transport = new DataApiTransport(await n8nSend(), connection);
	await transport.get(task.endpoint, { limit: 1 }); // load and warm n8n's helper outside the measurement
	const watch = new HeapWatch(task.memory);
	const source: PageSource = {
		get: async (endpoint, request) => {
			const page = await transport.get(endpoint, request);
			watch.sample();
			return page;
		},
	};
	const stats: ParallelExportStats = { slices: 0, splits: 0, sequentialBatches: 0 };
	const request = { endpoint: task.endpoint, params, limit: task.limit };
	const warmupRequests = transport.stats.requests;
	const started = performance.now();
	const records =
		task.mode === 'parallel'
			? await exportSessionsInParallel(source, request, task.parallel, { stats })
			: await exportSessions(source, request);
	// What the node hands to n8n: one item per session, paired with its input item.
	const items = records.map((record) => ({ json: record, pairedItem: { item: 0 } }));
	const wallMs = performance.now() - started;
	watch.sample();
	const result = {
		wallMs,
		requests: transport.stats.requests - warmupRequests,
		...describeRecords(items.map((item) => item.json)),
		peakHeapGrowth: task.memory ? watch.peak : undefined,
	};
	return task.mode === 'parallel' ? { ...result, stats } : result;
}

/** Mean time per call of node:http and of n8n's helper for the same signed request, alternating in blocks. */
async function helperOverhead(task: Task): Promise<OverheadResult> {
	const connection = connectionFromCredentials({ ...task.credentials, region: 'custom' });
	const url = `${connection.versionUrl}/${task.endpoint}`;
	const send = await n8nSend();
	const requestJson = JSON.stringify({ limit: 50 });
	const body = () =>
		new URLSearchParams({
			security: securityField(connection, requestJson, 'get'),
			request: requestJson,
			action: 'get',
		}).toString();
	const headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
	const viaNode = () => post(url, body());
	const viaN8n = () => send({ url, headers, body: body(), timeoutMs: 60_000 });
	const time = async (call: () => Promise<unknown>, times: number) => {
		const started = performance.now();
		for (let n = 0; n < times; n++) await call();
		return performance.now() - started;
	};
	await time(viaNode, 30);
	await time(viaN8n, 30);
	let nodeMs = 0;
	let n8nMs = 0;
	const blocks = 10;
	const perBlock = 30;
	for (let block = 0; block < blocks; block++) {
		nodeMs += await time(viaNode, perBlock);
		n8nMs += await time(viaN8n, perBlock);
	}
	const calls = blocks * perBlock;
	return { nodeHttpMs: nodeMs / calls, n8nHelperMs: n8nMs / calls, calls };
}

/** Sign, parse and wrap one page of 50 records, without the network: the package's own cost per page. */
async function pageCost(task: Task): Promise<PageCostResult> {
	const connection: Connection = connectionFromCredentials({ ...task.credentials, region: 'custom' });
	const requestJson = JSON.stringify({ sort: 'asc', limit: 50, next: '1786606673.368656799' });
	const answer = await post(
		`${connection.versionUrl}/${task.endpoint}`,
		new URLSearchParams({
			security: securityField(connection, requestJson, 'get'),
			request: requestJson,
			action: 'get',
		}).toString(),
	);
	const body = answer.body.replace(/"next":"[^"]*"/, '"next":"1786606673.368656799"');
	const stub = new DataApiTransport(async () => ({ statusCode: 200, body }), connection);
	const page = await stub.get(task.endpoint, { limit: 50 });
	if (page.data.length !== 50) throw new Error(`expected a page of 50 records, got ${page.data.length}`);
	const perOp = async (op: () => unknown, times = 4000) => {
		for (let n = 0; n < 500; n++) await op();
		const started = performance.now();
		for (let n = 0; n < times; n++) await op();
		return ((performance.now() - started) / times) * 1000;
	};
	let sink = 0;
	return {
		signMicros: await perOp(() => {
			sink += new URLSearchParams({
				security: securityField(connection, requestJson, 'get'),
				request: requestJson,
				action: 'get',
			}).toString().length;
		}),
		parseMicros: await perOp(() => (sink += (JSON.parse(body) as { data: unknown[] }).data.length)),
		transportMicros: await perOp(async () => (sink += (await stub.get(task.endpoint, { limit: 50 })).data.length)),
		wrapMicros: await perOp(() => (sink += page.data.map((json) => ({ json, pairedItem: { item: 0 } })).length)),
		pageBytes: Buffer.byteLength(body) + (sink > 0 ? 0 : 1),
	};
}

async function main(): Promise<void> {
	const task = JSON.parse(process.argv[2]) as Task;
	const result =
		task.mode === 'helperOverhead'
			? await helperOverhead(task)
			: task.mode === 'pageCost'
				? await pageCost(task)
				: await runExport(task);
	process.send!(result, undefined, {}, () => process.exit(0));
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
