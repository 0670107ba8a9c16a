import tseslint from 'typescript-eslint';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

const n8nRules = (configName) => n8nNodesBase.configs[configName].rules;

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.cache/**', '.stryker-tmp/**', 'reports/**', '**/*.js', '**/*.mjs'] },
	...tseslint.configs.recommended,
	{
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
		},
	},
	// The package is for self-hosted n8n (it needs undici for pooled, proxy-aware HTTP), so the
	// self-hosted flavour of n8n's community rules applies, to the code that ships. Tests and
	// benchmarks do what shipped code must not (start n8n, spawn processes).
	{ ...n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport, files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'lib/**/*.ts'] },
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'lib/**/*.ts'],
		rules: {
			// undici and zod are runtime dependencies by design (see README, "Dependencies").
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
	{
		// lib/ is framework-free by design (SPEC: it must not import n8n); the nodes turn its
		// errors into NodeApiError/NodeOperationError (nodes/shared/platform.ts).
		files: ['lib/**/*.ts'],
		rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
	},
	{
		// package.json too, as n8n's community-package scanner lints it: the community rules that
		// read the manifest (name, author, peer dependencies, lifecycle scripts…) and the older
		// plugin's community-package set. The TypeScript parser reads the JSON as one object.
		...n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport,
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser },
		plugins: { ...n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport.plugins, 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport.rules,
			...n8nRules('community'),
			// undici and zod are runtime dependencies by design (see README, "Install in your n8n").
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
			// The manifest parses as one bare object expression, which is all it should be.
			'@typescript-eslint/no-unused-expressions': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nRules('nodes'),
			// These two older rules want the string 'main'; the newer community rule
			// node-connection-type-literal wants NodeConnectionTypes.Main. The newer one wins.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nRules('credentials'),
			// Applies to n8n's main repository only (docs slugs); community credentials link a full URL.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
);
