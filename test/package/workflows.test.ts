/**
 * The GitHub workflows cannot run here, so their structure is checked: CI runs the commands .ci/run runs, on every
 * Node version the package supports for development; a version tag publishes with npm provenance, which n8n's
 * verification scan requires, from the repository package.json names.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';

const root = join(__dirname, '..', '..');

interface Step {
	run?: string;
	uses?: string;
	with?: Record<string, unknown>;
	env?: Record<string, unknown>;
}
interface Job {
	permissions?: Record<string, string>;
	strategy?: { matrix?: { 'node-version'?: unknown[] } };
	steps: Step[];
}
interface Workflow {
	on: Record<string, unknown>;
	permissions?: Record<string, string>;
	jobs: Record<string, Job>;
}

const workflow = (name: string) => parse(readFileSync(join(root, '.github', 'workflows', name), 'utf8')) as Workflow;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
	version: string;
	engines: { node: string };
	repository: { url: string };
	homepage: string;
	scripts: Record<string, string>;
};

/** The commands of a job, one per line of its `run` steps. */
const commands = (job: Job) =>
	job.steps.flatMap((step) => (step.run ?? '').split('\n').map((line) => line.trim())).filter(Boolean);

/** The steps .ci/run runs (its npm and bash commands; not the shell's set-up and guard lines). */
const ciRunCommands = readFileSync(join(root, '.ci', 'run'), 'utf8')
	.split('\n')
	.map((line) => line.trim())
	.filter((line) => /^(npm|bash) /.test(line));
/** Those that need a real n8n: they run once, on Node 20 as in .ci/run, not on every Node version. */
const needsN8n = (command: string) => command.startsWith('bash scripts/') || command === 'npm run test:e2e';

describe('.github/workflows/ci.yml', () => {
	const ci = workflow('ci.yml');
	const matrixJob = Object.values(ci.jobs).find((job) => job.strategy?.matrix?.['node-version']);

	test('runs on pushes to main and on pull requests', () => {
		expect(ci.on).toHaveProperty('pull_request');
		expect(ci.on.push).toEqual({ branches: ['main'] });
	});

	test('tests on Node 20, 22 and 24, the oldest being the engines minimum', () => {
		expect(matrixJob?.strategy?.matrix?.['node-version']).toEqual([20, 22, 24]);
		const minimumMajor = Number(/(\d+)/.exec(pkg.engines.node)?.[1]);
		expect(matrixJob?.strategy?.matrix?.['node-version']).toContain(minimumMajor);
		expect(matrixJob?.steps.find((step) => step.uses?.startsWith('actions/setup-node'))?.with).toMatchObject({
			'node-version': '${{ matrix.node-version }}',
		});
	});

	test('runs every step of .ci/run in its order: install, tests, lint, build, scan on each Node version; npm start and e2e once', () => {
		const allCommands = Object.values(ci.jobs).flatMap(commands);
		const missing = ciRunCommands.filter((command) => !allCommands.includes(command));
		expect(missing).toEqual([]);
		const inOrder = (wanted: string[], job: Job) => {
			const jobCommands = commands(job);
			expect(wanted.filter((command) => !jobCommands.includes(command))).toEqual([]);
			const order = wanted.map((command) => jobCommands.indexOf(command));
			expect(order).toEqual([...order].sort((a, b) => a - b));
		};
		inOrder(
			ciRunCommands.filter((command) => !needsN8n(command)),
			matrixJob!,
		);
		const e2eJob = Object.values(ci.jobs).find((job) => commands(job).includes('npm run test:e2e'))!;
		inOrder(ciRunCommands.filter(needsN8n), e2eJob);
		expect(e2eJob.steps.find((step) => step.uses?.startsWith('actions/setup-node'))?.with).toMatchObject({
			'node-version': 20,
		});
	});

	test("fails when n8n publishes a newer scanner or CLI than the pinned ones (the scan's rules move on)", () => {
		const script = commands(ci.jobs['scanner-current']).join('\n');
		expect(script).toContain('for pkg in @n8n/scan-community-package @n8n/node-cli; do');
		expect(script).toContain('latest=$(npm view "$pkg" version)');
		expect(script).toContain('exit 1');
	});

	test('installs npm 11 before npm ci, so package.json allowScripts keeps isolated-vm from building', () => {
		for (const job of Object.values(ci.jobs).filter((job) => commands(job).some((c) => c.startsWith('npm ci')))) {
			const jobCommands = commands(job);
			expect(jobCommands.indexOf('npm install -g npm@11')).toBeGreaterThanOrEqual(0);
			expect(jobCommands.indexOf('npm install -g npm@11')).toBeLessThan(
				jobCommands.findIndex((c) => c.startsWith('npm ci')),
			);
		}
		expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).allowScripts).toMatchObject({
			'isolated-vm': false,
		});
	});
});

describe('.github/workflows/publish.yml', () => {
	const publish = workflow('publish.yml');
	const [job] = Object.values(publish.jobs);
	const releaseStep = job.steps.find((step) => step.run?.includes('npm run release'));

	test('runs only on a version tag that matches package.json as v<version>', () => {
		expect(Object.keys(publish.on)).toEqual(['push']);
		const push = publish.on.push as { tags?: string[]; branches?: unknown };
		expect(push.branches).toBeUndefined();
		const tagPatterns = (push.tags ?? []).map(
			(glob) => new RegExp(`^${glob.replace(/\./g, '\\.').replace(/\*/g, '.+')}$`),
		);
		expect(tagPatterns.some((pattern) => pattern.test(`v${pkg.version}`))).toBe(true);
		expect(tagPatterns.some((pattern) => pattern.test('main'))).toBe(false);
		expect(commands(job)).toContain('test "${GITHUB_REF_NAME}" = "v$(node -p \'require("./package.json").version\')"');
	});

	test('may mint an OIDC token (id-token: write) and nothing more than read the repository', () => {
		expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
		expect(publish.permissions).toEqual({ contents: 'read' });
	});

	test('publishes through n8n-node release with the provenance flag, after the same checks as CI', () => {
		expect(pkg.scripts.release).toBe('n8n-node release');
		expect(pkg.scripts.prepublishOnly).toBe('n8n-node prerelease');
		expect(releaseStep?.env).toMatchObject({ NPM_CONFIG_PROVENANCE: 'true' });
		const jobCommands = commands(job);
		for (const check of ['npm ci --no-audit --no-fund', 'npm run build', 'npm run scan', 'npm test']) {
			expect(jobCommands.indexOf(check)).toBeGreaterThanOrEqual(0);
			expect(jobCommands.indexOf(check)).toBeLessThan(jobCommands.indexOf('npm run release'));
		}
		// npm trusted publishing needs npm 11.5.1+, which Node 24 has.
		expect(job.steps.find((step) => step.uses?.startsWith('actions/setup-node'))?.with).toMatchObject({
			'node-version': 24,
		});
	});

	test('package.json names the public GitHub repository the provenance statement will point at', () => {
		const match = /^git\+https:\/\/github\.com\/([\w.-]+)\/([\w.-]+)\.git$/.exec(pkg.repository.url);
		expect(match).not.toBeNull();
		expect(pkg.homepage.startsWith(`https://github.com/${match![1]}/${match![2]}`)).toBe(true);
	});
});
