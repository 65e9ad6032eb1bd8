import { existsSync } from 'fs';
import { join } from 'path';
import { createInterface } from 'readline';
import { REPO_ROOT, runOrThrow, runtimeVersion } from '../n8n/n8nInstance';
import type { N8nMajor } from './config';
import { seconds } from './output';
import { exited, spawnGroup } from './processes';

export interface N8nRuntime {
	node: string;
	bin: string;
	n8nVersion: string;
	nodeVersion: string;
	/** Whether this run installed it (the first run), rather than reusing it. */
	installedNow: boolean;
}

const RUNTIME_SCRIPT = join(REPO_ROOT, 'scripts', 'n8n-runtime.sh');
const SILENCE_MS = 30_000;

export function runtimeInstalled(major: N8nMajor): boolean {
	return existsSync(join(REPO_ROOT, '.n8n-runtime', `n8n-${runtimeVersion(major)}`, '.ready'));
}

/**
 * scripts/n8n-runtime.sh installs the runtime into .n8n-runtime/ the first time (minutes) and reuses it afterwards.
 * Its progress lines (stderr) go to `progress`, with a note of the elapsed time whenever it is quiet for a while.
 */
export async function ensureRuntime(major: N8nMajor, progress: (line: string) => void): Promise<N8nRuntime> {
	const installedNow = !runtimeInstalled(major);
	const started = Date.now();
	const script = spawnGroup('bash', [RUNTIME_SCRIPT, major], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
	let stdout = '';
	script.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	let lastLineAt = Date.now();
	createInterface({ input: script.stderr! }).on('line', (line) => {
		lastLineAt = Date.now();
		// npm's warnings (config, install scripts) say nothing about progress; errors still show.
		if (line.trim() && !/^npm warn/i.test(line)) progress(line.replace(/^\[n8n-runtime\]\s*/, ''));
	});
	const heartbeat = setInterval(() => {
		if (Date.now() - lastLineAt < SILENCE_MS) return;
		lastLineAt = Date.now();
		progress(`… still working (${seconds(Date.now() - started)} so far)`);
	}, 1000);
	const code = await exited(script).finally(() => clearInterval(heartbeat));
	if (code !== 0) throw new Error(`scripts/n8n-runtime.sh ${major} failed (exit ${code}); its messages are above`);

	const [node, bin] = (stdout.trim().split('\n').pop() ?? '').split(' ');
	if (!node || !bin || !existsSync(node) || !existsSync(bin))
		throw new Error(`scripts/n8n-runtime.sh ${major} printed "${stdout.trim()}"`);
	const { stdout: nodeVersion } = await runOrThrow(node, ['--version']);
	return { node, bin, n8nVersion: runtimeVersion(major) ?? '?', nodeVersion: nodeVersion.trim(), installedNow };
}
