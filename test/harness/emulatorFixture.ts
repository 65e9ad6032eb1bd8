import type { IDataObject } from 'n8n-workflow';
import { demoSessions } from '../../dev/emulator/demoData';
import {
	DEMO_CONSUMER_KEY,
	DEMO_CONSUMER_SECRET,
	LearnosityEmulator,
	type EmulatorOptions,
} from '../../dev/emulator/server';

export interface EmulatorFixture {
	emulator: LearnosityEmulator;
	/** Credential fields pointing at the running emulator; `change` overrides some of them. */
	credentials(change?: IDataObject): IDataObject;
}

/** Starts an emulator with `sessions` demo sessions for the test file, and clears its log and faults between tests. */
export function useEmulator(sessions: number, options: EmulatorOptions = {}): EmulatorFixture {
	const emulator = new LearnosityEmulator({ sessions: demoSessions({ sessions }), ...options });
	let baseUrl = '';
	beforeAll(async () => {
		baseUrl = await emulator.start();
	});
	afterAll(async () => await emulator.stop());
	beforeEach(() => {
		emulator.log.length = 0;
		emulator.clearFaults();
	});
	return {
		emulator,
		credentials: (change = {}) => ({
			consumerKey: DEMO_CONSUMER_KEY,
			consumerSecret: DEMO_CONSUMER_SECRET,
			domain: 'localhost',
			region: 'custom',
			baseUrl,
			apiVersion: 'v2025.2.LTS',
			...change,
		}),
	};
}
