import type { ChildProcess } from 'child_process';
import { appendFileSync, closeSync, mkdirSync, openSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { extractJson, headlessN8nSettings, tail, type Execution } from '../n8n/n8nInstance';
import type { DemoConfig } from './config';
import type { N8nRuntime } from './runtime';
import { runInGroup, spawnGroup } from './processes';

/** Fixed, so the credentials in the demo's database stay readable from one run to the next. Not a secret. */
const DEMO_ENCRYPTION_KEY = 'learnosity-demo-encryption-key-not-secret';

/** The demo's n8n: its CLI (imports, a check run) before the server starts, then the server itself. */
export class DemoN8n {
	readonly logFile: string;
	private readonly cliLog: string;

	private constructor(
		private readonly runtime: N8nRuntime,
		private readonly config: DemoConfig,
		private readonly env: NodeJS.ProcessEnv,
	) {
		this.logFile = join(config.userFolder, 'n8n.log');
		this.cliLog = join(config.userFolder, 'n8n-cli.log');
	}

	static async create(runtime: N8nRuntime, config: DemoConfig): Promise<DemoN8n> {
		const env: NodeJS.ProcessEnv = { ...process.env };
		// NODE_ENV=test silences n8n's logger, and with it the run JSON that `execute` prints.
		if (env.NODE_ENV === 'test') delete env.NODE_ENV;
		Object.assign(env, await headlessN8nSettings(config.major, config.userFolder, DEMO_ENCRYPTION_KEY), {
			N8N_PORT: String(config.port),
			N8N_LISTEN_ADDRESS: config.listenAddress,
			// Plain http on localhost: a secure cookie would be dropped by the browser.
			N8N_SECURE_COOKIE: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
		});
		mkdirSync(config.userFolder, { recursive: true });
		return new DemoN8n(runtime, config, env);
	}

	get url(): string {
		return `http://localhost:${this.config.port}`;
	}

	/** Runs `n8n <args>` to completion; its output is appended to n8n-cli.log in the user folder (stdout unless secret). */
	async cli(args: string[], options: { secretOutput?: boolean } = {}) {
		const result = await runInGroup(this.runtime.node, [this.runtime.bin, ...args], {
			cwd: this.config.userFolder,
			env: this.env,
		});
		const stdout = options.secretOutput ? '[stdout not logged]' : result.stdout;
		appendFileSync(this.cliLog, `\n$ n8n ${args.join(' ')}\n[exit ${result.code}]\n${stdout}\n${result.stderr}\n`);
		return result;
	}

	private async cliOrThrow(args: string[]) {
		const result = await this.cli(args);
		if (result.code !== 0)
			throw new Error(
				`n8n ${args.join(' ')} failed (exit ${result.code}):\n${tail(result.stdout + result.stderr, 2000)}`,
			);
		return result;
	}

	/** The file each import reads; the credentials one also tells the next run what was imported. */
	importFile(what: 'credentials' | 'workflow'): string {
		return join(this.config.userFolder, 'import', `${what}.json`);
	}

	private async import(what: 'credentials' | 'workflow', content: unknown[]): Promise<void> {
		const file = this.importFile(what);
		mkdirSync(dirname(file), { recursive: true });
		writeFileSync(file, JSON.stringify(content, null, '\t'));
		await this.cliOrThrow([`import:${what}`, `--input=${file}`]);
	}

	/** Imports by id: a second import updates the same credential and workflows instead of adding copies. */
	importCredentials(credentials: unknown[]): Promise<void> {
		return this.import('credentials', credentials);
	}

	importWorkflows(workflows: unknown[]): Promise<void> {
		return this.import('workflow', workflows);
	}

	/** A credential's data as n8n stores it, decrypted (kept out of the log); undefined when there is none. */
	async storedCredentialData(id: string): Promise<Record<string, unknown> | undefined> {
		const result = await this.cli(['export:credentials', `--id=${id}`, '--decrypted', '--pretty'], {
			secretOutput: true,
		});
		const start = result.stdout.search(/^\[/m);
		const end = result.stdout.lastIndexOf(']');
		if (result.code !== 0 || start < 0 || end < start) return undefined;
		const [credential] = JSON.parse(result.stdout.slice(start, end + 1)) as Array<{ data?: Record<string, unknown> }>;
		return credential?.data;
	}

	/** Back to a not-yet-set-up owner, keeping workflows and credentials (they stay with the owner). */
	async resetOwner(): Promise<void> {
		await this.cliOrThrow(['user-management:reset']);
	}

	/** Runs a workflow once with `n8n execute` and returns the number of items the node produced. */
	async executeAndCount(workflowId: string, nodeName: string): Promise<number> {
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput']);
		const execution = extractJson(result.stdout) as Execution['run'];
		const error = execution.data.resultData.error;
		if (error)
			throw new Error(
				`the run failed in "${error.node?.name ?? '?'}": ${error.message}${error.description ? ` (${error.description})` : ''}`,
			);
		const items = execution.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0];
		if (!items) throw new Error(`"${nodeName}" did not run (exit ${result.code})`);
		return items.length;
	}

	/** `n8n start`, in its own process group, its output in n8n.log (replaced on each start). */
	startServer(): ChildProcess {
		writeFileSync(this.logFile, '');
		const log = openSync(this.logFile, 'a');
		try {
			return spawnGroup(this.runtime.node, [this.runtime.bin, 'start'], {
				cwd: this.config.userFolder,
				env: this.env,
				stdio: ['ignore', log, log],
			});
		} finally {
			closeSync(log);
		}
	}
}
