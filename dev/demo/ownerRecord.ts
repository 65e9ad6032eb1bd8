import { createHash } from 'crypto';
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import type { OwnerLogin } from './config';

/**
 * Which login the demo's owner was set up with (the password only as a hash), so that changing
 * N8N_DEMO_OWNER_EMAIL / N8N_DEMO_OWNER_PASSWORD between runs sets the owner up again instead of failing to log in.
 */
const fileOf = (userFolder: string) => join(userFolder, 'demo-owner.json');
const fingerprint = (owner: OwnerLogin) =>
	createHash('sha256').update(`${owner.email.toLowerCase()}\n${owner.password}`).digest('hex');

/** True when an owner was set up in this folder with another login than `owner`. */
export function ownerLoginChanged(userFolder: string, owner: OwnerLogin): boolean {
	if (!existsSync(fileOf(userFolder))) return false;
	const recorded = JSON.parse(readFileSync(fileOf(userFolder), 'utf8')) as { fingerprint?: string };
	return recorded.fingerprint !== fingerprint(owner);
}

export function rememberOwnerLogin(userFolder: string, owner: OwnerLogin): void {
	writeFileSync(
		fileOf(userFolder),
		JSON.stringify({ email: owner.email, fingerprint: fingerprint(owner) }, null, '\t'),
	);
}
