// Composing on the Architecture view, end to end: from File > New > Blank scenario, the shop of
// scenarios/shop-spike.json is built with the mouse and the keyboard only (palette drags, handle-to-box drags,
// clicks on boxes and editors, typed numbers and names); window.playground is only asked questions (rectangles, the
// scenario's text, the job's state, the trace hash). The result must validate, equal the built-in's canonical
// document, and run to the built-in's golden trace hash.
//
// Two parts of the built-in are not built, and the comparison leaves them out, saying why:
// - `i18n` (the Chinese name and description): the page has no editor for a scenario's translations yet, and they
//   never reach the simulation (docs/fields.md, "Translations");
// - `view.positions`: the boxes were placed by dropping them, so the built document remembers where; the built-in
//   has no positions. Positions are layout only, never simulated.
// The keys and the screenshots are tests/browser/editor_compose.test.mjs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { assert, assert_no_missing_glyphs, click_widget, open_app, wait_frames, wait_job_done } from './lib.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const golden = JSON.parse(readFileSync(path.join(repo, 'tests/golden/trace_hashes.json'), 'utf8'))['scenarios/shop-spike.json'];
const shop_file = JSON.parse(readFileSync(path.join(repo, 'scenarios/shop-spike.json'), 'utf8'));

export function helpers(page) {
  const layout = () => page.evaluate(() => window.playground.layout());
  const scenario = async () => JSON.parse(await page.evaluate(() => window.playground.scenario()));
  const centre = async (name) => {
    const r = (await layout())[name];
    assert(r && r[2] > 0 && r[3] > 0, `the app reports no rectangle for "${name}"`);
    return [r[0] + r[2] / 2, r[1] + r[3] / 2];
  };
  const settle = async () => {
    await wait_frames(page, 3);
    await wait_job_done(page);
    await wait_frames(page, 2);
  };
  // Press at one widget, move to another in steps (frames in between, as a hand would), let go.
  const drag = async (from, to) => {
    const [x0, y0] = await centre(from);
    const [x1, y1] = typeof to === 'string' ? await centre(to) : to;
    await page.mouse.move(x0, y0);
    await wait_frames(page, 2);
    await page.mouse.down();
    await wait_frames(page, 2);
    for (let k = 1; k <= 6; ++k) {
      await page.mouse.move(x0 + ((x1 - x0) * k) / 6, y0 + ((y1 - y0) * k) / 6);
      await wait_frames(page, 1);
    }
    await wait_frames(page, 2);
    await page.mouse.up();
    await settle();
  };
  const click = async (name) => {
    await click_widget(page, name);
    await settle();
  };
  // A number editor: Ctrl+click makes it a text field; the value is typed and Enter ends the edit.
  const number = async (name, value) => {
    await page.keyboard.down('Control');
    await wait_frames(page, 2);
    await click_widget(page, name);
    await page.keyboard.up('Control');
    await wait_frames(page, 2);
    await page.keyboard.press('Control+A');
    await wait_frames(page, 2);
    await page.keyboard.type(String(value), { delay: 20 });
    await page.keyboard.press('Enter');
    await settle();
  };
  // A text field: click, select all, type, Enter.
  const text = async (name, value) => {
    await click_widget(page, name);
    await page.keyboard.press('Control+A');
    await wait_frames(page, 2);
    await page.keyboard.type(value, { delay: 20 });
    await page.keyboard.press('Enter');
    await settle();
  };
  const choose = async (name, word) => {
    await click_widget(page, name);
    await click(`choice:${word}`);
  };
  return { layout, scenario, centre, drag, click, number, text, choose, settle };
}

async function build_shop(page) {
  const h = helpers(page);
  const t0 = Date.now();
  const progress = (what) => console.log(`      editor_build: ${what} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  // File > New > Blank scenario.
  await h.click('menu_file');
  await h.click('menu_new');
  await h.click('menu_new_blank');
  let s = await h.scenario();
  assert(!s.services && !s.requests, `the blank scenario is not blank: ${JSON.stringify(s).slice(0, 300)}`);
  assert((await h.layout())['palette:0'], 'File > New did not open the palette on the Architecture view');

  progress('blank scenario opened');
  // Four services dropped from the palette onto the canvas, left to right.
  const canvas = (await h.layout()).architecture_canvas;
  const at = (fx, fy) => [canvas[0] + canvas[2] * fx, canvas[1] + canvas[3] * fy];
  for (const [fx, fy] of [[0.3, 0.5], [0.65, 0.2], [0.65, 0.55], [0.92, 0.85]]) await h.drag('palette:0', at(fx, fy));
  s = await h.scenario();
  assert(s.services?.length === 4, `4 drops made ${s.services?.length} services`);
  assert(s.requests?.length === 1 && s.requests[0].steps[0].call === 'service', 'the first service brings a request type');

  progress('four services dropped');
  // Each service: select its box, rename it (Enter), then its fields.
  const services = [
    { old: 'service', name: 'gateway', instances: 2, workers: 64, queue_max: 1000, mean_ms: 1, cv: 0.5 },
    { old: 'service-2', name: 'catalog', instances: 3, workers: 16, queue_max: 500, mean_ms: 6, cv: 0.8,
      balancer: 'least_connections', timeout_ms: 1000 },
    { old: 'service-3', name: 'cart', instances: 2, workers: 16, queue_max: 500, mean_ms: 4, cv: 0.6,
      balancer: 'power_of_two', timeout_ms: 1000 },
    { old: 'service-4', name: 'order', instances: 2, workers: 4, queue_max: 200, mean_ms: 40, cv: 0.7,
      balancer: 'least_connections', timeout_ms: 800, retries: { max: 2, backoff_ms: 50 } },
  ];
  for (const [i, v] of services.entries()) {
    await h.click(`node:${v.old}`);
    await h.text('compose_name', v.name);
    s = await h.scenario();
    assert(s.services[i].name === v.name, `renaming ${v.old} gave "${s.services[i].name}"`);
    const field = (f) => `edit:/services/${v.name}/${f}`;
    await h.number(field('instances'), v.instances);
    await h.number(field('workers'), v.workers);
    await h.number(field('queue_max'), v.queue_max);
    if (v.balancer) await h.choose(field('balancer'), v.balancer);
    if (v.timeout_ms) await h.number(field('timeout_ms'), v.timeout_ms);
    if (v.retries) {
      await h.number(field('retries/max'), v.retries.max);
      await h.number(field('retries/backoff_ms'), v.retries.backoff_ms);
    }
    await h.choose(`edit:/services/${i}/service_time/dist`, 'lognormal');
    await h.number(`edit:/services/${i}/service_time/mean_ms`, v.mean_ms);
    await h.number(`edit:/services/${i}/service_time/cv`, v.cv);
    s = await h.scenario();
    const got = s.services[i];
    assert(got.instances === v.instances && got.workers === v.workers && got.service_time?.dist === 'lognormal' &&
           got.service_time?.mean_ms === v.mean_ms, `${v.name} after its edits: ${JSON.stringify(got)}`);
  }
  progress('services edited');
  // The first request type calls the gateway (it came with the first service): it becomes browse, and a drag from
  // the gateway's handle to the catalog goes on with its flow (the gateway is where it ends).
  await h.click('request:request');
  await h.text('compose_request_name', 'browse');
  await h.drag('handle:gateway', 'node:catalog');
  // cart: a new request type (it starts at the gateway, the first service), then gateway -> cart.
  await h.click('compose_add_request');
  await h.drag('handle:gateway', 'node:cart');
  await h.text('compose_request_name', 'cart');
  // checkout: gateway -> cart -> order.
  await h.click('compose_add_request');
  await h.drag('handle:gateway', 'node:cart');
  await h.drag('handle:cart', 'node:order');
  await h.text('compose_request_name', 'checkout');
  s = await h.scenario();
  assert(JSON.stringify(s.requests) === JSON.stringify(shop_file.requests),
         `the request types built: ${JSON.stringify(s.requests)}`);
  assert(s.services.every((v) => !v.steps), `a drag made a call tree instead of a request step: ${JSON.stringify(s.services)}`);

  progress('request types built');
  // The clients' box: the workload, its schedule and the mix.
  await h.click('node:clients');
  await h.number('edit:/workload/arrivals/rate_per_s', 400);
  await h.number('edit:/workload/keys/count', 10000);
  await h.number('edit:/workload/keys/zipf_exponent', 1.1);
  await h.click('compose_add_point');
  await h.click('compose_add_point');
  await h.number('edit:/workload/arrivals/schedule/0/at_s', 20);
  await h.number('edit:/workload/arrivals/schedule/0/rate_per_s', 3000);
  await h.number('edit:/workload/arrivals/schedule/1/at_s', 30);
  await h.number('edit:/workload/arrivals/schedule/1/rate_per_s', 400);
  await h.number('edit:mix/browse', 70);
  await h.number('edit:mix/cart', 20);
  await h.number('edit:mix/checkout', 10);

  progress('workload edited');
  // The scenario's seed, name and description, in the scenario panel.
  await h.text('field:/seed', '42');
  await h.click('scenario_texts');
  await h.text('scenario_name', shop_file.name);
  await click_widget(page, 'scenario_description');
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(shop_file.description);
  await wait_frames(page, 3);
  await h.click('scenario_texts');   // closes the texts: the description field lets go, and the edit applies
  return h;
}

async function build(browser, baseUrl) {
  const { context, page, errors } = await open_app(browser, baseUrl, { width: 1280, height: 2000 });
  try {
    // The built-in as the page writes it (canonical): the page opens on shop-spike.
    const builtin = JSON.parse(await page.evaluate(() => window.playground.scenario()));
    assert(builtin.name === shop_file.name, 'the page did not open on the shop');
    const h = await build_shop(page);
    const built = await h.scenario();
    const without = (d) => {
      const copy = JSON.parse(JSON.stringify(d));
      delete copy.i18n;   // no translation editor yet; never simulated
      delete copy.view;   // where the boxes were dropped; never simulated
      return copy;
    };
    assert(built.view?.positions?.gateway, 'the dropped boxes kept no position');
    const a = JSON.stringify(without(built), null, 1), b = JSON.stringify(without(builtin), null, 1);
    if (a !== b) {
      const la = a.split('\n'), lb = b.split('\n');
      const k = la.findIndex((line, i) => line !== lb[i]);
      throw new Error(`the built scenario differs from the built-in at line ${k}: built "${la[k]}", built-in "${lb[k]}"`);
    }
    // It runs to the built-in's trace hash (Run > Run to end).
    await h.click('menu_run');
    await h.click('menu_run_to_end');
    await wait_job_done(page, 120_000);
    const hash = await page.evaluate(() => window.playground.traceHash());
    assert(hash === golden, `the built shop ran to ${hash}, the built-in's golden hash is ${golden}`);
    assert(errors.length === 0, errors.join('\n'));
  } finally {
    await context.close();
  }
}

// Some fifty clicks, drags and typed numbers, each waiting for frames: longer than the runner's usual two minutes on
// a busy machine (software rendering at 1280x2000).
export const timeout_ms = 900_000;

export default async function editor_build({ browser, baseUrl }) {
  await build(browser, baseUrl);
}
