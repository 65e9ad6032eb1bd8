/** What `npm start` prints: one line per finished step, with its duration. */

const LABEL_WIDTH = 14;

export function say(line = ''): void {
	process.stdout.write(`${line}\n`);
}

export function seconds(ms: number): string {
	if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
	const minutes = Math.floor(ms / 60_000);
	return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function stepLine(label: string, text: string): void {
	say(`  ${label.padEnd(LABEL_WIDTH)}${text}`);
}

/** Progress printed while a slow step runs, indented under the step's line. */
export function progressLine(text: string): void {
	say(`  ${''.padEnd(LABEL_WIDTH)}│ ${text}`);
}

export class StepError extends Error {
	constructor(
		readonly label: string,
		readonly cause: Error,
	) {
		super(`${label}: ${cause.message}`);
	}
}

/** Runs a step and prints "label  summary (duration)"; a failure is wrapped so the caller can say which step failed. */
export async function step<T>(label: string, work: () => Promise<T>, summary: (result: T) => string): Promise<T> {
	const started = Date.now();
	let result: T;
	try {
		result = await work();
	} catch (error) {
		throw new StepError(label, error instanceof Error ? error : new Error(String(error)));
	}
	stepLine(label, `${summary(result)} (${seconds(Date.now() - started)})`);
	return result;
}
