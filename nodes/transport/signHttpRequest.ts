import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { connectionFromCredentials } from './connection';
import { signedForm } from './signer';

/** What n8n hands a credential's `authenticate`: the new request options, or the HTTP Request node's legacy ones. */
type RequestOptions = IHttpRequestOptions & { uri?: string; form?: unknown };

function fieldsOf(body: unknown): IDataObject {
	if (typeof body === 'string') {
		try {
			const parsed = JSON.parse(body) as unknown;
			if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as IDataObject;
		} catch {
			// Not JSON: a form-urlencoded string.
		}
		return Object.fromEntries(new URLSearchParams(body));
	}
	return body && typeof body === 'object' && !Array.isArray(body) ? (body as IDataObject) : {};
}

function requestJsonOf(value: unknown): string {
	if (value === undefined || value === '') return '{}';
	if (typeof value !== 'string') return JSON.stringify(value);
	let valid = true;
	try {
		JSON.parse(value);
	} catch {
		valid = false;
	}
	if (!valid) {
		throw new Error(
			'The body field "request" is not valid JSON. Give the Data API request as a JSON object, e.g. {"limit": 10}.',
		);
	}
	// Signed exactly as written: the signature covers the very string that is sent.
	return value;
}

/**
 * The credential's `authenticate`, so that n8n's HTTP Request node can call any Data API endpoint with this
 * credential: it takes the body fields `action` and `request`, signs them for this consumer, and sends the form the
 * Data API expects (security, request, action). The consumer secret only feeds the signature; it is never sent.
 */
export async function signDataApiRequest(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const options = requestOptions as RequestOptions;
	const connection = connectionFromCredentials(credentials);
	const target = new URL(options.url ?? options.uri ?? '', options.baseURL);
	const home = new URL(connection.versionUrl);
	if (target.origin !== home.origin) {
		throw new Error(
			`The Learnosity API credential signs only requests to its own Data API host (${home.origin}), not to ${target.origin}. Change the URL, or the Region / Base URL of the credential.`,
		);
	}
	const fields = { ...fieldsOf(options.body), ...fieldsOf(options.form) };
	const action = typeof fields.action === 'string' ? fields.action.trim() : '';
	if (!/^[a-z]+$/.test(action)) {
		throw new Error(
			`Add a body field "action" with the Data API action to sign (get, set, update or delete)${action ? `, not "${action}"` : ''}.`,
		);
	}
	const requestJson = requestJsonOf(fields.request);
	const headers = Object.fromEntries(
		Object.entries(options.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'content-type'),
	);
	delete options.form;
	return {
		...options,
		headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
		body: signedForm(connection, requestJson, action),
	};
}
