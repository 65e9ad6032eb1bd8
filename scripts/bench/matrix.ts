/**
 * The bench's one table: how the cost of an export grows with its size and with the network. Rows: LAN (the emulator
 * on loopback) and HTTPS through the TLS delay proxy at 20 ms and 80 ms round trip, × 10,000 and 100,000 sessions.
 * Columns: the SDK-style loop (node:http(s), keep-alive), the node's sequential Return All and its parallel Return All
 * (n8n's HTTP helper), each in a fresh process.
 */
import { fork } from 'child_process';
import { createHash } from 'crypto';
import { join } from 'path';
import { demoSessions } from '../../dev/emulator/demoData';
import { DEMO_CONSUMER_KEY, DEMO_CONSUMER_SECRET, LearnosityEmulator } from '../../dev/emulator/server';
import type { SessionEndpoint } from '../../dev/emulator/sessionStore';
import { TlsDelayProxy } from '../../dev/tlsProxy/tlsDelayProxy';
import type { ExportResult, Mode, Task } from './exportRun';

export interface MatrixOptions {
	sessions: number[];
	/** Round-trip times of the TLS rows; LAN (plain HTTP, no added delay) always comes first. */
	rtts: number[];
	parallel: number;
	endpoint: SessionEndpoint;
	/** Leave the slowest cell (sequential at this many sessions and above, on the slowest network) out. */
	skipSequentialFrom?: number;
}

interface Cell {
	result: ExportResult;
	rateLimited: number;
	connections: number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const MB = (bytes: number | undefined) => (bytes === undefined ? '–' : `${Math.round(bytes / 1024 / 1024)} MB`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function runChild(task: Task, env: NodeJS.ProcessEnv): Promise<ExportResult> {
	return new Promise((resolve, reject) => {
		const child = fork(join(__dirname, 'exportRun.js'), [JSON.stringify(task)], { env: { ...process.env, ...env } });
		let result: ExportResult | undefined;
		child.on('message', (message) => (result = message as ExportResult));
		child.on('error', reject);
		child.on('exit', (code) =>
			result !== undefined ? resolve(result) : reject(new Error(`${task.mode} run exited with ${code}`)),
		);
	});
}

export async function runMatrix(options: MatrixOptions): Promise<void> {
	const { endpoint, parallel } = options;
	const header =
		`| network | sessions | SDK loop | node sequential | node parallel ×${parallel} | parallel vs SDK loop | ` +
		`requests (SDK / seq / par) | 429s | peak memory (seq / par) | TCP connections (seq / par) |`;
	// Each row is printed as soon as it is measured: a long run that is cut short still leaves its rows.
	console.log(`${header}\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|`);
	const notes: string[] = [];
	const failures: string[] = [];
	for (const sessions of options.sessions) {
		const emulator = new LearnosityEmulator({ sessions: demoSessions({ sessions }) });
		const plainUrl = await emulator.start();
		const truth = createHash('sha256')
			.update(JSON.stringify(emulator.store.truth(endpoint, {})))
			.digest('hex');
		for (const rtt of [0, ...options.rtts]) {
			const proxy = rtt ? new TlsDelayProxy({ rttMs: rtt, targetPort: Number(new URL(plainUrl).port) }) : undefined;
			const baseUrl = proxy ? await proxy.start() : plainUrl;
			const env = proxy ? { NODE_EXTRA_CA_CERTS: proxy.certificateFile } : {};
			const network = rtt ? `TLS + ${rtt} ms RTT` : 'LAN (loopback HTTP)';
			const task = (mode: Mode): Task => ({
				mode,
				credentials: {
					consumerKey: DEMO_CONSUMER_KEY,
					consumerSecret: DEMO_CONSUMER_SECRET,
					domain: 'localhost',
					baseUrl,
					apiVersion: 'v2025.2.LTS',
				},
				endpoint,
				parallel,
				memory: false,
			});
			const cells: Partial<Record<Mode, Cell>> = {};
			const slowest = rtt === Math.max(0, ...options.rtts);
			for (const mode of ['baseline', 'sequential', 'parallel'] as Mode[]) {
				if (mode === 'sequential' && slowest && sessions >= (options.skipSequentialFrom ?? Infinity)) continue;
				process.stderr.write(`[bench] ${network}, ${sessions} sessions, ${mode} … `);
				await sleep(emulator.rateLimit?.windowMs ?? 0); // each export starts with the quota window empty
				emulator.log.length = 0;
				const connectionsBefore = proxy ? proxy.connections : emulator.connections;
				let result: ExportResult;
				try {
					result = await runChild(task(mode), env);
				} catch (error) {
					// The SDK loop has no rate limiter and no retry: at LAN speed it can run into the quota and stop.
					if (mode !== 'baseline') throw error;
					process.stderr.write(`failed (${(error as Error).message})\n`);
					failures.push(`the SDK loop failed at ${network}, ${sessions} sessions (a 429 ends it: no retry)`);
					continue;
				}
				if (result.digest !== truth)
					throw new Error(`${mode} at ${network} returned other records than the emulator holds`);
				cells[mode] = {
					result,
					rateLimited: emulator.log.filter((entry) => entry.status === 429).length,
					connections: (proxy ? proxy.connections : emulator.connections) - connectionsBefore,
				};
				process.stderr.write(`${seconds(result.wallMs)}\n`);
			}
			await proxy?.stop();
			const { baseline, sequential, parallel: par } = cells as Record<Mode, Cell | undefined>;
			const time = (cell?: Cell) => (cell ? seconds(cell.result.wallMs) : 'not run / failed');
			const ratio = baseline && par ? `${(baseline.result.wallMs / par.result.wallMs).toFixed(1)}×` : '–';
			const requests = [baseline, sequential, par].map((cell) => cell?.result.requests ?? '–').join(' / ');
			const limited = [baseline, sequential, par].reduce((sum, cell) => sum + (cell?.rateLimited ?? 0), 0);
			console.log(
				`| ${network} | ${sessions.toLocaleString('en')} | ${time(baseline)} | ${time(sequential)} | ${time(par)} | ` +
					`${ratio} | ${requests} | ${limited} | ${MB(sequential?.result.maxRssBytes)} / ${MB(par?.result.maxRssBytes)} | ` +
					`${sequential?.connections ?? '–'} / ${par?.connections ?? '–'} |`,
			);
			if (baseline && !rtt)
				notes.push(`${sessions} sessions are ${(baseline.result.jsonBytes / 1024 / 1024).toFixed(1)} MB of JSON`);
		}
		await emulator.stop();
	}
	if (failures.length) console.log(`\n${failures.join('; ')}.`);
	console.log(
		`\nAll runs returned exactly the emulator's records. Peak memory: the export process's peak resident set ` +
			`(Node + n8n's helper + the records). ${notes.join('; ')}.`,
	);
}
