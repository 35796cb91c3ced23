#!/usr/bin/env node
// Sweep throughput of the command-line runner: runs per second of `playground-cli sweep` over the order service's
// instances on scenarios/shop-spike.json, with --jobs 1, 2 and every core (native), and the WebAssembly CLI under
// Node (one run at a time). Checks on the way that every --jobs gives the same CSV.
//   node bench/sweep_throughput.mjs [--seeds N]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let seeds = 4;
for (let i = 2; i < process.argv.length; ++i) if (process.argv[i] === '--seeds') seeds = Number(process.argv[++i]) || seeds;
const values = ['1', '2', '3', '4'];
const args = ['sweep', path.join(root, 'scenarios/shop-spike.json'), '--param', '/services/order/instances',
  '--values', values.join(','), '--seeds', String(seeds)];
const runs = values.length * seeds;

function timed(command, extra) {
  const start = process.hrtime.bigint();
  const out = spawnSync(command[0], [...command.slice(1), ...args, ...extra], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (out.status !== 0) throw new Error(`${command.join(' ')} failed: ${out.stderr}`);
  return { seconds, csv: out.stdout };
}

const native = path.join(root, 'build/native/playground-cli');
const wasm = path.join(root, 'build/wasm/playground-cli.js');
const cores = availableParallelism();
console.log(`sweep of /services/order/instances over ${values.join(',')} x ${seeds} seeds = ${runs} runs of shop-spike`);
let reference = null;
if (existsSync(native)) {
  for (const jobs of [...new Set([1, 2, cores])]) {
    const r = timed([native], ['--jobs', String(jobs)]);
    if (reference === null) reference = r.csv;
    const same = r.csv === reference ? 'same CSV' : 'CSV DIFFERS';
    console.log(`native --jobs ${String(jobs).padEnd(3)} ${r.seconds.toFixed(2).padStart(7)} s  ${(runs / r.seconds).toFixed(2).padStart(7)} runs/s  ${same}`);
  }
}
if (existsSync(wasm)) {
  const r = timed(['node', '--no-experimental-fetch', wasm], []);
  const same = reference === null || r.csv === reference ? 'same CSV' : 'CSV DIFFERS';
  console.log(`wasm (Node)    ${r.seconds.toFixed(2).padStart(7)} s  ${(runs / r.seconds).toFixed(2).padStart(7)} runs/s  ${same}`);
}
