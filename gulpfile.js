const path = require('path');
const { task, src, dest } = require('gulp');

// tsc compiles only TypeScript; n8n also needs the node and credential icons next to the compiled files.
task('build:icons', () =>
	src(['nodes/**/*.svg', 'credentials/**/*.svg', 'icons/**/*.svg'], { base: '.', encoding: false }).pipe(
		dest(path.resolve('dist')),
	),
);
