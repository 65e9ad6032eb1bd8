import { sleep } from 'n8n-workflow';
import type { PageSource } from '../types';
import { RATE_LIMIT_WINDOW_MS } from './dataApiTransport';

/** At most `requests` requests in any `windowMs` (Learnosity: 1000 GET per endpoint per 5 s, sliding). */
export interface RateLimit {
	requests: number;
	windowMs: number;
}

export const LEARNOSITY_QUOTA: RateLimit = { requests: 1000, windowMs: RATE_LIMIT_WINDOW_MS };

/**
 * What a parallel export allows itself by default: 90% of the quota, leaving room for the transport's retries (a
 * retried request holds one slot but sends twice) and for other clients of the same consumer key.
 */
export const DEFAULT_EXPORT_RATE: RateLimit = {
	requests: 0.9 * LEARNOSITY_QUOTA.requests,
	windowMs: LEARNOSITY_QUOTA.windowMs,
};

/**
 * A client-side sliding window that the server's window can never see exceeded.
 *
 * The server counts a request when it arrives, which is some time between our sending it and our receiving the
 * answer. So a request counts here from the moment it is sent until `windowMs` after its answer came back: whatever
 * the latency and its jitter, no `windowMs` at the server holds more than `requests` of ours.
 */
export class RateLimiter {
	private inFlight = 0;
	/** When the answers of recent requests came back, oldest first. */
	private readonly answered: number[] = [];
	private readonly waiting: Array<() => void> = [];

	constructor(
		readonly limit: RateLimit,
		private readonly clock: () => number = Date.now,
	) {
		if (!(limit.requests >= 1 && limit.windowMs >= 0))
			throw new RangeError('A rate limit needs at least 1 request per window');
	}

	async run<T>(task: () => Promise<T>): Promise<T> {
		await this.acquire();
		try {
			return await task();
		} finally {
			this.inFlight--;
			this.answered.push(this.clock());
			this.waiting.splice(0).forEach((wake) => wake());
		}
	}

	private async acquire(): Promise<void> {
		for (;;) {
			const now = this.clock();
			while (this.answered.length && now - this.answered[0] >= this.limit.windowMs) this.answered.shift();
			if (this.inFlight + this.answered.length < this.limit.requests) {
				this.inFlight++;
				return;
			}
			// Full: a slot frees when the oldest answer leaves the window, or (all slots in flight) after an answer.
			if (this.answered.length) await sleep(this.answered[0] + this.limit.windowMs - now);
			else await new Promise<void>((resolve) => this.waiting.push(resolve));
		}
	}
}

/** The same source, with every request taking a slot of `limiter` first. */
export function rateLimited(source: PageSource, limiter: RateLimiter): PageSource {
	return { get: async (endpoint, request) => await limiter.run(() => source.get(endpoint, request)) };
}
