/**
 * Errors of the Learnosity layers, free of n8n's execution context so that the signer, transport and pager can be
 * used (and tested) on their own. The node layer turns them into NodeApiError / NodeOperationError.
 * Messages are written for the person on the canvas and never carry the consumer secret.
 */
export class LearnosityInputError extends Error {
	constructor(
		/** The parameter or credential field at fault, as the user sees it. */
		readonly field: string,
		message: string,
		/** How to fix it. */
		readonly hint: string,
	) {
		super(message);
		this.name = 'LearnosityInputError';
	}
}

export class LearnosityApiError extends Error {
	constructor(
		message: string,
		readonly hint: string,
		readonly httpCode?: number,
		/** Learnosity's `meta.code`, when the API sent one. */
		readonly vendorCode?: number,
		/** Learnosity's own `meta.message`, kept for the error's details. */
		readonly vendorMessage?: string,
	) {
		super(message);
		this.name = 'LearnosityApiError';
	}
}

/** A fault the caller chose not to retry; the transport turns it into the error that fits the call. */
export class TransientFault extends Error {}

/** A write whose answer was lost: the job may or may not exist. */
export class WriteOutcomeUnknownError extends LearnosityApiError {
	constructor(endpoint: string, reason: string, sentAt: Date) {
		// The reason goes to the hint: n8n replaces a message that contains a code such as ECONNRESET with its own text.
		super(
			`Learnosity may or may not have applied the write to ${endpoint}: its answer was lost. It was not retried, so that it cannot run twice`,
			`What happened: ${reason}. Learnosity may have created the job. Check with Job → Get, "List in a Time Range", created after ${sentAt.toISOString()}, before running this again (running it again would start a second job; setting the same status or metadata twice is harmless).`,
		);
		this.name = 'WriteOutcomeUnknownError';
	}
}

interface VendorAdvice {
	message: string;
	hint: string;
}

const AUTH_HINT = 'Open the Learnosity API credential and check it against the keys Learnosity gave you.';

const VENDOR_ADVICE: Record<number, VendorAdvice> = {
	10000: {
		message: 'Learnosity reported an internal error',
		hint: 'This is usually temporary. Try again in a few minutes; if it persists, contact Learnosity support.',
	},
	20000: {
		message: 'Learnosity says a required parameter is missing',
		hint: 'Check the filters of this node.',
	},
	20001: {
		message: 'Learnosity says a parameter has the wrong length',
		hint: 'Check the filters of this node.',
	},
	20002: {
		message: 'Learnosity says a filter has too many values',
		hint: 'Each ID filter accepts at most 1000 values per request.',
	},
	20003: {
		message: 'Learnosity says a parameter has the wrong type',
		hint: 'Check the filters of this node.',
	},
	20004: {
		message: 'Learnosity says a parameter has a value it does not accept',
		hint: 'Check the filters of this node.',
	},
	41000: {
		message: 'Learnosity received no security parameters',
		hint: 'If the credential uses a custom base URL with http://, switch it to https:// — a redirect drops the request body.',
	},
	41001: {
		message: 'Learnosity rejected the request signature as malformed',
		hint: AUTH_HINT,
	},
	41002: {
		message: 'Learnosity does not know this consumer key',
		hint: 'Check the Consumer Key in the Learnosity API credential.',
	},
	41003: {
		message: 'The request signature does not match: the consumer secret is wrong',
		hint: 'Check the Consumer Secret in the Learnosity API credential (it must belong to the consumer key).',
	},
	41004: {
		message: "Learnosity rejected the request's timestamp as out of range",
		hint: "Check the clock of the machine running n8n: it must be set to the correct time (use NTP). Learnosity compares each request's UTC timestamp with its own clock.",
	},
	41005: {
		message: 'Learnosity does not allow this domain for the consumer',
		hint: "Set the credential's Domain to one allowlisted for your consumer key (ask Learnosity support to add it).",
	},
	41007: {
		message: 'The request was sent after its expiry time',
		hint: 'Check the clock of the machine running n8n.',
	},
	41008: {
		message: 'The Data API service is disabled for this consumer',
		hint: 'Ask Learnosity support to enable the Data API for your consumer key.',
	},
	41009: {
		message: 'This Learnosity consumer is inactive',
		hint: 'Ask Learnosity support to reactivate your consumer key.',
	},
	42000: {
		message: 'Learnosity rate limit reached (too many requests)',
		hint: 'Another workflow or process may share this consumer key. Run fewer exports at once, or try again later.',
	},
	42001: {
		message: 'Learnosity no longer serves this API version or endpoint',
		hint: 'Pick a supported API version in the Learnosity API credential, e.g. v2025.2.LTS.',
	},
};

/** The error for an answer whose `meta.status` is false (or whose HTTP status says it failed). */
export function vendorError(httpCode: number, vendorCode?: number, vendorMessage?: string): LearnosityApiError {
	const advice = vendorCode === undefined ? undefined : VENDOR_ADVICE[vendorCode];
	const codeLabel = vendorCode === undefined ? `HTTP ${httpCode}` : `error ${vendorCode}`;
	const message = `${advice?.message ?? 'Learnosity rejected the request'} (${codeLabel})`;
	const hint =
		advice && vendorCode !== undefined && vendorCode >= 20000 && vendorCode < 30000 && vendorMessage
			? `${vendorMessage}. ${advice.hint}`
			: (advice?.hint ?? (vendorMessage ? `Learnosity said: ${vendorMessage}` : 'Check the node parameters.'));
	return new LearnosityApiError(message, hint, httpCode, vendorCode, vendorMessage);
}
