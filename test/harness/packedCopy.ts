import { cpSync, symlinkSync } from 'fs';
import { join, relative, sep } from 'path';
import { REPO_ROOT, runOrThrow } from '../../dev/n8n/n8nInstance';
import { runTempFolder } from './runFolder';

/** Never copied: installed or generated locally, and never part of what `npm pack` reads from a fresh clone. */
const LOCAL_ONLY = new Set(['node_modules', 'dist', '.tools-build', '.n8n-runtime', '.demo', '.git', 'coverage']);

export interface PackedCopy {
	/** The copy of the repository, built: dist/ as `npm run build` makes it. */
	dir: string;
	/** The tarball's files, as `npm pack` reports them. */
	files: string[];
}

/**
 * Copies the repository (without anything built or installed) into this jest run's temporary folder, runs the
 * package's own `npm run build` there and packs it: what `npm publish` would ship from a fresh clone, checked without
 * needing a build beforehand and without touching the working tree's dist/.
 */
export async function buildAndPackCopy(): Promise<PackedCopy> {
	const dir = runTempFolder('package-');
	cpSync(REPO_ROOT, dir, {
		recursive: true,
		filter: (source) => {
			const [top] = relative(REPO_ROOT, source).split(sep);
			return !LOCAL_ONLY.has(top) && !source.endsWith('.tgz');
		},
	});
	symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'junction');
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	await runOrThrow(npm, ['run', 'build'], { cwd: dir, timeoutMs: 300_000 });
	const { stdout } = await runOrThrow(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
		cwd: dir,
	});
	const [result] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{ files: Array<{ path: string }> }>;
	return { dir, files: result.files.map((file) => file.path).sort() };
}
