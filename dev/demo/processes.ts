import { spawn, type ChildProcess, type SpawnOptions } from 'child_process';

/**
 * Long-lived children (the runtime install, n8n) run in their own process groups, so stopping one stops everything it
 * started, and a Ctrl-C reaches them only through `stopAll`, in order.
 */
const running = new Set<ChildProcess>();

export function spawnGroup(file: string, args: string[], options: SpawnOptions): ChildProcess {
	const child = spawn(file, args, { ...options, detached: true });
	running.add(child);
	child.once('exit', () => running.delete(child));
	child.once('error', () => running.delete(child));
	return child;
}

export function exited(child: ChildProcess): Promise<number | null> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
	return new Promise((done) => child.once('exit', (code) => done(code)));
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (!child.pid) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// the group is gone already
	}
}

/** SIGTERM to the child's whole group, SIGKILL if it is still there after `graceMs`. */
export async function stopGroup(child: ChildProcess, graceMs = 15_000): Promise<void> {
	const done = exited(child);
	signalGroup(child, 'SIGTERM');
	const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
	await done;
	clearTimeout(timer);
	// The leader is gone; anything it left in its group goes too.
	signalGroup(child, 'SIGKILL');
}

export async function stopAll(): Promise<void> {
	await Promise.all([...running].map((child) => stopGroup(child)));
}

// Last resort when this process ends without stopping its children (an uncaught error, process.exit).
process.on('exit', () => {
	for (const child of running) signalGroup(child, 'SIGKILL');
});

export interface GroupResult {
	code: number;
	stdout: string;
	stderr: string;
}

/** Runs a command to completion in its own group (so a shutdown stops it too); never rejects. */
export function runInGroup(
	file: string,
	args: string[],
	options: Pick<SpawnOptions, 'cwd' | 'env'>,
): Promise<GroupResult> {
	return new Promise((done) => {
		const child = spawnGroup(file, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.once('error', (error) => done({ code: -1, stdout, stderr: `${stderr}${error.message}` }));
		child.once('close', (code, signal) =>
			done({ code: code ?? -1, stdout, stderr: signal ? `${stderr}\n[killed: ${signal}]` : stderr }),
		);
	});
}
