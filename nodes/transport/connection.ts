import { LearnosityInputError } from './errors';
import type { SigningIdentity } from './signer';

/** The fields of the `learnosityApi` credential, as n8n hands them to a node. */
export interface LearnosityCredentialFields {
	consumerKey?: unknown;
	consumerSecret?: unknown;
	domain?: unknown;
	region?: unknown;
	baseUrl?: unknown;
	apiVersion?: unknown;
}

/** Everything a request needs to reach and sign for one consumer. */
export interface Connection extends SigningIdentity {
	/** e.g. `https://data.learnosity.com/v2025.2.LTS` — endpoints are appended as `/sessions/scores`. */
	versionUrl: string;
}

export const REGION_HOSTS: Record<string, string> = {
	global: 'data.learnosity.com',
	va: 'data-va.learnosity.com',
	ie: 'data-ie.learnosity.com',
	au: 'data-au.learnosity.com',
	ca: 'data-ca.learnosity.com',
};

const VERSION_PATTERN = /^(v\d{4}\.\d+\.(LTS|preview\d+)|latest|latest-lts|developer)$/;

function requiredText(value: unknown, field: string, hint: string): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!text) throw new LearnosityInputError(field, `The credential's ${field} is empty`, hint);
	return text;
}

/** The URL, or undefined when the text is not one (the caller explains; n8n's rules forbid throwing from a catch). */
function parseUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

function customBaseUrl(value: unknown): string {
	const text = requiredText(
		value,
		'Base URL',
		'The region is "Custom": enter the base URL of your proxy or emulator, e.g. https://proxy.example.org or http://localhost:8080.',
	);
	const url = parseUrl(text);
	if (!url) {
		throw new LearnosityInputError(
			'Base URL',
			`The credential's Base URL "${text}" is not a URL`,
			'Enter a full URL with its scheme, e.g. https://proxy.example.org or http://localhost:8080.',
		);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new LearnosityInputError(
			'Base URL',
			`The credential's Base URL must start with https:// or http://, not ${url.protocol}//`,
			'Enter a URL such as https://proxy.example.org.',
		);
	}
	if (url.protocol === 'http:' && /(^|\.)learnosity\.com$/i.test(url.hostname)) {
		throw new LearnosityInputError(
			'Base URL',
			`The credential's Base URL uses http:// for ${url.hostname}, but Learnosity's own hosts answer only over https`,
			'Change the Base URL to https://, or pick the region instead of "Custom". Over http the POST body is lost in a redirect.',
		);
	}
	return text.replace(/\/+$/, '');
}

/** Validates the credential and says, naming the field, what to fix. */
export function connectionFromCredentials(fields: LearnosityCredentialFields): Connection {
	const keyHint = 'Copy the consumer key from your Learnosity account (Learnosity support issues it).';
	const consumerKey = requiredText(fields.consumerKey, 'Consumer Key', keyHint);
	const consumerSecret = requiredText(
		fields.consumerSecret,
		'Consumer Secret',
		'Copy the consumer secret that belongs to your consumer key.',
	);
	const domain = requiredText(
		fields.domain,
		'Domain',
		'Enter a domain allowlisted for your consumer key; "localhost" is the usual one for server-side calls.',
	);
	const region = typeof fields.region === 'string' && fields.region ? fields.region : 'global';
	const apiVersion = typeof fields.apiVersion === 'string' ? fields.apiVersion.trim() : '';
	if (!VERSION_PATTERN.test(apiVersion)) {
		throw new LearnosityInputError(
			'API Version',
			`The credential's API Version "${apiVersion}" is not a Learnosity API version`,
			'Use an LTS version such as v2025.2.LTS, a preview such as v2026.1.preview1, or latest, latest-lts or developer.',
		);
	}
	let base: string;
	if (region === 'custom') base = customBaseUrl(fields.baseUrl);
	else if (REGION_HOSTS[region]) base = `https://${REGION_HOSTS[region]}`;
	else {
		throw new LearnosityInputError(
			'Region',
			`The credential's Region "${region}" is unknown`,
			`Pick one of: ${Object.keys(REGION_HOSTS).join(', ')} or custom.`,
		);
	}
	return { consumerKey, consumerSecret, domain, versionUrl: `${base}/${apiVersion}` };
}
