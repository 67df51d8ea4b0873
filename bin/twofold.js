#!/usr/bin/env node
// The package's `twofold` command: the compiled command line (`npm run build` makes dist/).
import '../dist/cli.js';
