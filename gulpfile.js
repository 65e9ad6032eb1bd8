const path = require('path');
const { task, src, dest } = require('gulp');

// tsc compiles only TypeScript; n8n also needs the icons and each node's codex file (*.node.json) in dist/.
task('build:icons', () =>
	src(['icons/**/*.svg', 'nodes/**/*.svg', 'credentials/**/*.svg', 'nodes/**/*.node.json'], {
		base: '.',
		encoding: false,
	}).pipe(dest(path.resolve('dist'))),
);
