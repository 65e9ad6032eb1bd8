import { mkdirSync, rmSync } from 'fs';
import { basename, join } from 'path';
import { buildAndPack, installCommunityPackage } from '../n8n/n8nInstance';

const PACKAGE_NAME = 'n8n-nodes-learnosity';

/**
 * Builds and packs this package, and installs the tarball into the demo's n8n the way n8n installs a community
 * package, replacing what an earlier run installed, so the demo always runs the current code.
 */
export async function installCurrentPackage(userFolder: string): Promise<string> {
	const packDir = join(userFolder, 'package');
	rmSync(packDir, { recursive: true, force: true });
	mkdirSync(packDir, { recursive: true });
	const tarball = await buildAndPack(packDir);
	rmSync(join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME), { recursive: true, force: true });
	await installCommunityPackage(userFolder, tarball);
	return basename(tarball);
}
