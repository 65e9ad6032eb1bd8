import { createHmac } from 'crypto';
import { request as httpRequest } from 'http';
import { request as httpsRequest } from 'https';

export interface SdkCredentials {
	consumerKey: string;
	consumerSecret: string;
	domain: string;
}

export interface HttpAnswer {
	status: number;
	body: string;
}

/**
 * One POST with Node's own http(s) client and its global agent (keep-alive since Node 19), as an SDK user would.
 */
export function post(url: string, body: string): Promise<HttpAnswer> {
	const request = url.startsWith('https:') ? httpsRequest : httpRequest;
	return new Promise((resolve, reject) => {
		const req = request(
			url,
			{
				method: 'POST',
				headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) },
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		req.end(body);
	});
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The SDKs' `Init` for the Data API: security packet with a UTC `YYYYMMDD-HHMM` timestamp and a "$02$" signature. */
export function signedForm(
	credentials: SdkCredentials,
	requestPacket: Record<string, unknown>,
	action = 'get',
): string {
	const now = new Date();
	const timestamp = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}-${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}`;
	const requestJson = JSON.stringify(requestPacket);
	const { consumerKey, consumerSecret, domain } = credentials;
	const preHash = [consumerKey, domain, timestamp, requestJson, action].join('_');
	const signature = `$02$${createHmac('sha256', consumerSecret).update(preHash).digest('hex')}`;
	const security = JSON.stringify({ consumer_key: consumerKey, domain, timestamp, signature });
	return new URLSearchParams({ security, request: requestJson, action }).toString();
}

/**
 * The official SDKs' paging loop (learnosity-sdk-python `DataApi.request_iter`, the PHP SDK's `requestRecursive`):
 * sign, post, keep the page, and go on with `meta.next` while the page had data. No retries, no de-duplication, no
 * rate limiting: any failure throws.
 */
export async function sdkExport(
	endpointUrl: string,
	credentials: SdkCredentials,
	requestPacket: Record<string, unknown>,
	onPage: () => void = () => undefined,
): Promise<Array<Record<string, unknown>>> {
	const packet = { ...requestPacket };
	const records: Array<Record<string, unknown>> = [];
	for (;;) {
		const answer = await post(endpointUrl, signedForm(credentials, packet));
		if (answer.status >= 400) throw new Error(`server returned HTTP status ${answer.status}: ${answer.body}`);
		const page = JSON.parse(answer.body) as {
			meta: { status: boolean; next?: string };
			data: Array<Record<string, unknown>>;
		};
		if (!page.meta.status) throw new Error(`server returned unsuccessful status: ${answer.body}`);
		for (const record of page.data) records.push(record);
		onPage();
		if (page.meta.next && page.data.length > 0) packet.next = page.meta.next;
		else return records;
	}
}
