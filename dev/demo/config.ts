import { join } from 'path';
import { REPO_ROOT } from '../n8n/n8nInstance';

export const N8N_MAJORS = ['2', '1'] as const;
export type N8nMajor = (typeof N8N_MAJORS)[number];

export interface OwnerLogin {
	email: string;
	password: string;
}

export interface DemoConfig {
	major: N8nMajor;
	/** Where n8n listens (N8N_PORT) and the address it binds (N8N_LISTEN_ADDRESS, loopback unless set). */
	port: number;
	listenAddress: string;
	emulatorPort: number;
	owner: OwnerLogin;
	/** Whether the owner login is the printed default rather than N8N_DEMO_OWNER_EMAIL / N8N_DEMO_OWNER_PASSWORD. */
	defaultOwner: boolean;
	/** The demo's n8n user folder, one per major: .demo/n8n<major>. */
	userFolder: string;
	/** --fresh: start from an empty user folder (new database, new owner). */
	fresh: boolean;
}

export const DEFAULT_OWNER: OwnerLogin = { email: 'demo@example.com', password: 'LearnosityDemo1' };
const DEFAULT_N8N_PORT = 5678;
const DEFAULT_EMULATOR_PORT = 5681;

export const USAGE = `Usage: npm start [-- --n8n 2|1] [--fresh]

Starts n8n with this package installed, the Learnosity emulator with demo data, a credential pointing at it and
example workflows, and prints the URL and the owner's login. Ctrl-C stops everything.

  --n8n 2|1   n8n major to run: 2 (current, on Node 24; default) or 1 (1.123.x, on this Node)
  --fresh     delete the demo's n8n user folder (.demo/n8n<major>) first: new database and owner

Environment:
  N8N_PORT                  n8n's port (default ${DEFAULT_N8N_PORT})
  N8N_LISTEN_ADDRESS        address n8n binds (default 127.0.0.1; 0.0.0.0 to reach it from other machines)
  N8N_DEMO_OWNER_EMAIL      owner login (default ${DEFAULT_OWNER.email})
  N8N_DEMO_OWNER_PASSWORD   owner password: 8+ characters with a number and a capital (default ${DEFAULT_OWNER.password})
  LEARNOSITY_EMULATOR_PORT  the emulator's port on 127.0.0.1 (default ${DEFAULT_EMULATOR_PORT})`;

export class ConfigError extends Error {}

function port(name: string, value: string | undefined, fallback: number): number {
	if (value === undefined || value === '') return fallback;
	const parsed = Number(value);
	if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65535)
		throw new ConfigError(`${name} must be a port number, not "${value}"`);
	return parsed;
}

/** n8n's own rule for passwords (it rejects others at owner setup). */
export function passwordProblem(password: string): string | undefined {
	if (password.length < 8 || password.length > 64) return 'must be 8 to 64 characters long';
	if (!/\d/.test(password)) return 'must contain a number';
	if (!/[A-Z]/.test(password)) return 'must contain a capital letter';
	return undefined;
}

function parseFlags(argv: string[]): { major: string; fresh: boolean; help: boolean } {
	const flags = { major: '2', fresh: false, help: false };
	for (let n = 0; n < argv.length; n++) {
		const arg = argv[n];
		if (arg === '--help' || arg === '-h') flags.help = true;
		else if (arg === '--fresh') flags.fresh = true;
		else if (arg === '--n8n') flags.major = argv[++n] ?? '';
		else if (arg.startsWith('--n8n=')) flags.major = arg.slice('--n8n='.length);
		else throw new ConfigError(`Unknown argument "${arg}"`);
	}
	return flags;
}

/** The demo's settings from the command line and the environment; undefined when only help was asked for. */
export function readConfig(argv: string[], env: NodeJS.ProcessEnv): DemoConfig | undefined {
	const flags = parseFlags(argv);
	if (flags.help) return undefined;
	const major = N8N_MAJORS.find((m) => m === flags.major);
	if (!major) throw new ConfigError(`--n8n must be ${N8N_MAJORS.join(' or ')}, not "${flags.major}"`);

	const email = env.N8N_DEMO_OWNER_EMAIL?.trim() || DEFAULT_OWNER.email;
	const password = env.N8N_DEMO_OWNER_PASSWORD || DEFAULT_OWNER.password;
	if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
		throw new ConfigError(`N8N_DEMO_OWNER_EMAIL "${email}" is not an email address`);
	const problem = passwordProblem(password);
	if (problem) throw new ConfigError(`N8N_DEMO_OWNER_PASSWORD ${problem}`);

	return {
		major,
		port: port('N8N_PORT', env.N8N_PORT, DEFAULT_N8N_PORT),
		listenAddress: env.N8N_LISTEN_ADDRESS || '127.0.0.1',
		emulatorPort: port('LEARNOSITY_EMULATOR_PORT', env.LEARNOSITY_EMULATOR_PORT, DEFAULT_EMULATOR_PORT),
		owner: { email, password },
		defaultOwner: !env.N8N_DEMO_OWNER_EMAIL && !env.N8N_DEMO_OWNER_PASSWORD,
		userFolder: join(REPO_ROOT, '.demo', `n8n${major}`),
		fresh: flags.fresh,
	};
}
