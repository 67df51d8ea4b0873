/** The `twofold` command (`npx twofold …`, `npm run twofold -- …`): runs one command and exits with its status. */
import { runCli } from './cli/main.js';

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdin: process.stdin,
});
