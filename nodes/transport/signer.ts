import { createHmac } from 'crypto';

/** Who signs: the consumer's identity as the "$02$" scheme puts it into the pre-hash string. */
export interface SigningIdentity {
	consumerKey: string;
	consumerSecret: string;
	domain: string;
}

export interface SignatureInput {
	consumerKey: string;
	domain: string;
	/** UTC `YYYYMMDD-HHMM`. */
	timestamp: string;
	expires?: string;
	userId?: string;
	/** The exact string sent in the `request` field. */
	requestJson: string;
	action: string;
}

const pad = (value: number) => String(value).padStart(2, '0');

/** Learnosity's timestamp format: UTC `YYYYMMDD-HHMM`. */
export function learnosityTimestamp(at: Date): string {
	return (
		`${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}` +
		`-${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}`
	);
}

export function signature(input: SignatureInput, consumerSecret: string): string {
	const parts = [input.consumerKey, input.domain, input.timestamp];
	if (input.expires) parts.push(input.expires);
	if (input.userId) parts.push(input.userId);
	parts.push(input.requestJson, input.action);
	const digest = createHmac('sha256', consumerSecret).update(parts.join('_'), 'utf8').digest('hex');
	return `$02$${digest}`;
}

/**
 * The `security` field for one request, signed with a fresh timestamp. Returns a new string; nothing passed in is
 * changed, so a caller can sign every page of a traversal from the same identity.
 */
export function securityField(
	identity: SigningIdentity,
	requestJson: string,
	action: string,
	at: Date = new Date(),
): string {
	const timestamp = learnosityTimestamp(at);
	const { consumerKey, domain } = identity;
	const signed = signature({ consumerKey, domain, timestamp, requestJson, action }, identity.consumerSecret);
	return JSON.stringify({ consumer_key: consumerKey, domain, timestamp, signature: signed });
}

/** The form body every Data API call sends: `security` (signed now), `request` exactly as signed, `action`. */
export function signedForm(identity: SigningIdentity, requestJson: string, action: string): string {
	return new URLSearchParams({
		security: securityField(identity, requestJson, action),
		request: requestJson,
		action,
	}).toString();
}
