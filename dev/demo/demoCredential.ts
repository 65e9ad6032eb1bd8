import { existsSync, readFileSync } from 'fs';
import { DEMO_CONSUMER_KEY, DEMO_CONSUMER_SECRET } from '../emulator/server';
import type { DemoN8n } from './n8n';

/** The demo's Learnosity API credential: its id is fixed, so re-importing updates it instead of adding another. */
export const DEMO_CREDENTIAL = { id: 'lrnDemoEmulator1', name: 'Learnosity emulator (demo)' };
export const CREDENTIAL_TYPE = 'learnosityApi';

export type CredentialData = Record<string, unknown>;

export interface ImportableCredential {
	id: string;
	name: string;
	type: string;
	data: CredentialData;
}

/** For `n8n import:credentials`: plain data, which n8n encrypts with the demo's encryption key. */
export function demoCredential(emulatorUrl: string): ImportableCredential {
	return {
		...DEMO_CREDENTIAL,
		type: CREDENTIAL_TYPE,
		data: {
			consumerKey: DEMO_CONSUMER_KEY,
			consumerSecret: DEMO_CONSUMER_SECRET,
			domain: 'localhost',
			region: 'custom',
			baseUrl: emulatorUrl,
			apiVersion: 'v2025.2.LTS',
		},
	};
}

/** Where a credential sends requests, in words. */
export function credentialTarget(data: CredentialData): string {
	return data.region === 'custom' ? String(data.baseUrl) : `Learnosity region "${String(data.region)}"`;
}

const sameData = (a: CredentialData, b: CredentialData) =>
	JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/**
 * The credential's data when the newcomer has edited it in n8n since the last import (e.g. pointed it at the real
 * Learnosity), so that re-importing does not undo the edit; undefined when it is still as imported, or missing.
 */
export async function editedCredential(n8n: DemoN8n, importedFile: string): Promise<CredentialData | undefined> {
	if (!existsSync(importedFile)) return undefined;
	const [imported] = JSON.parse(readFileSync(importedFile, 'utf8')) as ImportableCredential[];
	const stored = await n8n.storedCredentialData(DEMO_CREDENTIAL.id);
	if (!imported || !stored || sameData(stored, imported.data)) return undefined;
	return stored;
}
