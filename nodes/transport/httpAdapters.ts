import type { IAllExecuteFunctions, ICredentialTestFunctions } from 'n8n-workflow';
import type { HttpResponse, HttpSend } from './dataApiTransport';

type HttpRequestHelper = IAllExecuteFunctions['helpers']['httpRequest'];

const asText = (body: unknown): string =>
	typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body ?? '');

/** Sends through n8n's own HTTP helper, so that n8n's proxy, TLS and cancellation settings apply. */
export function sendWithN8n(httpRequest: HttpRequestHelper, abortSignal?: AbortSignal): HttpSend {
	return async ({ url, headers, body, timeoutMs }) => {
		const response = (await httpRequest({
			method: 'POST',
			url,
			headers,
			body,
			timeout: timeoutMs,
			encoding: 'text',
			json: false,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			abortSignal,
		})) as { statusCode: number; body: unknown };
		return { statusCode: response.statusCode, body: asText(response.body) };
	};
}

/** The credential test only gets n8n's older request helper. */
export function sendWithN8nCredentialTest(request: ICredentialTestFunctions['helpers']['request']): HttpSend {
	return async ({ url, headers, body, timeoutMs }) => {
		const response = (await request({
			method: 'POST',
			uri: url,
			headers,
			body,
			timeout: timeoutMs,
			json: false,
			simple: false,
			resolveWithFullResponse: true,
		})) as { statusCode: number; body: unknown };
		const result: HttpResponse = { statusCode: response.statusCode, body: asText(response.body) };
		return result;
	};
}
