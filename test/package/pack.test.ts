/**
 * What `npm publish` would ship, checked against n8n's community-node verification requirements: the tarball holds
 * the compiled nodes, credential, codex files and icons, README, LICENSE and package.json, and nothing else; the
 * package declares MIT, no runtime dependencies and an `n8n` section that points at files in the tarball; icons are
 * square SVGs with light and dark variants; every node has a codex file with categories and documentation URLs.
 *
 * It needs nothing built beforehand: it copies the repository into a temporary folder, runs `npm run build` and
 * `npm pack` there, and inspects that copy and its tarball (the working tree's own dist/ is neither needed nor used).
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join, posix } from 'path';
import type { ICredentialType, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { buildAndPackCopy } from '../harness/packedCopy';

/** The built copy of the repository (set before the tests run). */
let root = '';

interface PackageJson {
	name: string;
	version: string;
	license?: string;
	main?: string;
	keywords?: string[];
	dependencies?: Record<string, string>;
	optionalDependencies?: Record<string, string>;
	bundleDependencies?: unknown;
	bundledDependencies?: unknown;
	n8n?: { n8nNodesApiVersion?: unknown; nodes?: string[]; credentials?: string[] };
}

interface Codex {
	node?: string;
	categories?: unknown;
	resources?: { primaryDocumentation?: Array<{ url?: string }>; credentialDocumentation?: Array<{ url?: string }> };
}

// The categories n8n's nodes panel knows (codex `categories`).
const N8N_CATEGORIES = [
	'AI',
	'Analytics',
	'Communication',
	'Core Nodes',
	'Data & Storage',
	'Development',
	'Finance & Accounting',
	'HITL',
	'Marketing',
	'Miscellaneous',
	'Productivity',
	'Sales',
	'Utility',
];

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as PackageJson;

/** Files under `dir` (relative to the repository root, posix separators), recursively. */
function filesUnder(dir: string): string[] {
	const absolute = join(root, dir);
	if (!existsSync(absolute)) return [];
	return readdirSync(absolute, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) => posix.join(posix.relative(root, entry.parentPath).split('\\').join('/'), entry.name));
}

/** What the tarball must hold exactly: the compiled form of every node and credential source, plus metadata. */
function expectedFiles(): string[] {
	const sources = [...filesUnder('nodes'), ...filesUnder('credentials')];
	const compiled = sources
		.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
		.map((f) => `dist/${f.replace(/\.ts$/, '.js')}`);
	const codex = sources.filter((f) => f.endsWith('.node.json')).map((f) => `dist/${f}`);
	const icons = [...filesUnder('icons'), ...sources].filter((f) => f.endsWith('.svg')).map((f) => `dist/${f}`);
	const meta = ['LICENSE', 'README.md', 'package.json', ...(pkg.main ? [pkg.main] : [])];
	return [...new Set([...compiled, ...codex, ...icons, ...meta])].sort();
}

/** The `file:` icon path of a node or credential, resolved from the directory of the file that declares it. */
function iconPath(fromFile: string, icon: unknown): string {
	expect(typeof icon).toBe('string');
	expect(icon as string).toMatch(/^file:.+\.svg$/);
	return posix.normalize(posix.join(posix.dirname(fromFile), (icon as string).slice('file:'.length)));
}

function expectSquareSvg(file: string): void {
	const svg = readFileSync(join(root, file), 'utf8');
	expect(svg).toMatch(/<svg[\s>]/);
	const viewBox = /viewBox="\s*([-\d.]+)[\s,]+([-\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"/.exec(svg);
	if (!viewBox) throw new Error(`${file} has no viewBox`);
	expect({ file, width: Number(viewBox[3]) }).toEqual({ file, width: Number(viewBox[4]) });
	const width = /<svg[^>]*\swidth="([\d.]+)(?:px)?"/.exec(svg);
	const height = /<svg[^>]*\sheight="([\d.]+)(?:px)?"/.exec(svg);
	if (width || height) expect({ file, width: width?.[1] }).toEqual({ file, width: height?.[1] });
}

/** Light and dark icons: both packed, both square SVGs, and not the same picture. */
function expectLightAndDarkIcons(fromFile: string, icon: unknown, packed: string[]): void {
	expect(icon).toEqual({ light: expect.any(String), dark: expect.any(String) });
	const { light, dark } = icon as { light: string; dark: string };
	const files = [iconPath(fromFile, light), iconPath(fromFile, dark)];
	for (const file of files) {
		expect(packed).toContain(file);
		expectSquareSvg(file);
	}
	expect(files[0]).not.toBe(files[1]);
	expect(readFileSync(join(root, files[0]), 'utf8')).not.toBe(readFileSync(join(root, files[1]), 'utf8'));
}

function loadClass<T>(file: string): T {
	const exported = require(join(root, file)) as Record<string, new () => T>;
	const className = posix.basename(file).split('.')[0];
	const Class = exported[className];
	if (typeof Class !== 'function') throw new Error(`${file} does not export a class named ${className}`);
	return new Class();
}

const isTrigger = (node: INodeType) =>
	typeof node.poll === 'function' || typeof node.trigger === 'function' || typeof node.webhook === 'function';

describe('the published package', () => {
	let packed: string[];

	beforeAll(async () => {
		const copy = await buildAndPackCopy();
		root = copy.dir;
		packed = copy.files;
	}, 300_000);

	test('holds dist/ (compiled nodes and credential, codex files, icons), README, LICENSE and package.json, nothing else', () => {
		const expected = expectedFiles();
		const extra = packed.filter((f) => !expected.includes(f));
		const missing = expected.filter((f) => !packed.includes(f));
		if (extra.length || missing.length) {
			throw new Error(
				[
					'The tarball differs from what the package should ship.',
					`In the tarball but not expected: ${extra.join(', ') || 'none'}`,
					`Expected but not in the tarball: ${missing.join(', ') || 'none'}`,
					'Check the `files` field of package.json, the build (tsconfig.json, gulpfile.js) and nodes/, credentials/, icons/.',
				].join('\n'),
			);
		}
		for (const required of [
			'dist/nodes/LearnositySessions/LearnositySessions.node.js',
			'dist/nodes/LearnositySessions/LearnositySessions.node.json',
			'dist/nodes/LearnositySessionsTrigger/LearnositySessionsTrigger.node.js',
			'dist/nodes/LearnositySessionsTrigger/LearnositySessionsTrigger.node.json',
			'dist/credentials/LearnosityApi.credentials.js',
			'dist/icons/learnosity.svg',
			'dist/icons/learnosity.dark.svg',
		]) {
			expect(packed).toContain(required);
		}
	});

	test('ships no tests, emulator, TypeScript sources, declarations or source maps', () => {
		const forbidden = packed.filter(
			(f) =>
				/^(test|scripts|examples|docs|src)\//.test(f) ||
				/emulator/i.test(f) ||
				/\.(ts|map)$/.test(f) ||
				f.endsWith('.tgz'),
		);
		expect(forbidden).toEqual([]);
	});

	test('package.json: MIT, no runtime dependencies, community keyword, n8n section pointing into the tarball', () => {
		expect(pkg.name).toMatch(/^(@[a-z0-9-~][a-z0-9-._~]*\/)?n8n-nodes-[a-z0-9-._~]+$/);
		expect(pkg.version).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
		expect(pkg.license).toBe('MIT');
		expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
		expect(pkg.dependencies ?? {}).toEqual({});
		expect(pkg.optionalDependencies ?? {}).toEqual({});
		expect(pkg.bundleDependencies ?? pkg.bundledDependencies ?? []).toEqual([]);
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.n8n?.n8nNodesApiVersion).toBe(1);
		expect(pkg.n8n?.nodes).toHaveLength(2);
		expect(pkg.n8n?.credentials).toHaveLength(1);
		for (const file of [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])]) {
			expect(packed).toContain(file);
		}
	});

	test('CHANGELOG.md has an entry for this version', () => {
		const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
		expect(changelog).toContain(`## [${pkg.version}]`);
	});

	test('each node: light and dark square SVG icons, a codex file with categories and documentation URLs', () => {
		for (const file of pkg.n8n?.nodes ?? []) {
			const node = loadClass<INodeType>(file);
			const description = node.description as INodeTypeDescription;
			expectLightAndDarkIcons(file, description.icon, packed);

			const codexFile = file.replace(/\.js$/, '.json');
			expect(packed).toContain(codexFile);
			const codex = JSON.parse(readFileSync(join(root, codexFile), 'utf8')) as Codex;
			expect(codex.node).toBe(`${pkg.name}.${description.name}`);
			expect(Array.isArray(codex.categories) && codex.categories.length > 0).toBe(true);
			for (const category of codex.categories as string[]) expect(N8N_CATEGORIES).toContain(category);
			const docs = [
				...(codex.resources?.primaryDocumentation ?? []),
				...(codex.resources?.credentialDocumentation ?? []),
			];
			expect(codex.resources?.primaryDocumentation?.length).toBeGreaterThan(0);
			for (const { url } of docs) expect(url).toMatch(/^https:\/\/\S+$/);
		}
	});

	test('the action node is usable as an AI tool; triggers are not', () => {
		for (const file of pkg.n8n?.nodes ?? []) {
			const node = loadClass<INodeType>(file);
			expect({ file, usableAsTool: node.description.usableAsTool === true }).toEqual({
				file,
				usableAsTool: !isTrigger(node),
			});
		}
	});

	test('the credential: documentation URL, light and dark icons, and a test in every node that uses it', () => {
		const nodes = (pkg.n8n?.nodes ?? []).map((file) => loadClass<INodeType>(file).description as INodeTypeDescription);
		for (const file of pkg.n8n?.credentials ?? []) {
			const credential = loadClass<ICredentialType>(file);
			expect(credential.documentationUrl).toMatch(/^https:\/\/\S+$/);
			expectLightAndDarkIcons(file, credential.icon, packed);
			const uses = nodes.flatMap((node) => (node.credentials ?? []).filter((c) => c.name === credential.name));
			expect(uses.length).toBeGreaterThan(0);
			if (!credential.test) for (const use of uses) expect(use.testedBy).toEqual(expect.any(String));
		}
	});
});
