import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { createServer as createTcpServer, connect, type AddressInfo, type Server, type Socket } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { createServer as createTlsServer, type Server as TlsServer, type TLSSocket } from 'tls';

/*
 * What a real Learnosity region costs, on this machine: an HTTPS endpoint (self-signed certificate made at start-up
 * with openssl) in front of a plain-HTTP server such as the emulator, with a configurable round-trip time.
 *
 *   client ──TCP, every byte delayed rttMs/2 each way──▶ delay stage ──▶ TLS stage ──plain TCP──▶ target
 *
 * The delay stage sits outside TLS, so the TLS handshake pays its round trips like on a real network, and a new
 * connection's first bytes wait one extra RTT (the TCP handshake the loopback connect does not pay). Clients trust the
 * certificate through NODE_EXTRA_CA_CERTS=<certificateFile> (read by Node at start-up: set it for a child process).
 */

export interface TlsDelayProxyOptions {
	/** Round-trip time added to every exchange, in ms (e.g. 20 for a nearby region, 80 for a distant one). */
	rttMs: number;
	/** Where the plain-HTTP target listens, e.g. the emulator's port on 127.0.0.1. */
	targetPort: number;
	/** Lowest TLS version offered; the default lets client and proxy agree on 1.3. */
	minVersion?: 'TLSv1.2' | 'TLSv1.3';
	maxVersion?: 'TLSv1.2' | 'TLSv1.3';
}

/** A self-signed certificate for localhost and 127.0.0.1, valid for a day. */
function selfSignedCertificate(dir: string): { key: Buffer; cert: Buffer; certFile: string } {
	const keyFile = join(dir, 'key.pem');
	const certFile = join(dir, 'cert.pem');
	execFileSync(
		'openssl',
		[
			'req',
			'-x509',
			'-newkey',
			'ec',
			'-pkeyopt',
			'ec_paramgen_curve:prime256v1',
			'-nodes',
			'-days',
			'1',
			'-subj',
			'/CN=localhost',
			'-addext',
			'subjectAltName=DNS:localhost,IP:127.0.0.1',
			'-keyout',
			keyFile,
			'-out',
			certFile,
		],
		{ stdio: 'pipe' },
	);
	return { key: readFileSync(keyFile), cert: readFileSync(certFile), certFile };
}

/**
 * Forwards everything `from` sends to `to`, each chunk `delayMs()` after it arrived and never before the chunk ahead
 * of it; the end and the close carry over the same way.
 */
function delayedPipe(from: Socket, to: Socket, delayMs: () => number): void {
	const queue: Array<{ at: number; act: () => void }> = [];
	let timer: ReturnType<typeof setTimeout> | undefined;
	const drain = () => {
		timer = undefined;
		while (queue.length && queue[0].at <= Date.now()) queue.shift()!.act();
		if (queue.length) timer = setTimeout(drain, queue[0].at - Date.now());
	};
	const later = (act: () => void) => {
		const last = queue.length ? queue[queue.length - 1].at : 0;
		queue.push({ at: Math.max(Date.now() + delayMs(), last), act });
		if (!timer) timer = setTimeout(drain, queue[0].at - Date.now());
	};
	from.on('data', (chunk: Buffer) => later(() => to.writable && to.write(chunk)));
	from.on('end', () => later(() => to.end()));
	from.on('error', () => to.destroy());
	from.on('close', () => later(() => to.destroy()));
}

export class TlsDelayProxy {
	/** TCP connections clients opened: one per request when a client does not keep connections alive. */
	connections = 0;
	/** TLS handshakes completed. */
	handshakes = 0;
	readonly certificateFile: string;
	private readonly dir: string;
	private readonly tls: TlsServer;
	private readonly front: Server;
	private readonly sockets = new Set<Socket>();

	constructor(readonly options: TlsDelayProxyOptions) {
		this.dir = mkdtempSync(join(tmpdir(), 'learnosity-tls-proxy-'));
		const { key, cert, certFile } = selfSignedCertificate(this.dir);
		this.certificateFile = certFile;
		writeFileSync(join(this.dir, 'README'), 'Throwaway certificate of the Learnosity bench TLS proxy.\n');
		this.tls = createTlsServer(
			{ key, cert, minVersion: options.minVersion, maxVersion: options.maxVersion },
			(secure: TLSSocket) => {
				this.handshakes++;
				const target = connect(options.targetPort, '127.0.0.1');
				this.track(secure);
				this.track(target);
				secure.pipe(target);
				target.pipe(secure);
				secure.on('error', () => target.destroy());
				target.on('error', () => secure.destroy());
				secure.on('close', () => target.destroy());
				target.on('close', () => secure.destroy());
			},
		);
		this.front = createTcpServer((client) => {
			this.connections++;
			const inner = connect((this.tls.address() as AddressInfo).port, '127.0.0.1');
			this.track(client);
			this.track(inner);
			const oneWay = options.rttMs / 2;
			// The first bytes of a connection also wait for the TCP handshake a real network would have made first.
			let handshakePending = true;
			delayedPipe(client, inner, () => {
				if (!handshakePending) return oneWay;
				handshakePending = false;
				return oneWay + options.rttMs;
			});
			delayedPipe(inner, client, () => oneWay);
		});
	}

	private track(socket: Socket): void {
		// No Nagle on the loopback legs: only the configured delay should separate a message from its answer.
		socket.setNoDelay(true);
		this.sockets.add(socket);
		socket.on('close', () => this.sockets.delete(socket));
	}

	/** Starts both stages; resolves with the HTTPS base URL clients use, e.g. https://localhost:4433. */
	async start(): Promise<string> {
		await new Promise<void>((done) => this.tls.listen(0, '127.0.0.1', done));
		await new Promise<void>((done) => this.front.listen(0, '127.0.0.1', done));
		return `https://localhost:${(this.front.address() as AddressInfo).port}`;
	}

	async stop(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((done) => this.front.close(() => done()));
		await new Promise<void>((done) => this.tls.close(() => done()));
		rmSync(this.dir, { recursive: true, force: true });
	}
}
