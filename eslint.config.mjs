// n8n's community-node lint rules, as `@n8n/node-cli lint` applies them (its dist/configs/eslint.js), for this
// package's scope: the node code (nodes/, credentials/) and package.json. Differences from the CLI's config:
// - @n8n/eslint-plugin-community-nodes is 0.10.0: later releases require n8n-workflow >= 2 as a peer, and this
//   package builds against n8n-workflow 1.x (2.x needs Node >= 22).
// - eslint-plugin-import-x and its TypeScript resolver are left out: the resolver's native bindings do not
//   install reproducibly with `npm ci`, and tsc already fails on an unresolved import.
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

const communityNodesRecommended = n8nCommunityNodesPlugin.configs.recommended;

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', '.n8n-runtime/**', '.demo/**', '.tools-build/**', 'coverage/**'] },
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended, communityNodesRecommended],
		rules: {
			'prefer-spread': 'off',
			// Node code runs inside n8n: no console output. The community rules above already forbid process,
			// timers and globals (no-restricted-globals) and every import but n8n-workflow, crypto and a few
			// libraries n8n ships (no-restricted-imports), so no fs, no child_process, no process.env.
			'no-console': 'error',
		},
	},
	{ plugins: { 'n8n-nodes-base': n8nNodesBase } },
	{
		files: ['package.json'],
		extends: [communityNodesRecommended],
		rules: { ...n8nNodesBase.configs.community.rules },
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: { extraFileExtensions: ['.json'] },
		},
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Turned off by @n8n/node-cli as well: a documentationUrl may be a full URL (checked by
			// @n8n/community-nodes/credential-documentation-url), and password fields are checked by
			// @n8n/community-nodes/credential-password-field.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// Turned off by @n8n/node-cli as well: they expect the old string form of inputs/outputs ('main')
			// rather than NodeConnectionTypes, and forbid a maxValue type option that n8n itself uses.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
);
