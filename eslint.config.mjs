// n8n's own lint config, the one `n8n-node lint` and n8n-nodes-starter use (`@n8n/node-cli/eslint`: the
// @n8n/community-nodes rules, eslint-plugin-n8n-nodes-base, typescript-eslint and import-x), limited to what this
// package ships: the node code (nodes/, credentials/) and package.json. Tests, dev tooling and scripts run in Node,
// not inside n8n, so the node rules (no process, no timers, no node: imports) do not apply to them.
// n8n's scanner (@n8n/scan-community-package) lints the same files with its own copy of the rules: `npm run scan`.
import { config } from '@n8n/node-cli/eslint';
import { globalIgnores } from 'eslint/config';

export default [globalIgnores(['*', '!nodes/', '!credentials/', '!package.json']), ...config];
