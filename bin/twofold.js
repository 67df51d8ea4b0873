#!/usr/bin/env node
// The package's `twofold` command: the compiled command line. dist/ is built by `npm run build`, which `prepare`
// runs on `npm pack`, `npm publish` and installs from git, so an installed package always has it.
import '../dist/cli.js';
