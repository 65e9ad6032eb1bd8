import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';
import { DEMO_CONSUMER_SECRET } from '../../dev/emulator/server';
import { signDataApiRequest } from '../../nodes/transport/signHttpRequest';
import { useEmulator } from '../harness/emulatorFixture';

const { emulator, credentials } = useEmulator(30);

async function send(options: IHttpRequestOptions) {
	const response = await fetch(options.url, {
		method: 'POST',
		headers: options.headers as Record<string, string>,
		body: options.body as string,
	});
	return { status: response.status, json: (await response.json()) as { meta: { status: boolean }; data: unknown[] } };
}

describe('the credential signs requests of the HTTP Request node', () => {
	test('legacy options with form fields (Body Content Type: Form Urlencoded)', async () => {
		const url = `${credentials().baseUrl}/v2025.2.LTS/sessions/scores`;
		const legacy = { uri: url, url, method: 'POST', form: { action: 'get', request: '{"limit": 2}' } };
		const signed = await signDataApiRequest(
			credentials() as ICredentialDataDecryptedObject,
			legacy as unknown as IHttpRequestOptions,
		);
		expect(String(signed.body)).not.toContain(DEMO_CONSUMER_SECRET);
		const { status, json } = await send(signed);
		expect(status).toBe(200);
		expect(json.data).toHaveLength(2);
		// Signed exactly as written, spaces included.
		expect(emulator.log.at(-1)?.request).toEqual({ limit: 2 });
	});

	test('a JSON body whose request is an object, for a write endpoint', async () => {
		const url = `${credentials().baseUrl}/v2025.2.LTS/jobs`;
		const options: IHttpRequestOptions = {
			url,
			method: 'POST',
			json: true,
			headers: { 'content-type': 'application/json' },
			body: { action: 'get', request: { status: ['queued', 'running', 'halted', 'completed'] } },
		};
		const { status, json } = await send(
			await signDataApiRequest(credentials() as ICredentialDataDecryptedObject, options),
		);
		expect(status).toBe(200);
		expect(json.meta.status).toBe(true);
	});

	test.each([
		[{ form: { request: '{}' } }, /body field "action"/],
		[{ form: { action: 'get', request: '{limit: 2}' } }, /"request" is not valid JSON/],
		[
			{ url: 'https://attacker.example/v2025.2.LTS/sessions/scores', form: { action: 'get' } },
			/signs only requests to its own/,
		],
	])('refuses %j', async (change, message) => {
		const url = `${credentials().baseUrl}/v2025.2.LTS/sessions/scores`;
		await expect(
			signDataApiRequest(
				credentials() as ICredentialDataDecryptedObject,
				{ url, method: 'POST', ...change } as IHttpRequestOptions,
			),
		).rejects.toThrow(message);
	});
});
