import { N8nInstance, tail, type N8nServer } from '../n8n/n8nInstance';
import { PostgresService, RedisService } from './services';

/*
 * n8n in queue mode on this machine, as an operator sets it up: Redis and PostgreSQL shared by a main process (`n8n
 * start`: editor, webhooks, active triggers) and several workers (`n8n worker`) that run the executions. Every
 * process shares one user folder (the community package installed once) and one encryption key, and gets its own
 * task-runner broker port.
 */

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export interface QueueClusterOptions {
	workers: number;
	/** Executions each worker runs at once; 1 makes two simultaneous executions land on two workers. */
	concurrency: number;
}

/** Which worker ran an execution, from the workers' "Worker started execution <id>" log lines. */
export interface WorkerExecution {
	worker: number;
	executionId: string;
}

export class QueueCluster {
	main?: N8nServer;
	readonly workers: N8nServer[] = [];

	private constructor(
		readonly n8n: N8nInstance,
		private readonly redis: RedisService,
		readonly postgres: PostgresService,
		private readonly options: QueueClusterOptions,
	) {}

	/** Starts Redis and PostgreSQL and prepares the n8n user folder; import and activate, then `start()`. */
	static async prepare(major: string, tarball: string, options: QueueClusterOptions): Promise<QueueCluster> {
		const redis = await RedisService.start();
		let postgres: PostgresService | undefined;
		try {
			postgres = await PostgresService.start();
			const n8n = await N8nInstance.create(major, tarball, {
				...postgres.n8nSettings(),
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: '127.0.0.1',
				QUEUE_BULL_REDIS_PORT: String(redis.port),
				// The workers' "Worker started execution" lines tell which worker ran what.
				N8N_LOG_LEVEL: 'info',
			});
			return new QueueCluster(n8n, redis, postgres, options);
		} catch (error) {
			await postgres?.stop();
			await redis.stop();
			throw error;
		}
	}

	private get processes(): N8nServer[] {
		return [...(this.main ? [this.main] : []), ...this.workers];
	}

	/** Waits until `check` holds, failing early (with the logs) if any n8n process exits. */
	async waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const value = await check();
			if (value !== undefined) return value;
			const gone = this.processes.find((process) => process.exited);
			if (gone) throw new Error(`An n8n process exited while waiting for ${what}:\n${tail(gone.log())}`);
			if (Date.now() > deadline)
				throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}:\n${this.logs()}`);
			await sleep(250);
		}
	}

	/**
	 * Starts the workers, then the main process, and waits until each worker says it is ready and the main process
	 * serves `readyPath` (e.g. an active workflow's webhook: /healthz answers before webhook routes are registered).
	 */
	async start(readyProbe: (baseUrl: string) => Promise<boolean>): Promise<void> {
		for (let n = 0; n < this.options.workers; n++) {
			this.workers.push(
				await this.n8n.spawn(['worker', `--concurrency=${this.options.concurrency}`], `worker-${n + 1}`),
			);
		}
		this.main = await this.n8n.startServer();
		for (const [n, worker] of this.workers.entries()) {
			await this.waitFor(
				`worker ${n + 1} to be ready`,
				() => /worker is now ready/.test(worker.log()) || undefined,
				180_000,
			);
		}
		const url = this.main.url;
		await this.waitFor(
			'the main process to serve the active workflows',
			async () => (await readyProbe(url).catch(() => false)) || undefined,
			180_000,
		);
	}

	/** Every execution a worker has started so far. */
	workerExecutions(): WorkerExecution[] {
		return this.workers.flatMap((worker, n) =>
			[...worker.log().matchAll(/Worker started execution (\S+)/g)].map((match) => ({
				worker: n + 1,
				executionId: match[1],
			})),
		);
	}

	/** Each finished execution in the shared database: its id, workflow and status. */
	async executions(): Promise<Array<{ id: string; workflowId: string; status: string }>> {
		const rows = await this.postgres.query('SELECT id, "workflowId", status FROM execution_entity ORDER BY id');
		return rows.map(([id, workflowId, status]) => ({ id, workflowId, status }));
	}

	logs(): string {
		return this.processes.map((process) => `--- ${process.logFile} ---\n${tail(process.log(), 3000)}`).join('\n');
	}

	async stop(): Promise<void> {
		for (const process of this.processes.reverse()) await process.stop();
		await this.postgres.stop();
		await this.redis.stop();
		this.n8n.cleanUp();
	}
}
