import { readFileSync } from 'fs';
import { join } from 'path';
import { PACKAGE_VERSION, SDK_HEADER } from '../../nodes/transport/version';

test('the X-Learnosity-SDK header carries the package version', () => {
	const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));
	expect(PACKAGE_VERSION).toBe(pkg.version);
	expect(SDK_HEADER).toBe(`n8n-nodes-learnosity:${pkg.version}`);
});
