import type { IDataObject } from 'n8n-workflow';
import { DEMO_END_MS, demoSessions } from '../../dev/emulator/demoData';
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
	/**
	 * Stops the API's clock (meta.timestamp) at a fixed instant after the demo data, for this test only (nobody may
	 * save meanwhile): the metadata windows, and so every request of a parallel export, are then the same each run,
	 * and so are the faults seeded on them.
	 */
	stopApiClock(): void;
}

/** An instant a month after the demo data's last session started: later than every save in it. */
export const AFTER_THE_DEMO_DATA_MS = DEMO_END_MS + 30 * 24 * 3600_000;

/** Starts an emulator with `sessions` demo sessions for the test file, and clears its log and faults between tests. */
export function useEmulator(sessions: number, options: EmulatorOptions = {}): EmulatorFixture {
	const emulator = new LearnosityEmulator({ sessions: demoSessions({ sessions }), ...options });
	let clockBeforeStop: (() => number) | undefined;
	let baseUrl = '';
	beforeAll(async () => {
		baseUrl = await emulator.start();
	});
	afterAll(async () => await emulator.stop());
	beforeEach(() => {
		emulator.log.length = 0;
		emulator.clearFaults();
	});
	afterEach(() => {
		if (clockBeforeStop) emulator.dataClock = clockBeforeStop;
		clockBeforeStop = undefined;
	});
	return {
		emulator,
		stopApiClock: () => {
			clockBeforeStop ??= emulator.dataClock;
			emulator.dataClock = () => AFTER_THE_DEMO_DATA_MS;
		},
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
