// Shared helpers for the Node tests: where the two CLIs are, running them, listing scenarios.
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const nativeCli = join(root, 'build', 'native', 'playground-cli');
export const nodeCli = join(root, 'build', 'wasm', 'playground-cli.js');

// Runs a CLI: kind is 'native' or 'node'. Returns { status, stdout, stderr }.
export function runCli(kind, args, input) {
  const [command, argv] = kind === 'native'
    ? [nativeCli, args]
    : [process.execPath, ['--no-experimental-fetch', nodeCli, ...args]];
  const result = spawnSync(command, argv, { input, encoding: 'utf8', maxBuffer: 64 << 20, cwd: root });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export const clis = ['native', 'node'].filter((kind) => existsSync(kind === 'native' ? nativeCli : nodeCli));

// Every scenario file under tests/scenarios and scenarios/ (the built-in library), sorted.
export function scenarioFiles() {
  const files = [];
  for (const folder of ['tests/scenarios', 'scenarios']) {
    const dir = join(root, folder);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      if (name.endsWith('.json') && name !== 'index.json') files.push(join(folder, name));
    }
  }
  return files;
}
