// The mechanism views end to end: each view tab opened with its matching built-in scenario, played or sought to a
// moment where the mechanism shows (the spike's queues, a cache node's crash, a GC pause under a lock, a growing
// backlog), then checked: the view drew something (a non-blank region where it sits) and its own counts say what
// (particles for requests in flight, ring points and key dots, lock bars and an overlap, queue bars); and under
// reduced motion the architecture view draws static counts instead of particles.
// Screenshots go to build/screenshots/views-<view>-<dpr>x.png at 1280x720, device pixel ratio 1 and 2.
import path from 'node:path';

import { assert, assert_not_blank, open_app, wait_frames } from './lib.mjs';

const cases = [
  { view: 'Architecture', scenario: 'shop-spike.json', seek: 24,
    check: (s) => {
      assert(s.architecture.nodes >= 5, `architecture: ${s.architecture.nodes} nodes`);
      assert(s.architecture.edges >= 4, `architecture: ${s.architecture.edges} edges`);
      assert(s.architecture.flows_live > 0, 'architecture: no live flows at 24 s of the spike');
      assert(s.architecture.particles > 0, `architecture: no particles drawn (${s.architecture.flows_live} flows live)`);
      assert(s.architecture.particles_on_gpu, `architecture: particles not drawn by the shader: ${s.architecture.shader_error}`);
    } },
  { view: 'Ring', scenario: 'ring-cache-node-dies-during-sale.json', seek: 25.5,
    check: (s) => {
      assert(s.ring.points > 0, 'ring: no ring points');
      assert(s.ring.keys > 100, `ring: only ${s.ring.keys} key dots`);
      assert(s.ring.moved_keys > 0, 'ring: the crash of cache-b at 25 s moved no keys on screen');
    } },
  { view: 'Locks', scenario: 'locks-redis-gc-pause.json', seek: 1.3,
    check: (s) => {
      assert(s.locks.rows > 0 && s.locks.bars > 0, `locks: ${s.locks.rows} rows, ${s.locks.bars} bars`);
      assert(s.locks.overlaps > 0, 'locks: no overlap drawn around the GC pause');
      assert(s.locks.pauses > 0, 'locks: the GC pause is not shaded');
    } },
  { view: 'Queues', scenario: 'queues-order-backlog.json', seek: 38,
    check: (s) => {
      assert(s.queues.bars >= 2, `queues: ${s.queues.bars} bars`);
      assert(s.queues.consumers > 0, 'queues: no consumer drawn');
      assert(s.queues.depth > 50, `queues: the backlog at 38 s is only ${s.queues.depth}`);
    } },
];

async function clip_screenshot(page, name) {
  const rect = (await page.evaluate(() => window.playground.layout()))[name];
  assert(rect && rect[2] > 50 && rect[3] > 50, `no rectangle for ${name}`);
  return page.screenshot({ clip: { x: rect[0], y: rect[1], width: rect[2], height: rect[3] } });
}

const canvas_of = { Architecture: 'architecture_canvas', Ring: 'ring_canvas', Locks: 'locks_canvas',
                    Queues: 'queues_view' };

export default async function ({ browser, baseUrl, screenshotDir }) {
  for (const deviceScaleFactor of [1, 2]) {
    const { context, page, errors } = await open_app(browser, baseUrl, { width: 1280, height: 720, deviceScaleFactor });
    try {
      const library = await page.evaluate(() => window.playground.library());
      for (const c of cases) {
        const index = library.findIndex((entry) => entry.file === c.scenario);
        assert(index >= 0, `built-in ${c.scenario} missing`);
        const load_errors = await page.evaluate((i) => window.playground.loadBuiltin(i), index);
        assert(load_errors.length === 0, `${c.scenario}: ${load_errors.join('; ')}`);
        await page.evaluate((name) => window.playground.selectView(name), c.view);
        await page.evaluate((t) => window.playground.seek(t), c.seek);
        // Play briefly at normal speed so motion is real (particles move, the moved keys fly in), then pause.
        await page.evaluate(() => { window.playground.setSpeed(1); window.playground.play(); });
        await page.waitForTimeout(c.view === 'Ring' ? 2800 : 600);
        await page.evaluate(() => window.playground.pause());
        await wait_frames(page, 3);
        const stats = await page.evaluate(() => window.playground.viewStats());
        assert(stats.view === c.view, `the ${c.view} tab is not in front (${stats.view})`);
        c.check(stats);
        const region = await clip_screenshot(page, canvas_of[c.view]);
        await assert_not_blank(page, region, `${c.view} view`);
        const file = path.join(screenshotDir, `views-${c.view.toLowerCase()}-${deviceScaleFactor}x.png`);
        await page.screenshot({ path: file });
        const brief = { Architecture: stats.architecture, Ring: stats.ring, Locks: stats.locks, Queues: stats.queues }[c.view];
        console.log(`      ${c.view} @${deviceScaleFactor}x ${c.scenario} t=${(await page.evaluate(() => window.playground.clock())).toFixed(1)} s: ${JSON.stringify(brief)}`);
      }
      // Reduced motion: the architecture view draws a static count on each busy edge instead of moving particles
      // (web/views/architecture.cpp), and draws particles again when reduced motion is turned off.
      assert(await page.evaluate(() => typeof window.playground.setReducedMotion === 'function'),
             'window.playground.setReducedMotion is missing');
      const spike = library.findIndex((entry) => entry.file === 'shop-spike.json');
      assert(spike >= 0, 'built-in shop-spike.json missing');
      const spike_errors = await page.evaluate((i) => window.playground.loadBuiltin(i), spike);
      assert(spike_errors.length === 0, `shop-spike.json: ${spike_errors.join('; ')}`);
      await page.evaluate(() => { window.playground.selectView('Architecture'); return window.playground.seek(24); });
      await page.evaluate(() => window.playground.setReducedMotion(true));
      await wait_frames(page, 3);
      const reduced = await page.evaluate(() => window.playground.viewStats());
      assert(reduced.view === 'Architecture', `reduced motion: the Architecture tab is not in front (${reduced.view})`);
      assert(reduced.architecture.flows_live > 0, 'reduced motion: no live flows at 24 s of the spike');
      assert(reduced.architecture.particles === 0,
             `reduced motion: ${reduced.architecture.particles} particles drawn, expected none`);
      assert(reduced.architecture.static_markers > 0,
             `reduced motion: no static count on any edge (${reduced.architecture.flows_live} flows live)`);
      await assert_not_blank(page, await clip_screenshot(page, 'architecture_canvas'), 'Architecture view, reduced motion');
      await page.screenshot({ path: path.join(screenshotDir, `views-architecture-reduced-motion-${deviceScaleFactor}x.png`) });
      await page.evaluate(() => window.playground.setReducedMotion(false));
      await wait_frames(page, 3);
      const moving = await page.evaluate(() => window.playground.viewStats());
      assert(moving.architecture.particles > 0 && moving.architecture.static_markers === 0,
             `reduced motion off again: ${moving.architecture.particles} particles, ` +
             `${moving.architecture.static_markers} static markers`);
      console.log(`      reduced motion @${deviceScaleFactor}x: ${reduced.architecture.static_markers} static counts, ` +
                  `0 particles; off again: ${moving.architecture.particles} particles`);
      assert(errors.length === 0, `console errors: ${errors.join('; ')}`);
    } finally {
      await context.close();
    }
  }
}
