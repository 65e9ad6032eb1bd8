import { mkdtempSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/**
 * One temporary folder per jest run, holding everything the tests write to disk (n8n-core's user folders, the
 * package built and packed by the pack test): created by the global setup, removed by the global teardown, so a run
 * leaves nothing behind in the temp directory. Test files reach it through RUN_FOLDER_ENV (jest's workers inherit the
 * environment the global setup leaves).
 */
export const RUN_FOLDER_ENV = 'LEARNOSITY_TEST_RUN_FOLDER';
const PREFIX = 'learnosity-test-run-';

function isRunning(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Run folders of jest runs that were killed before their teardown: the pid in the name is no longer running. */
function removeAbandonedRunFolders(): void {
	for (const name of readdirSync(tmpdir())) {
		const pid = Number(/^learnosity-test-run-(\d+)-/.exec(name)?.[1]);
		if (pid && pid !== process.pid && !isRunning(pid)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
	}
}

export function createRunFolder(): string {
	removeAbandonedRunFolders();
	const folder = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
	process.env[RUN_FOLDER_ENV] = folder;
	return folder;
}

export function removeRunFolder(): void {
	const folder = process.env[RUN_FOLDER_ENV];
	if (folder) rmSync(folder, { recursive: true, force: true });
}

/** A new folder inside this run's folder (or the temp directory when jest runs without the global setup). */
export function runTempFolder(prefix: string): string {
	return mkdtempSync(join(process.env[RUN_FOLDER_ENV] ?? tmpdir(), prefix));
}
