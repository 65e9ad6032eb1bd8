// The lint part of n8n's verification scan, run here the way @n8n/scan-community-package runs it: its own
// `analyzePackage` (its ESLint config, `allowInlineConfig: false` so eslint-disable comments do not count) on
//   1. the source: package.json and {nodes,credentials}/**/*.{js,ts,json}, as it lints the provenance-attested commit;
//   2. the packed tarball: **/*.js and package.json, as it lints what npm serves.
// The scanner passes a package with warnings; this script fails on them too. Its provenance check (an SLSA
// attestation on the published version) needs a package published by .github/workflows/publish.yml and cannot run
// here. Also fails when the rules `npm run lint` uses are older than the scanner's. Needs a build: `npm run build`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { analyzePackage, buildScanConfig, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';
import { ESLint } from 'eslint';
import glob from 'fast-glob';

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(import.meta.url);

/** The version of the community-nodes rule plugin that `entry` (a module of a package) loads, as installed. */
function pluginVersion(entry) {
	const fromEntry = createRequire(require.resolve(entry));
	let dir = path.dirname(fromEntry.resolve('@n8n/eslint-plugin-community-nodes'));
	while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
	return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
}

function olderThan(a, b) {
	const [x, y] = [a, b].map((v) => v.split(/[.-]/).slice(0, 3).map(Number));
	for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] < y[i];
	return false;
}

/** The scanner's verdict (its own analyzePackage), plus the warnings it lets pass, counted with its own config. */
async function lint(label, dir, patterns) {
	const result = await analyzePackage(dir, patterns);
	const eslint = new ESLint({
		cwd: dir,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await buildScanConfig(),
	});
	const files = glob.sync(patterns, { cwd: dir, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	const results = await eslint.lintFiles(files);
	const warnings = results.reduce((sum, file) => sum + file.warningCount, 0);
	const errors = results.reduce((sum, file) => sum + file.errorCount, 0);
	const clean = result.passed && errors === 0 && warnings === 0;
	console.log(`${clean ? 'PASS' : 'FAIL'} ${label}: ${files.length} files, ${errors} errors, ${warnings} warnings`);
	if (!clean) console.log(await (await eslint.loadFormatter('stylish')).format(results));
	return clean;
}

function packTarball() {
	const workDir = mkdtempSync(path.join(tmpdir(), 'learnosity-scan-'));
	execFileSync('npm', ['pack', '--silent', '--pack-destination', workDir], { cwd: root, stdio: 'ignore' });
	const tarball = readdirSync(workDir).find((name) => name.endsWith('.tgz'));
	const packageDir = path.join(workDir, 'package');
	execFileSync('tar', ['-xzf', path.join(workDir, tarball)], { cwd: workDir });
	return { workDir, packageDir, tarball };
}

const lintRules = pluginVersion('@n8n/node-cli/eslint');
const scanRules = pluginVersion('@n8n/scan-community-package/scanner/scanner.mjs');
const current = !olderThan(lintRules, scanRules);
console.log(
	`${current ? 'PASS' : 'FAIL'} lint rules: npm run lint uses @n8n/eslint-plugin-community-nodes ${lintRules}, ` +
		`the scanner ${scanRules}${current ? '' : ' — update @n8n/node-cli'}`,
);

const sourceClean = await lint('source (what the scanner lints in the attested commit)', root, SOURCE_FILE_PATTERNS);
const { workDir, packageDir, tarball } = packTarball();
let tarballClean;
try {
	tarballClean = await lint(`tarball ${tarball}`, packageDir, ['**/*.js', 'package.json']);
} finally {
	rmSync(workDir, { recursive: true, force: true });
}
console.log('Not checked here: npm provenance (needs the version published by the publish workflow).');
process.exitCode = current && sourceClean && tarballClean ? 0 : 1;
