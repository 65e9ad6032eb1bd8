import { createServer } from 'net';
import { demoSessions } from '../emulator/demoData';
import { LearnosityEmulator } from '../emulator/server';

export const DEMO_SESSIONS = 3000;
const EMULATOR_HOST = '127.0.0.1';

export class PortInUseError extends Error {}

/** Fails early, with the variable to change, when something already listens on the port. */
export function assertPortFree(port: number, host: string, setting: string): Promise<void> {
	return new Promise((done, fail) => {
		const probe = createServer();
		probe.once('error', (error: NodeJS.ErrnoException) =>
			fail(
				error.code === 'EADDRINUSE'
					? new PortInUseError(
							`port ${port} on ${host} is in use (another \`npm start\`?): stop that, or set ${setting} to a free port`,
						)
					: error,
			),
		);
		probe.listen(port, host, () => probe.close(() => done()));
	});
}

export interface RunningEmulator {
	emulator: LearnosityEmulator;
	url: string;
	sessions: number;
	activities: number;
	learners: number;
}

/** The Learnosity emulator in this process, on loopback, with demo sessions from the last 60 days. */
export async function startEmulator(port: number): Promise<RunningEmulator> {
	await assertPortFree(port, EMULATOR_HOST, 'LEARNOSITY_EMULATOR_PORT');
	const sessions = demoSessions({ sessions: DEMO_SESSIONS, endMs: Date.now() });
	const emulator = new LearnosityEmulator({ sessions });
	const url = await emulator.start(port, EMULATOR_HOST);
	return {
		emulator,
		url,
		sessions: sessions.length,
		activities: new Set(sessions.map((session) => session.activity_id)).size,
		learners: new Set(sessions.map((session) => session.user_id)).size,
	};
}
