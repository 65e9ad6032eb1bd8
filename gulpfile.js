const fs = require('fs');
const path = require('path');
const { series, src, dest } = require('gulp');

// Runs after `n8n-node build` (tsc, then a copy of every *.png/*.svg in the repo into dist/). Two things that copy
// does not do the way this package needs:

// n8n reads each node's codex file (*.node.json: categories, documentation links) from beside the compiled node,
// and the CLI copies only images and __schema__ JSON.
function copyCodexFiles() {
	return src('nodes/**/*.node.json', { base: '.' }).pipe(dest(path.resolve('dist')));
}

// The CLI copies the README's screenshots (docs/images) too; they are not package content and would
// multiply the tarball by six (package.json `files` leaves dist/docs out as well, for `n8n-node dev` builds).
async function dropDocsImages() {
	fs.rmSync(path.resolve('dist', 'docs'), { recursive: true, force: true });
}

exports.default = series(copyCodexFiles, dropDocsImages);
