import { execFile, spawn, type ChildProcess } from 'child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { dirname, join, resolve } from 'path';

/** The repository: the nearest folder with a package.json, from dev/n8n or from its compiled copy in .tools-build/. */
export const REPO_ROOT = (() => {
	let dir = resolve(__dirname);
	while (!existsSync(join(dir, 'package.json'))) {
		if (dirname(dir) === dir) throw new Error(`No package.json above ${__dirname}`);
		dir = dirname(dir);
	}
	return dir;
})();
const RUNTIME_SCRIPT = join(REPO_ROOT, 'scripts/n8n-runtime.sh');

/** The n8n version scripts/n8n-runtime.sh installs for a major (read from its `case`, so the two never disagree). */
export function runtimeVersion(major: string): string | undefined {
	const pattern = new RegExp(`^\\s*${major}\\)\\s*n8n_version="([^"]+)"`, 'm');
	return pattern.exec(readFileSync(RUNTIME_SCRIPT, 'utf8'))?.[1];
}

export interface CommandResult {
	code: number;
	stdout: string;
	stderr: string;
}

/** Runs a command to completion and never rejects: the caller decides what a non-zero exit means. */
export function run(
	file: string,
	args: string[],
	options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
) {
	return new Promise<CommandResult>((done) => {
		execFile(
			file,
			args,
			{ cwd: options.cwd, env: options.env, timeout: options.timeoutMs ?? 180_000, maxBuffer: 256 * 1024 * 1024 },
			(error, stdout, stderr) => {
				const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
				const killed = error && error.killed ? `\n[killed: ${error.signal ?? 'timeout'}]` : '';
				done({ code, stdout: String(stdout), stderr: String(stderr) + killed });
			},
		);
	});
}

/** Like `run`, but a non-zero exit throws with the command's output, to make setup failures readable. */
export async function runOrThrow(file: string, args: string[], options: Parameters<typeof run>[2] = {}) {
	const result = await run(file, args, options);
	if (result.code !== 0) {
		throw new Error(
			`${file} ${args.join(' ')} exited with ${result.code}\n--- stdout ---\n${tail(result.stdout)}\n--- stderr ---\n${tail(result.stderr)}`,
		);
	}
	return result;
}

export function tail(text: string, chars = 4000): string {
	return text.length > chars ? `…${text.slice(-chars)}` : text;
}

/** The n8n majors to test: E2E_N8N_MAJORS (comma separated), "2,1" by default. */
export function requestedMajors(): string[] {
	const majors = (process.env.E2E_N8N_MAJORS ?? '2,1')
		.split(',')
		.map((m) => m.trim())
		.filter(Boolean);
	for (const major of majors) {
		if (!/^\d+$/.test(major) || !runtimeVersion(major))
			throw new Error(`E2E_N8N_MAJORS: unknown n8n major "${major}" (use 2 and/or 1)`);
	}
	return majors;
}

/**
 * The command prefix (node binary, n8n bin) of an installed runtime. A missing runtime is an error, not a skip:
 * installing takes minutes, so it is not done inside the test.
 */
export async function n8nCommand(major: string): Promise<[string, string]> {
	const ready = join(REPO_ROOT, '.n8n-runtime', `n8n-${runtimeVersion(major)}`, '.ready');
	if (!existsSync(ready)) {
		throw new Error(
			`n8n ${major}.x runtime is not installed (${ready} is missing). Install it with ` +
				`\`bash scripts/n8n-runtime.sh ${major}\`, or choose the majors with E2E_N8N_MAJORS (e.g. E2E_N8N_MAJORS=2).`,
		);
	}
	const { stdout } = await runOrThrow('bash', [RUNTIME_SCRIPT, major], { cwd: REPO_ROOT });
	const last = stdout.trim().split('\n').pop() ?? '';
	const [node, bin] = last.split(' ');
	if (!node || !bin || !existsSync(node) || !existsSync(bin))
		throw new Error(`scripts/n8n-runtime.sh ${major} printed "${last}"`);
	return [node, bin];
}

export function freePort(): Promise<number> {
	return new Promise((done, fail) => {
		const server = createServer();
		server.once('error', fail);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => done(port));
		});
	});
}

/** `npm run build`, then `npm pack` into `dir`; returns the tarball's path. E2E_SKIP_BUILD=1 packs dist/ as it is. */
export async function buildAndPack(dir: string): Promise<string> {
	if (process.env.E2E_SKIP_BUILD !== '1') await runOrThrow('npm', ['run', 'build'], { cwd: REPO_ROOT });
	const { stdout } = await runOrThrow('npm', ['pack', '--json', '--pack-destination', dir], { cwd: REPO_ROOT });
	const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{ filename: string }>;
	return join(dir, packed.filename);
}

/**
 * For an e2e test file: builds and packs the package once before its tests (into a temporary folder, removed after
 * them). Returns the tarball's path, to call inside tests and hooks.
 */
export function usePackedPackage(): () => string {
	let packDir: string | undefined;
	let tarball: string | undefined;
	beforeAll(async () => {
		packDir = mkdtempSync(join(tmpdir(), 'learnosity-e2e-pack-'));
		tarball = await buildAndPack(packDir);
	}, 240_000);
	afterAll(() => {
		if (packDir) rmSync(packDir, { recursive: true, force: true });
	});
	return () => {
		if (!tarball) throw new Error('The package was not packed: see the beforeAll error above');
		return tarball;
	};
}

/** Finds the run JSON in `n8n execute` output, which may have log lines before and after it. */
export function extractJson(stdout: string): unknown {
	const lines = stdout.split('\n');
	const starts = lines.flatMap((line, n) => (line.trimEnd() === '{' ? [n] : []));
	const ends = lines.flatMap((line, n) => (line.trimEnd() === '}' ? [n] : []));
	for (const start of starts) {
		for (const end of [...ends].reverse()) {
			if (end <= start) break;
			try {
				return JSON.parse(lines.slice(start, end + 1).join('\n'));
			} catch {
				// not this pair of braces
			}
		}
	}
	throw new Error(`No JSON object found in n8n's output:\n${tail(stdout)}`);
}

/**
 * Installs a packed package into `<userFolder>/.n8n/nodes` the way n8n installs a community package: peers
 * (n8n-workflow) come from n8n itself, so `--omit=peer`.
 */
export async function installCommunityPackage(userFolder: string, tarball: string): Promise<void> {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	const manifest = join(nodesDir, 'package.json');
	if (!existsSync(manifest)) writeFileSync(manifest, JSON.stringify({ name: 'installed-nodes', private: true }));
	await runOrThrow('npm', ['install', tarball, '--omit=peer', '--legacy-peer-deps', '--no-audit', '--no-fund'], {
		cwd: nodesDir,
	});
}

/** The N8N_* settings for a headless n8n with its own user folder: no telemetry or cloud calls, no task runner. */
export async function headlessN8nSettings(
	major: string,
	userFolder: string,
	encryptionKey: string,
): Promise<Record<string, string>> {
	const settings: Record<string, string> = {
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: encryptionKey,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_RUNNERS_ENABLED: 'false',
		// 2.x starts its task broker regardless; a free port keeps instances from colliding.
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
	};
	if (major === '1') settings.N8N_EXPRESSION_ENGINE = 'legacy';
	return settings;
}

export interface ExecutionItem {
	json: Record<string, unknown>;
	pairedItem?: { item: number } | Array<{ item: number }>;
}

export interface Execution extends CommandResult {
	run: {
		status?: string;
		data: {
			resultData: {
				error?: { message: string; description?: string; node?: { name: string }; httpCode?: string };
				runData: Record<string, Array<{ data?: { main: ExecutionItem[][] } }>>;
			};
		};
	};
}

/** One n8n runtime with its own user folder, the packed node package installed as a community package. */
export class N8nInstance {
	/** Every command's output, to check that no secret leaks and to show on failure. */
	readonly transcript: string[] = [];
	private step = 0;

	private constructor(
		readonly major: string,
		private readonly command: [string, string],
		readonly workDir: string,
		private readonly env: NodeJS.ProcessEnv,
	) {}

	/** `settings` (N8N_*, DB_*, QUEUE_* …) are added to the headless defaults, e.g. for queue mode. */
	static async create(major: string, tarball: string, settings: Record<string, string> = {}): Promise<N8nInstance> {
		const command = await n8nCommand(major);
		const workDir = mkdtempSync(join(tmpdir(), `learnosity-e2e-n8n${major}-`));
		try {
			await installCommunityPackage(workDir, tarball);
		} catch (error) {
			rmSync(workDir, { recursive: true, force: true });
			throw error;
		}
		// jest sets NODE_ENV=test, which silences n8n's logger, and with it the run JSON that `execute` prints.
		const inherited = Object.entries(process.env).filter(
			([name]) => !name.startsWith('N8N_') && !['NODE_ENV', 'JEST_WORKER_ID'].includes(name),
		);
		const env: NodeJS.ProcessEnv = Object.fromEntries(inherited);
		Object.assign(env, await headlessN8nSettings(major, workDir, 'learnosity-e2e-encryption-key'), settings);
		return new N8nInstance(major, command, workDir, env);
	}

	/** Runs `n8n <args>`; the output is kept in the transcript and in <workDir>/logs. */
	async n8n(args: string[]): Promise<CommandResult> {
		const result = await run(this.command[0], [this.command[1], ...args], { cwd: this.workDir, env: this.env });
		const text = `$ n8n ${args.join(' ')}\n[exit ${result.code}]\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}\n`;
		this.transcript.push(text);
		mkdirSync(join(this.workDir, 'logs'), { recursive: true });
		writeFileSync(
			join(this.workDir, 'logs', `${String(++this.step).padStart(2, '0')}-${args[0].replace(/\W/g, '_')}.log`),
			text,
		);
		return result;
	}

	private async importFile(what: 'credentials' | 'workflow', name: string, content: unknown): Promise<void> {
		const file = join(this.workDir, name);
		writeFileSync(file, JSON.stringify(content, null, '\t'));
		const result = await this.n8n([`import:${what}`, `--input=${file}`]);
		if (result.code !== 0)
			throw new Error(`n8n import:${what} failed (exit ${result.code}):\n${tail(result.stdout + result.stderr)}`);
	}

	/** Credentials with plain `data`: n8n encrypts them with N8N_ENCRYPTION_KEY on import. */
	importCredentials(credentials: unknown[]): Promise<void> {
		return this.importFile('credentials', 'credentials.json', credentials);
	}

	importWorkflows(workflows: unknown[]): Promise<void> {
		return this.importFile('workflow', 'workflows.json', workflows);
	}

	async execute(workflowId: string): Promise<Execution> {
		const result = await this.n8n(['execute', `--id=${workflowId}`, '--rawOutput']);
		let parsed: unknown;
		try {
			parsed = extractJson(result.stdout);
		} catch (error) {
			throw new Error(
				`n8n execute --id=${workflowId} (exit ${result.code}): ${(error as Error).message}\n--- stderr ---\n${tail(result.stderr)}`,
			);
		}
		return { ...result, run: parsed as Execution['run'] };
	}

	/** The output items of a node's first run, or a readable error naming what the run holds. */
	static items(execution: Execution, nodeName: string): ExecutionItem[] {
		const runs = execution.run.data.resultData.runData[nodeName];
		const items = runs?.[0]?.data?.main?.[0];
		if (!items) {
			const ran = Object.keys(execution.run.data.resultData.runData).join(', ');
			const error = execution.run.data.resultData.error?.message;
			throw new Error(`Node "${nodeName}" has no output (nodes that ran: ${ran}${error ? `; error: ${error}` : ''})`);
		}
		return items;
	}

	/**
	 * Activates (publishes) a workflow before the server starts: `publish:workflow` in n8n 2.x, where a workflow
	 * runs its published version; `update:workflow --active=true` in 1.x, which has no publish command.
	 */
	async activate(workflowId: string): Promise<void> {
		let result = await this.n8n(['publish:workflow', `--id=${workflowId}`]);
		if (result.code !== 0 && /command "?publish:workflow"? not found/i.test(result.stdout + result.stderr))
			result = await this.n8n(['update:workflow', `--id=${workflowId}`, '--active=true']);
		if (result.code !== 0)
			throw new Error(`Activating ${workflowId} failed (exit ${result.code}):\n${tail(result.stdout + result.stderr)}`);
	}

	/** `n8n start` on a free loopback port, in its own process group; its output goes to <workDir>/logs/server.log. */
	async startServer(settings: Record<string, string> = {}): Promise<N8nServer> {
		const port = await freePort();
		const server = await this.spawn(['start'], 'server', {
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_SECURE_COOKIE: 'false',
			...settings,
		});
		return server.withUrl(`http://127.0.0.1:${port}`);
	}

	/**
	 * A long-running n8n command (`start`, `worker`) in its own process group, with its own task-runner broker port
	 * (two n8n processes on one machine otherwise collide on it); its output goes to <workDir>/logs/<name>.log.
	 */
	async spawn(args: string[], name: string, settings: Record<string, string> = {}): Promise<N8nServer> {
		const env = { ...this.env, N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...settings };
		mkdirSync(join(this.workDir, 'logs'), { recursive: true });
		const logFile = join(this.workDir, 'logs', `${name}.log`);
		const log = openSync(logFile, 'w');
		try {
			const child = spawn(this.command[0], [this.command[1], ...args], {
				cwd: this.workDir,
				env,
				detached: true,
				stdio: ['ignore', log, log],
			});
			return new N8nServer(child, '', logFile);
		} finally {
			closeSync(log);
		}
	}

	/** Removes the user folder; E2E_KEEP=1 keeps it, with each n8n command's output in <workDir>/logs. */
	cleanUp(): void {
		if (process.env.E2E_KEEP === '1') {
			process.stderr.write(`[e2e] kept n8n ${this.major}.x user folder: ${this.workDir}\n`);
			return;
		}
		rmSync(this.workDir, { recursive: true, force: true });
	}
}

/** A running `n8n start`. `stop()` ends its whole process group; so does this process's exit, as a last resort. */
export class N8nServer {
	private readonly killOnExit = () => this.signal('SIGKILL');

	constructor(
		readonly child: ChildProcess,
		public url: string,
		readonly logFile: string,
	) {
		process.once('exit', this.killOnExit);
	}

	withUrl(url: string): this {
		this.url = url;
		return this;
	}

	get exited(): boolean {
		return this.child.exitCode !== null || this.child.signalCode !== null;
	}

	log(): string {
		return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
	}

	private signal(signal: NodeJS.Signals): void {
		if (!this.child.pid) return;
		try {
			process.kill(-this.child.pid, signal);
		} catch {
			// the group is gone already
		}
	}

	/** SIGTERM to the group, SIGKILL after `graceMs`, then SIGKILL again for anything left in the group. */
	async stop(graceMs = 10_000): Promise<void> {
		if (!this.exited) {
			const exited = new Promise<void>((done) => this.child.once('exit', () => done()));
			this.signal('SIGTERM');
			const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
			await exited;
			clearTimeout(timer);
		}
		this.signal('SIGKILL');
		process.removeListener('exit', this.killOnExit);
	}
}
