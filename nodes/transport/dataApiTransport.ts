import { sleep } from 'n8n-workflow';
import type { Connection } from './connection';
import { interpret, type Answer, type Outcome } from './answer';
import { LearnosityApiError, TransientFault, vendorError, WriteOutcomeUnknownError } from './errors';
import { signedForm } from './signer';
import { SDK_HEADER } from './version';
import type { DataApiPage } from '../types';

export interface HttpRequest {
	url: string;
	headers: Record<string, string>;
	body: string;
	timeoutMs: number;
}

export interface HttpResponse {
	statusCode: number;
	body: string;
}

/** Sends one POST. Resolves with any HTTP answer; rejects only when none arrived (reset, timeout, refused). */
export type HttpSend = (request: HttpRequest) => Promise<HttpResponse>;

export interface RetryPolicy {
	/** Attempts for transient faults: 5xx, connection errors, timeouts, truncated JSON. */
	maxAttempts: number;
	/** First backoff; doubles after each transient fault. */
	backoffMs: number;
	/** Learnosity counts requests over a sliding window: a 429 waits it out. */
	rateLimitWindowMs: number;
	/** How many windows to wait out before giving up on a 429. */
	maxRateLimitWaits: number;
	timeoutMs: number;
}

/** Learnosity's rate-limit window: requests are counted over the last 5 seconds. */
export const RATE_LIMIT_WINDOW_MS = 5000;

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 5,
	backoffMs: 500,
	rateLimitWindowMs: RATE_LIMIT_WINDOW_MS,
	maxRateLimitWaits: 12,
	timeoutMs: 60_000,
};

export interface TransportStats {
	requests: number;
	retries: number;
	rateLimitWaits: number;
}

/** The write actions of the Data API: each starts a job. */
export type WriteAction = 'update' | 'set';

/** Connection failures where the request never left this machine, so it cannot have been applied. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
/** TLS handshake refusals: nothing was sent, and trying again cannot help. */
const CERTIFICATE_CODES = new Set([
	'CERT_HAS_EXPIRED',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);
/** What n8n's HTTP helper fails with once the execution is stopped. */
const CANCELLED = 'ERR_CANCELED';

function withCode(fault: { reason: string; code?: string }): string {
	return fault.code ? `${fault.reason} (${fault.code})` : fault.reason;
}

function notAList(statusCode: number): LearnosityApiError {
	return new LearnosityApiError(
		'Learnosity answered without a list of records ("data")',
		'This endpoint should return a list; check the API version in the credential.',
		statusCode,
	);
}

/**
 * The only place that speaks HTTP to Learnosity: signs every attempt afresh, sends the form, reads the verdict from
 * the HTTP status and `meta.status`, and retries what is worth retrying — boundedly.
 */
export class DataApiTransport {
	readonly stats: TransportStats = { requests: 0, retries: 0, rateLimitWaits: 0 };
	/**
	 * Until when every request of this client holds back, after a 429. The quota is the consumer key's, shared with
	 * whatever else uses the key (other workers in queue mode, other tools): once Learnosity says it is spent, the
	 * export's other requests would only draw more 429s, so all of them wait the window out, not just the one told.
	 */
	private rateLimitedUntil = 0;

	constructor(
		private readonly send: HttpSend,
		private readonly connection: Connection,
		private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
		private readonly wait: (ms: number) => Promise<void> = sleep,
		private readonly clock: () => number = Date.now,
	) {}

	/** Waits while an earlier 429 holds this client back, unless this request already waited that hold out. */
	private async holdBack(waitedUntil: number): Promise<number> {
		const until = this.rateLimitedUntil;
		if (until <= waitedUntil) return waitedUntil;
		const remaining = until - this.clock();
		if (remaining > 0) await this.wait(remaining);
		return until;
	}

	/** A read: every fault is worth retrying, since reading twice changes nothing. */
	async get(endpoint: string, request: Record<string, unknown>): Promise<DataApiPage> {
		const answer = await this.call(endpoint, request, 'get', () => true);
		if (!Array.isArray(answer.data)) throw notAList(answer.statusCode);
		return { data: answer.data as DataApiPage['data'], next: answer.next, serverTime: answer.serverTime };
	}

	/**
	 * A write (it starts a job). Write-retry policy: a write is retried only when Learnosity cannot have applied it —
	 * a 429 (refused by the rate limit before processing), a 41004 (timestamp refused before processing; re-signed
	 * once), or a connection that was refused before anything was sent. After a timeout, a reset, a 5xx or an answer
	 * that cannot be read, the job may exist: retrying could run it twice, so the write fails with
	 * WriteOutcomeUnknownError, which tells the user how to check.
	 */
	async write(endpoint: string, action: WriteAction, request: Record<string, unknown>): Promise<Answer> {
		const sentAt = new Date();
		let failure: unknown;
		try {
			return await this.call(endpoint, request, action, (outcome) => outcome.notSent === true);
		} catch (error) {
			failure = error;
		}
		if (failure instanceof TransientFault) throw new WriteOutcomeUnknownError(endpoint, failure.message, sentAt);
		throw failure;
	}

	private async call(
		endpoint: string,
		request: Record<string, unknown>,
		action: string,
		mayRetry: (fault: { notSent?: boolean }) => boolean,
	): Promise<Answer> {
		const requestJson = JSON.stringify(request);
		let transientFaults = 0;
		let rateLimitWaits = 0;
		let resigned = false;
		let waitedUntil = 0;
		for (;;) {
			waitedUntil = await this.holdBack(waitedUntil);
			const outcome = await this.attempt(endpoint, requestJson, action);
			switch (outcome.kind) {
				case 'ok':
					return outcome.answer;
				case 'failed':
					throw outcome.error;
				case 'clockSkew':
					if (resigned) throw outcome.error;
					resigned = true;
					break;
				case 'rateLimited':
					if (++rateLimitWaits > this.policy.maxRateLimitWaits) throw vendorError(429, 42000);
					this.stats.rateLimitWaits++;
					waitedUntil = this.clock() + this.policy.rateLimitWindowMs;
					this.rateLimitedUntil = Math.max(this.rateLimitedUntil, waitedUntil);
					await this.wait(this.policy.rateLimitWindowMs);
					break;
				case 'transient':
					if (!mayRetry(outcome)) throw new TransientFault(withCode(outcome));
					if (outcome.cancelled) {
						throw new LearnosityApiError(
							'The execution was stopped while it waited for Learnosity',
							'Nothing more was sent to Learnosity.',
						);
					}
					if (++transientFaults >= this.policy.maxAttempts) {
						throw new LearnosityApiError(
							`Learnosity kept failing: ${outcome.reason} (gave up after ${transientFaults} attempts)`,
							`${outcome.code ? `The last attempt ended with ${outcome.code}. ` : ''}The Data API or the network to it is having trouble. Try again later; if it persists, check status.learnosity.com or contact Learnosity support.`,
						);
					}
					await this.wait(this.policy.backoffMs * 2 ** (transientFaults - 1));
					break;
			}
			this.stats.retries++;
		}
	}

	private async attempt(endpoint: string, requestJson: string, action: string): Promise<Outcome> {
		const { connection } = this;
		const url = `${connection.versionUrl}/${endpoint}`;
		const body = signedForm(connection, requestJson, action);
		const headers = {
			'Content-Type': 'application/x-www-form-urlencoded',
			Accept: 'application/json',
			'X-Learnosity-Consumer': connection.consumerKey,
			'X-Learnosity-Action': `${action}_/${endpoint}`,
			'X-Learnosity-SDK': SDK_HEADER,
		};
		this.stats.requests++;
		try {
			return interpret(await this.send({ url, headers, body, timeoutMs: this.policy.timeoutMs }));
		} catch (error) {
			const found = (error as { code?: unknown }).code;
			const code = typeof found === 'string' ? found : undefined;
			const { host } = new URL(url);
			if (code && CERTIFICATE_CODES.has(code)) {
				const failure = new LearnosityApiError(
					`Could not open a secure connection to ${host}: its certificate was not accepted`,
					`${code}. Check the Region or Base URL of the Learnosity API credential. A proxy or test server with a certificate of its own needs that certificate trusted by n8n (NODE_EXTRA_CA_CERTS).`,
				);
				return { kind: 'failed', error: failure };
			}
			const reason = `could not reach ${host}${code ? '' : ' (no answer)'}`;
			return {
				kind: 'transient',
				reason,
				code,
				notSent: code !== undefined && NOT_SENT_CODES.has(code),
				cancelled: code === CANCELLED,
			};
		}
	}
}
