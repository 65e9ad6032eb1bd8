import { createHash } from 'node:crypto';
import { seededRandom } from './random';

/** What identifies a request for its draws: the endpoint and the request body, whatever signed it and when. */
export function requestKey(endpoint: string, request: unknown): string {
	return `${endpoint}\n${JSON.stringify(request)}`;
}

/**
 * Seeded draws tied to the request instead of to arrival order: the n-th arrival of the same request meets the same
 * draws for a given seed, whatever runs beside it. So a seeded test has one outcome, also when requests run in
 * parallel and arrive in a different order each run.
 */
export class RequestDraws {
	private readonly arrivals = new Map<string, number>();

	/** `purpose` keeps draws for different things apart: faults and page sizes with one seed are not correlated. */
	constructor(
		private readonly purpose: string,
		private readonly seed: number,
	) {}

	/** The draws for this arrival of the request `key` (requestKey). */
	next(key: string): () => number {
		const arrival = this.arrivals.get(key) ?? 0;
		this.arrivals.set(key, arrival + 1);
		const digest = createHash('sha256').update(`${this.purpose}\n${this.seed}\n${arrival}\n${key}`).digest();
		return seededRandom(digest.readUInt32LE(0));
	}
}
