import { LearnosityApiError, vendorError } from './errors';
import type { HttpResponse } from './dataApiTransport';

/**
 * Reading one HTTP answer of the Data API: its verdict from the HTTP status and `meta` — a result, a fault worth
 * retrying, a rate limit, a clock skew, or a failure to report.
 */

/** A call's envelope once `meta.status` said yes: `data` as sent (object or array), the server's clock. */
export interface Answer {
	data: unknown;
	next?: string;
	serverTime?: number;
	statusCode: number;
}

export type Outcome =
	| { kind: 'ok'; answer: Answer }
	/**
	 * `code`: the network error's code (ECONNRESET…), kept out of `reason` because n8n replaces an error message
	 * that contains one with its own text. `cancelled`: the execution was stopped; nothing more should be sent.
	 */
	| { kind: 'transient'; reason: string; code?: string; notSent?: boolean; cancelled?: boolean }
	| { kind: 'rateLimited' }
	| { kind: 'clockSkew'; error: LearnosityApiError }
	| { kind: 'failed'; error: LearnosityApiError };

/** An answer that is not the Data API's: the credential most likely points somewhere else. */
function notTheDataApi(statusCode: number, what: string): Outcome {
	return {
		kind: 'failed',
		error: new LearnosityApiError(
			`Learnosity answered HTTP ${statusCode} ${what}`,
			'Check the region or base URL in the Learnosity API credential: it may point at something that is not the Data API.',
			statusCode,
		),
	};
}

export function interpret(response: HttpResponse): Outcome {
	const { statusCode, body } = response;
	let parsed: unknown;
	try {
		parsed = JSON.parse(body);
	} catch {
		if (statusCode >= 500 || (statusCode >= 200 && statusCode < 300)) {
			return { kind: 'transient', reason: `HTTP ${statusCode} with a body that is not JSON` };
		}
		if (statusCode === 429) return { kind: 'rateLimited' };
		return notTheDataApi(statusCode, 'with a page that is not JSON');
	}
	const meta = (parsed as { meta?: unknown } | null)?.meta as
		| { status?: unknown; code?: unknown; message?: unknown; next?: unknown; timestamp?: unknown }
		| undefined;
	if (!meta || typeof meta !== 'object') {
		if (statusCode >= 500) return { kind: 'transient', reason: `HTTP ${statusCode} without meta` };
		if (statusCode === 429) return { kind: 'rateLimited' };
		return notTheDataApi(statusCode, 'without the "meta" part every Data API answer has');
	}
	const code = typeof meta.code === 'number' ? meta.code : Number(meta.code) || undefined;
	if (statusCode === 429 || code === 42000) return { kind: 'rateLimited' };
	if (meta.status === true && statusCode >= 200 && statusCode < 300) {
		const next = typeof meta.next === 'string' && meta.next ? meta.next : undefined;
		const serverTime = typeof meta.timestamp === 'number' ? meta.timestamp : undefined;
		return { kind: 'ok', answer: { data: (parsed as { data?: unknown }).data, next, serverTime, statusCode } };
	}
	const message = typeof meta.message === 'string' ? meta.message : undefined;
	if (statusCode >= 500 || code === 10000) return { kind: 'transient', reason: `HTTP ${statusCode}` };
	const error = vendorError(statusCode, code, message);
	return code === 41004 ? { kind: 'clockSkew', error } : { kind: 'failed', error };
}
