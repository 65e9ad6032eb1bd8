import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';

/** One POST the sink received: when, to which path, and its JSON body. */
export interface Delivery {
	at: number;
	path: string;
	body: Record<string, unknown>;
}

/**
 * An HTTP endpoint in the test process that records the JSON bodies n8n's HTTP Request nodes POST to it (what a
 * workflow would send to Slack, a sheet or a caller), with their paths. A body that is not JSON is kept as text.
 */
export class DeliverySink {
	readonly received: Delivery[] = [];
	private readonly server: Server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			let body: Record<string, unknown>;
			try {
				body = JSON.parse(text) as Record<string, unknown>;
			} catch {
				body = { unparsable: text };
			}
			this.received.push({ at: Date.now(), path: request.url ?? '', body });
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end('{"ok":true}');
		});
	});

	/** The base URL, e.g. http://127.0.0.1:4321. */
	async start(): Promise<string> {
		await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	/** The bodies received, in order; only those POSTed to `path` when given. */
	bodies(path?: string): Array<Record<string, unknown>> {
		return this.received.filter((delivery) => path === undefined || delivery.path === path).map((d) => d.body);
	}

	stop(): Promise<void> {
		this.server.closeAllConnections();
		return new Promise((done) => this.server.close(() => done()));
	}
}
