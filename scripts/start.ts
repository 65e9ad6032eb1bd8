/**
 * `npm start`: n8n in a browser, with this package installed from its packed tarball, the Learnosity emulator running
 * with demo data, a credential pointing at it, the examples/ workflows imported and an owner logged in by the
 * newcomer with the printed login. `npm start -- --help` lists the options.
 */
import { rmSync } from 'fs';
import { relative } from 'path';
import { REPO_ROOT } from '../dev/n8n/n8nInstance';
import { installCurrentPackage } from '../dev/demo/communityPackage';
import { ConfigError, readConfig, USAGE, type DemoConfig } from '../dev/demo/config';
import { EditorApi, OwnerLoginError } from '../dev/demo/editorApi';
import { assertPortFree, startEmulator, type RunningEmulator } from '../dev/demo/emulator';
import {
	credentialTarget,
	DEMO_CREDENTIAL,
	demoCredential,
	editedCredential,
	type CredentialData,
} from '../dev/demo/demoCredential';
import {
	CHECKED_WORKFLOW_ID,
	exampleWorkflows,
	LEARNOSITY_NODE_TYPE,
	learnosityNodeOf,
	type Workflow,
} from '../dev/demo/examples';
import { DemoN8n } from '../dev/demo/n8n';
import { ownerLoginChanged, rememberOwnerLogin } from '../dev/demo/ownerRecord';
import { progressLine, say, seconds, step, StepError, stepLine } from '../dev/demo/output';
import { ensureRuntime, runtimeInstalled } from '../dev/demo/runtime';
import { Shutdown } from '../dev/demo/shutdown';

const shutdown = new Shutdown();
const shown = (path: string) => relative(REPO_ROOT, path) || '.';

/** The address the script itself calls n8n on: loopback unless n8n listens on one specific other address. */
function apiBaseUrl(config: DemoConfig): string {
	const everywhere = ['', '0.0.0.0', '::', '127.0.0.1', 'localhost'];
	const host = everywhere.includes(config.listenAddress) ? '127.0.0.1' : config.listenAddress;
	return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}

/** Imports, package install and a check run, all with n8n's CLI before the server starts; returns a kept credential edit. */
async function prepareN8n(
	config: DemoConfig,
	emulator: RunningEmulator,
	n8n: DemoN8n,
	workflows: Workflow[],
): Promise<CredentialData | undefined> {
	let edited: CredentialData | undefined;
	// n8n's import and export commands do not load community packages: they can run while the package installs.
	// Both settle before a failure is reported, so neither leaves a command running behind the shutdown.
	const prepared = await Promise.allSettled([
		step(
			'package',
			() => installCurrentPackage(config.userFolder),
			(tarball) => `${tarball} built, packed and installed into ${shown(config.userFolder)}/.n8n/nodes`,
		),
		step(
			'imports',
			async () => {
				// A new owner login (N8N_DEMO_OWNER_*) is set up again once n8n runs; workflows and credential stay.
				if (ownerLoginChanged(config.userFolder, config.owner)) await n8n.resetOwner();
				edited = await editedCredential(n8n, n8n.importFile('credentials'));
				if (!edited) await n8n.importCredentials([demoCredential(emulator.url)]);
				await n8n.importWorkflows(workflows);
			},
			() =>
				edited
					? `${workflows.length} example workflows; credential "${DEMO_CREDENTIAL.name}" kept as you edited it (${credentialTarget(edited)})`
					: `${workflows.length} example workflows, credential "${DEMO_CREDENTIAL.name}" → ${emulator.url}`,
		),
	]);
	const failed = prepared.find((result): result is PromiseRejectedResult => result.status === 'rejected');
	if (failed) throw failed.reason;
	if (edited) {
		stepLine('demo check', 'skipped: the credential no longer points at the emulator');
		return edited;
	}
	const checked = workflows.find((workflow) => workflow.id === CHECKED_WORKFLOW_ID) ?? workflows[0];
	try {
		await step(
			'demo check',
			() => n8n.executeAndCount(checked.id, learnosityNodeOf(checked).name),
			(count) => `"${checked.name}" returned ${count} items`,
		);
	} catch (error) {
		// The editor is still worth opening; the message says what to look at.
		stepLine('demo check', `⚠ "${checked.name}" failed: ${(error as StepError).cause.message}`);
	}
	return undefined;
}

/** Owner setup (or login) and the checks that the editor shows what the newcomer is promised. */
async function checkEditor(config: DemoConfig, api: EditorApi, workflows: Workflow[]): Promise<boolean> {
	try {
		await step(
			'owner',
			() => api.setUpOwnerOrLogIn(config.owner),
			(state) => (state === 'created' ? `${config.owner.email} created` : `${config.owner.email} logs in`),
		);
	} catch (error) {
		if (!(error instanceof StepError && error.cause instanceof OwnerLoginError)) throw error;
		stepLine(
			'owner',
			`${config.owner.email} was refused: sign in with the password you gave the owner in n8n, or start over with \`npm start -- --fresh\``,
		);
		return false;
	}
	rememberOwnerLogin(config.userFolder, config.owner);
	await step(
		'editor',
		async () => {
			const listed = new Set((await api.workflows()).map((workflow) => workflow.id));
			const missing = workflows.filter((workflow) => !listed.has(workflow.id)).map((workflow) => workflow.name);
			if (missing.length) throw new Error(`the owner's workflow list lacks ${missing.join(', ')}`);
			if (!(await api.nodeTypeNames()).includes(LEARNOSITY_NODE_TYPE))
				throw new Error(`n8n did not load ${LEARNOSITY_NODE_TYPE}`);
		},
		() => `owner sees the ${workflows.length} example workflows; ${LEARNOSITY_NODE_TYPE} loaded`,
	);
	return true;
}

interface Ready {
	version: string;
	workflows: Workflow[];
	emulator: RunningEmulator;
	editedCredential?: CredentialData;
	loggedIn: boolean;
	startedAt: number;
}

function printReady(config: DemoConfig, n8n: DemoN8n, ready: Ready): void {
	say();
	say(`n8n ${ready.version} is ready: ${n8n.url}   (started in ${seconds(Date.now() - ready.startedAt)})`);
	if (ready.loggedIn) {
		const where = config.defaultOwner
			? '   (defaults: set N8N_DEMO_OWNER_EMAIL / N8N_DEMO_OWNER_PASSWORD to choose)'
			: '';
		say(`  Sign in as   ${config.owner.email} / ${config.owner.password}${where}`);
	}
	say('  Example workflows (open one, then click Execute workflow):');
	for (const workflow of ready.workflows) say(`    ${n8n.url}/workflow/${workflow.id}   ${workflow.name}`);
	const target = ready.editedCredential
		? credentialTarget(ready.editedCredential)
		: `the emulator, ${ready.emulator.url}`;
	say(`  Credential "${DEMO_CREDENTIAL.name}" points at ${target}`);
	say('Ctrl-C stops n8n and the emulator.');
}

async function main(): Promise<void> {
	const startedAt = Date.now();
	let config: DemoConfig | undefined;
	try {
		config = readConfig(process.argv.slice(2), process.env);
	} catch (error) {
		if (!(error instanceof ConfigError)) throw error;
		say(`npm start: ${error.message}\n\n${USAGE}`);
		process.exit(2);
	}
	if (!config) return say(USAGE);

	say(`Learnosity demo on n8n ${config.major}.x (user folder ${shown(config.userFolder)})`);
	await assertPortFree(config.port, config.listenAddress, 'N8N_PORT');
	if (config.fresh) {
		rmSync(config.userFolder, { recursive: true, force: true });
		stepLine('fresh', `deleted ${shown(config.userFolder)}`);
	}
	if (!runtimeInstalled(config.major)) {
		stepLine(
			'n8n runtime',
			'first run: installing n8n into .n8n-runtime/ (10–35 minutes on a 2-core machine, only this once)',
		);
	}
	const runtime = await step(
		'n8n runtime',
		() => ensureRuntime(config.major, progressLine),
		(r) => `n8n ${r.n8nVersion} on Node ${r.nodeVersion}${r.installedNow ? ', installed in .n8n-runtime/' : ''}`,
	);
	const emulator = await step(
		'emulator',
		() => startEmulator(config.emulatorPort),
		(e) => `${e.url}: ${e.sessions} sessions of ${e.activities} activities by ${e.learners} learners`,
	);
	shutdown.onStop(() => emulator.emulator.stop());

	const workflows = exampleWorkflows(emulator.url);
	const n8n = await DemoN8n.create(runtime, config);
	const edited = await prepareN8n(config, emulator, n8n, workflows);

	const server = n8n.startServer();
	server.once('exit', (code, signal) => {
		if (shutdown.isStopping) return;
		say(`\nn8n stopped by itself (${code ?? signal}); its log: ${shown(n8n.logFile)}`);
		void shutdown.stop(1);
	});
	const api = new EditorApi(apiBaseUrl(config));
	await step(
		'n8n',
		() => api.waitUntilReady(server, n8n.logFile),
		() => `serving ${n8n.url} (log: ${shown(n8n.logFile)})`,
	);
	const loggedIn = await checkEditor(config, api, workflows);
	printReady(config, n8n, {
		version: runtime.n8nVersion,
		workflows,
		emulator,
		editedCredential: edited,
		loggedIn,
		startedAt,
	});
}

main().catch((error: Error) => {
	const message =
		error instanceof StepError ? `${error.label} failed: ${error.cause.message}` : (error.stack ?? String(error));
	say(`\n✗ ${message}`);
	void shutdown.stop(1);
});
