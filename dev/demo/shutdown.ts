import { say } from './output';
import { stopAll } from './processes';

/**
 * Ctrl-C (SIGINT), SIGTERM and SIGHUP stop everything the demo started, in order: the child process groups (the
 * runtime install, n8n), then what runs in this process (the emulator). Repeated signals, e.g. the one npm forwards
 * right after the terminal's, do not start a second shutdown.
 */
export class Shutdown {
	private readonly inProcess: Array<() => Promise<void>> = [];
	private stopping = false;

	constructor() {
		for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
			process.on(signal, () => void this.stop(0, signal === 'SIGINT' ? 'Ctrl-C' : signal));
		}
	}

	get isStopping(): boolean {
		return this.stopping;
	}

	/** Something running inside this process, stopped after the child processes. */
	onStop(stop: () => Promise<void>): void {
		this.inProcess.unshift(stop);
	}

	async stop(exitCode: number, reason?: string): Promise<void> {
		if (this.stopping) return;
		this.stopping = true;
		if (reason) say(`\n${reason}: stopping n8n and the emulator…`);
		await stopAll();
		for (const stop of this.inProcess) await stop().catch(() => undefined);
		if (reason) say('Stopped.');
		process.exit(exitCode);
	}
}
