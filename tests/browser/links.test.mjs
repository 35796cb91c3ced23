// Share links between the page and the command-line runner: a link the CLI encodes opens in the page with the same
// scenario (and the same trace hash when run); the page's own link decodes in the CLI to the same canonical JSON.
// Malformed links (cut short, bad characters, a decompression bomb, a newer link format, an invalid scenario) give
// the CLI's message in the page too, and the page keeps the scenario it had.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

import { assert, open_app, wait_frames } from './lib.mjs';

const repo_root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli_path = path.join(repo_root, 'build/native/playground-cli');
const cli = (args) => spawnSync(cli_path, args, { encoding: 'utf8', cwd: repo_root, maxBuffer: 64 << 20 });
const pg = (page, fn, arg) => page.evaluate(fn, arg);

export default async function links({ browser, baseUrl }) {
  assert(existsSync(cli_path), `${cli_path} missing: build it (cmake --build build/native --target playground-cli)`);
  const source = 'scenarios/locks-fencing.json';
  const encoded = cli(['link', 'encode', '--full', source]);  // the self-contained form
  assert(encoded.status === 0, encoded.stderr);
  const fragment = encoded.stdout.trim();
  assert(/^#s=1\.[A-Za-z0-9_-]+$/.test(fragment), `CLI link: ${fragment.slice(0, 40)}`);
  const canonical = cli(['link', 'decode', fragment]).stdout;

  // CLI -> page: open the page at the link.
  const { context, page, errors } = await open_app(browser, `${baseUrl}${fragment}`);
  try {
    const opened = await pg(page, () => ({ name: window.playground.scenarioName(), scenario: window.playground.scenario() }));
    assert(JSON.stringify(JSON.parse(opened.scenario)) === JSON.stringify(JSON.parse(canonical)),
           'the page opened a different scenario than the CLI encoded');
    await pg(page, () => window.playground.runToEnd());
    const page_hash = await pg(page, () => window.playground.traceHash());
    const cli_hash = JSON.parse(cli(['run', source]).stdout).trace_hash;
    assert(page_hash === cli_hash, `trace hash page ${page_hash} vs CLI ${cli_hash}`);

    // Page -> CLI: the page's link (after an intervention, so it differs from the file) decodes in the CLI.
    await pg(page, () => window.playground.seek(3));
    await pg(page, () => window.playground.intervene({ kind: 'crash', target: 'order#0', for_ms: 500 }));
    const page_link = await pg(page, () => window.playground.link());
    const page_fragment = page_link.slice(page_link.indexOf('#'));
    const decoded = cli(['link', 'decode', page_fragment]);
    assert(decoded.status === 0, `CLI could not decode the page's link: ${decoded.stderr}`);
    const page_scenario = await pg(page, () => window.playground.scenario());
    assert(JSON.stringify(JSON.parse(decoded.stdout)) === JSON.stringify(JSON.parse(page_scenario)),
           "the CLI decoded a different scenario from the page's link");
    assert(JSON.parse(decoded.stdout).interventions?.length === 1, 'the intervention travels in the link');
    console.log(`      CLI link ${fragment.length} chars -> page (hash ${page_hash}); page link ${page_fragment.length} chars -> CLI`);

    // Malformed links: the page shows the CLI's message and keeps its scenario.
    const valid_payload = fragment.slice('#s=1.'.length);
    const deflate = (text) => zlib.deflateRawSync(Buffer.from(text), { level: 9 }).toString('base64url');
    const bad_links = [
      ['cut short', `#s=1.${valid_payload.slice(0, Math.floor(valid_payload.length / 2))}`],
      ['bad characters', `#s=1.${valid_payload.slice(0, 20)}$*!${valid_payload.slice(20)}`],
      ['decompression bomb', `#s=1.${deflate(' '.repeat(4 << 20))}`],
      ['newer link format', `#s=2.${valid_payload}`],
      ['invalid scenario', `#s=1.${deflate('{"version":1,"duration_s":-5,"servces":[]}')}`],
      ['newer scenario version', `#s=1.${deflate('{"version":7,"name":"from the future"}')}`],
    ];
    const kept = await pg(page, () => window.playground.scenario());
    for (const [what, link] of bad_links) {
      const from_cli = cli(['link', 'decode', link]);
      assert(from_cli.status === 2, `${what}: CLI exit ${from_cli.status}`);
      const cli_first = from_cli.stderr.trim().split('\n')[0].replace(/^link decode: /, '').replace(/^link: /, '');
      const from_page = await pg(page, (l) => window.playground.openLink(l), link);
      assert(Array.isArray(from_page) && from_page.length > 0, `${what}: the page accepted a bad link`);
      const page_text = from_page.join('\n');
      const key = cli_first.split(': ').slice(-1)[0].slice(0, 40);
      assert(page_text.includes(key), `${what}: page says "${page_text}", CLI says "${cli_first}"`);
      assert(await pg(page, () => window.playground.scenario()) === kept, `${what}: the page lost its scenario`);
      const message = await pg(page, () => window.playground.message());
      assert(message.error, `${what}: no error message shown`);
      console.log(`      ${what}: "${key}"`);
    }
    await wait_frames(page, 3);
    assert(errors.length === 0, `console errors:\n${errors.join('\n')}`);
  } finally {
    await context.close();
  }
  await short_links(browser, baseUrl);
}

// Short links (issue 25): a built-in with one parameter changed and one intervention gives the page a link under 120
// characters naming the built-in; Copy link says its length; the link opens in a fresh page with the same canonical
// scenario and trace hash, and the CLI decodes it to the same canonical JSON.
async function short_links(browser, baseUrl) {
  const { context, page, errors } = await open_app(browser, baseUrl);
  try {
    const library = await pg(page, () => window.playground.library());
    const index = library.findIndex((e) => e.file === 'queues-order-backlog.json');
    assert(index >= 0, 'queues-order-backlog.json is in the library');
    await pg(page, (i) => window.playground.loadBuiltin(i), index);
    const edited = JSON.parse(await pg(page, () => window.playground.scenario()));
    edited.seed = (edited.seed || 1) + 1;
    assert((await pg(page, (text) => window.playground.loadScenario(text), JSON.stringify(edited))).length === 0, 'edit');
    await pg(page, () => window.playground.seek(4));
    await pg(page, () => window.playground.intervene({ kind: 'crash', target: 'order#0', for_ms: 500 }));
    const link = await pg(page, () => window.playground.link());
    const fragment = link.slice(link.indexOf('#'));
    assert(/^#s=b1\./.test(fragment) && fragment.length < 120, `a short link under 120 characters: ${fragment}`);
    await pg(page, () => window.playground.copyLink());
    const said = (await pg(page, () => window.playground.message())).text || '';
    assert(said.includes(String(link.length)), `Copy link says how long the link is: "${said}" (${link.length})`);
    const scenario = await pg(page, () => window.playground.scenario());
    await pg(page, () => window.playground.runToEnd());
    const hash = await pg(page, () => window.playground.traceHash());

    const decoded = cli(['link', 'decode', fragment]);
    assert(decoded.status === 0, `the CLI decodes the page's short link: ${decoded.stderr}`);
    assert(JSON.stringify(JSON.parse(decoded.stdout)) === JSON.stringify(JSON.parse(scenario)), 'CLI: same canonical scenario');

    const fresh = await open_app(browser, `${baseUrl}${fragment}`);
    try {
      assert(await pg(fresh.page, () => window.playground.scenario()) === scenario, 'the short link opens the same scenario');
      await pg(fresh.page, () => window.playground.runToEnd());
      assert(await pg(fresh.page, () => window.playground.traceHash()) === hash, 'and runs to the same trace hash');
      assert(fresh.errors.length === 0, fresh.errors.join('; '));
    } finally {
      await fresh.context.close();
    }
    console.log(`      short link ${fragment.length} chars (${fragment.slice(0, 24)}...), hash ${hash} in both pages and the CLI`);
    assert(errors.length === 0, errors.join('; '));
  } finally {
    await context.close();
  }
}
