import { spawn, type ChildProcess } from 'child_process';
import { chmodSync, chownSync, closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync } from 'fs';
import { connect } from 'net';
import { tmpdir, userInfo } from 'os';
import { join } from 'path';
import { freePort, run, runOrThrow, tail } from '../n8n/n8nInstance';

/*
 * The two services n8n's queue mode needs, started from Debian's packages as throwaway instances on free loopback
 * ports, each in its own temporary folder: nothing touches the machine's own Redis or PostgreSQL cluster.
 */

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Resolves once something accepts TCP connections on `port`, or throws after `timeoutMs`. */
export async function waitForPort(port: number, what: string, timeoutMs = 30_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const open = await new Promise<boolean>((done) => {
			const socket = connect(port, '127.0.0.1');
			socket.once('connect', () => (socket.destroy(), done(true)));
			socket.once('error', () => done(false));
		});
		if (open) return;
		if (Date.now() > deadline) throw new Error(`${what} did not listen on port ${port} within ${timeoutMs / 1000} s`);
		await sleep(200);
	}
}

function missing(binary: string, aptPackage: string): Error {
	return new Error(
		`${binary} is not installed. Queue mode needs it: \`apt-get install -y ${aptPackage}\` (.ci/run does this).`,
	);
}

/** `redis-server` without persistence on a free port. */
export class RedisService {
	private constructor(
		private readonly child: ChildProcess,
		readonly port: number,
		private readonly dir: string,
	) {}

	static async start(): Promise<RedisService> {
		const binary = '/usr/bin/redis-server';
		if (!existsSync(binary)) throw missing('redis-server', 'redis-server');
		const port = await freePort();
		const dir = mkdtempSync(join(tmpdir(), 'learnosity-redis-'));
		const log = openSync(join(dir, 'redis.log'), 'w');
		const child = spawn(
			binary,
			['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
			{ stdio: ['ignore', log, log] },
		);
		closeSync(log);
		const redis = new RedisService(child, port, dir);
		await waitForPort(port, 'redis-server');
		return redis;
	}

	async stop(): Promise<void> {
		if (this.child.exitCode === null && this.child.signalCode === null) {
			const exited = new Promise((done) => this.child.once('exit', done));
			this.child.kill('SIGTERM');
			await exited;
		}
		rmSync(this.dir, { recursive: true, force: true });
	}
}

/** The newest PostgreSQL server binaries Debian installed, e.g. /usr/lib/postgresql/15/bin. */
function postgresBin(): string {
	const root = '/usr/lib/postgresql';
	const versions = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)) : [];
	const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
	if (!newest || !existsSync(join(root, newest, 'bin', 'initdb'))) throw missing('PostgreSQL', 'postgresql');
	return join(root, newest, 'bin');
}

/**
 * A PostgreSQL cluster of its own (initdb into a temporary folder, trust authentication on loopback only). PostgreSQL
 * refuses to run as root, so as root it runs as the `postgres` user Debian's package created.
 */
export class PostgresService {
	readonly user = 'postgres';
	readonly database = 'postgres';

	private constructor(
		private readonly bin: string,
		private readonly dir: string,
		readonly port: number,
	) {}

	private static asServiceUser(file: string, args: string[]): [string, string[]] {
		return userInfo().uid === 0 ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
	}

	static async start(): Promise<PostgresService> {
		const bin = postgresBin();
		const dir = mkdtempSync(join(tmpdir(), 'learnosity-postgres-'));
		if (userInfo().uid === 0) {
			const { stdout } = await runOrThrow('id', ['-u', 'postgres']);
			const { stdout: gid } = await runOrThrow('id', ['-g', 'postgres']);
			chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
		}
		chmodSync(dir, 0o700);
		const data = join(dir, 'data');
		const port = await freePort();
		const service = new PostgresService(bin, dir, port);
		const initdb = PostgresService.asServiceUser(join(bin, 'initdb'), [
			'-D',
			data,
			'-U',
			service.user,
			'--auth=trust',
			'--no-sync',
		]);
		await runOrThrow(initdb[0], initdb[1], { timeoutMs: 120_000 });
		const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c max_connections=200`;
		const start = PostgresService.asServiceUser(join(bin, 'pg_ctl'), [
			'-D',
			data,
			'-l',
			join(dir, 'postgres.log'),
			'-o',
			options,
			'-w',
			'start',
		]);
		const started = await run(start[0], start[1], { timeoutMs: 60_000 });
		if (started.code !== 0) throw new Error(`PostgreSQL did not start:\n${tail(started.stdout + started.stderr)}`);
		await waitForPort(port, 'PostgreSQL');
		return service;
	}

	/** The DB_* settings that point n8n at this cluster. */
	n8nSettings(): Record<string, string> {
		return {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(this.port),
			DB_POSTGRESDB_DATABASE: this.database,
			DB_POSTGRESDB_USER: this.user,
			DB_POSTGRESDB_PASSWORD: '',
		};
	}

	/** Rows of a query, each a list of column values (psql's unaligned, tab-separated output). */
	async query(sql: string): Promise<string[][]> {
		const { stdout } = await runOrThrow('psql', [
			'-h',
			'127.0.0.1',
			'-p',
			String(this.port),
			'-U',
			this.user,
			'-d',
			this.database,
			'-At',
			'-F',
			'\t',
			'-c',
			sql,
		]);
		return stdout
			.split('\n')
			.filter(Boolean)
			.map((line) => line.split('\t'));
	}

	async stop(): Promise<void> {
		const stop = PostgresService.asServiceUser(join(this.bin, 'pg_ctl'), [
			'-D',
			join(this.dir, 'data'),
			'-m',
			'fast',
			'-w',
			'stop',
		]);
		await run(stop[0], stop[1], { timeoutMs: 60_000 });
		rmSync(this.dir, { recursive: true, force: true });
	}
}
