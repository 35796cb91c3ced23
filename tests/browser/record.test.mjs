// Recording (docs/recording.md, web/panels/record.cpp): 5 simulated seconds of shop-spike, frame by frame, to a GIF
// twice (the same bytes both times) and to a WebM. The GIF is decoded by the decoder below (written from the GIF89a
// specification: every frame's pixels, composited) and by Chromium's own (ImageDecoder); the WebM's container is
// parsed below (EBML) and its VP8 frames decoded by the browser (VideoDecoder), and the file opened in a <video>.
// Also: the File > Record... dialog at 1280x720, DPR 2 (build/screenshots/record-*.png), a recording started from
// it, and Cancel.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { assert, assert_no_missing_glyphs, click_widget, open_app, wait_frames, wait_job_done } from './lib.mjs';

const repo_root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// ---- GIF ----
function lzw_decode(data, min_size, count) {
  const clear = 1 << min_size, end = clear + 1;
  const prefix = new Int32Array(4096), suffix = new Uint8Array(4096), length = new Int32Array(4096);
  let size = 0, next = 0, previous = -1;
  const reset = () => {
    for (let i = 0; i < clear; ++i) prefix[i] = -1, suffix[i] = i, length[i] = 1;
    size = min_size + 1, next = end + 1, previous = -1;
  };
  reset();
  const out = new Uint8Array(count);
  let at = 0, bit = 0;
  const first = (code) => { while (prefix[code] !== -1) code = prefix[code]; return suffix[code]; };
  for (;;) {
    assert(bit + size <= data.length * 8, 'GIF: the image data ends before its end code');
    let code = 0;
    for (let i = 0; i < size; ++i, ++bit) code |= ((data[bit >> 3] >> (bit & 7)) & 1) << i;
    if (code === clear) { reset(); continue; }
    if (code === end) break;
    if (previous >= 0) {
      assert(code <= next, `GIF: code ${code} not in the table (next ${next})`);
      if (next < 4096) {   // the new entry: the previous string and the first index of this one
        const head = code < next ? first(code) : first(previous);
        prefix[next] = previous, suffix[next] = head, length[next] = length[previous] + 1;
        ++next;
        if (next === 1 << size && size < 12) ++size;
      }
    } else {
      assert(code < clear, `GIF: first code ${code} after a clear is not a pixel`);
    }
    const n = length[code];   // the string, written backwards from its end
    assert(at + n <= count, 'GIF: more pixels than the image holds');
    for (let i = at + n - 1, c = code; i >= at; --i) out[i] = suffix[c], c = prefix[c];
    at += n;
    previous = code;
  }
  assert((bit + 7) >> 3 === data.length, 'GIF: bytes after the end code');
  assert(at === count, `GIF: ${at} pixels decoded, ${count} expected`);
  return out;
}

export function decode_gif(bytes) {
  const text = (from, n) => String.fromCharCode(...bytes.subarray(from, from + n));
  const u16 = (at) => bytes[at] | (bytes[at + 1] << 8);
  assert(text(0, 6) === 'GIF89a', 'not a GIF89a file');
  const width = u16(6), height = u16(8);
  assert(bytes[10] & 0x80, 'GIF: no global colour table');
  const table_size = 3 * (2 << (bytes[10] & 7));
  const palette = bytes.subarray(13, 13 + table_size);
  let at = 13 + table_size, delay = 0, loops = -1;
  const canvas = new Uint8Array(width * height);
  const frames = [], delays = [];
  const blocks = () => {
    const parts = [];
    for (let n = bytes[at++]; n > 0; n = bytes[at++]) parts.push(bytes.subarray(at, at += n));
    const data = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
    let o = 0;
    for (const p of parts) data.set(p, o), o += p.length;
    return data;
  };
  for (;;) {
    const kind = bytes[at++];
    if (kind === 0x3B) break;
    if (kind === 0x21) {
      const label = bytes[at++];
      if (label === 0xF9) delay = u16(at + 2);
      if (label === 0xFF && text(at + 1, 11) === 'NETSCAPE2.0') loops = u16(at + 14);
      if (label === 0xFF) at += 12;
      blocks();
    } else {
      assert(kind === 0x2C, `GIF: unexpected block 0x${kind.toString(16)} at ${at - 1}`);
      const x = u16(at), y = u16(at + 2), w = u16(at + 4), h = u16(at + 6);
      assert((bytes[at + 8] & 0xC0) === 0, 'GIF: local tables and interlacing are not written by our encoder');
      at += 9;
      assert(x + w <= width && y + h <= height, 'GIF: a frame outside the screen');
      const min_size = bytes[at++];
      const pixels = lzw_decode(blocks(), min_size, w * h);
      for (let row = 0; row < h; ++row) canvas.set(pixels.subarray(row * w, row * w + w), (y + row) * width + x);
      frames.push(canvas.slice());
      delays.push(delay);
    }
  }
  assert(at === bytes.length, 'GIF: bytes after the trailer');
  return { width, height, palette, frames, delays, loops };
}

// ---- WebM (EBML): the elements a player needs, and the blocks ----
function parse_webm(bytes) {
  const vint = (at, keep_marker) => {
    const first = bytes[at];
    let length = 1;
    while (length <= 8 && !(first & (0x80 >> (length - 1)))) ++length;
    let value = keep_marker ? first : first & (0xFF >> length);
    for (let i = 1; i < length; ++i) value = value * 256 + bytes[at + i];
    return { value, length };
  };
  const out = { width: 0, height: 0, codec: '', blocks: [], duration_ms: 0, doc_type: '' };
  const containers = new Set([0x18538067, 0x1654AE6B, 0xAE, 0xE0, 0x1F43B675, 0x1549A966, 0x1A45DFA3]);
  let cluster_ms = 0;
  const walk = (from, to) => {
    for (let at = from; at < to;) {
      const id = vint(at, true), size = vint(at + id.length, false);
      const body = at + id.length + size.length, end = body + size.value;
      assert(end <= to, `WebM: element 0x${id.value.toString(16)} runs past its parent`);
      const uint = () => { let v = 0; for (let i = body; i < end; ++i) v = v * 256 + bytes[i]; return v; };
      const str = () => String.fromCharCode(...bytes.subarray(body, end));
      switch (id.value) {
        case 0x4282: out.doc_type = str(); break;
        case 0xB0: out.width = uint(); break;
        case 0xBA: out.height = uint(); break;
        case 0x86: out.codec = str(); break;
        case 0xE7: cluster_ms = uint(); break;
        case 0x4489: out.duration_ms = new DataView(bytes.buffer, bytes.byteOffset + body, 8).getFloat64(0); break;
        case 0xA3: {
          const track = vint(body, false);
          const head = body + track.length;
          const relative = new DataView(bytes.buffer, bytes.byteOffset + head, 2).getInt16(0);
          out.blocks.push({ ms: cluster_ms + relative, key: (bytes[head + 2] & 0x80) !== 0,
                            data: bytes.slice(head + 3, end) });
          break;
        }
        default: if (containers.has(id.value)) walk(body, end);
      }
      at = end;
    }
  };
  walk(0, bytes.length);
  return out;
}

// Records in the page; the bytes come back as base64, with the wall time the recording took.
async function record(page, options) {
  return page.evaluate(async (o) => {
    const started = performance.now();
    const r = await window.playground.record(o);
    const ms = performance.now() - started;
    let binary = '';
    for (let i = 0; i < r.bytes.length; i += 0x8000) binary += String.fromCharCode(...r.bytes.subarray(i, i + 0x8000));
    return { base64: btoa(binary), frames: r.frames, width: r.width, height: r.height, format: r.format, ms };
  }, options);
}

async function browser_decodes_gif(page, base64) {
  return page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const decoder = new ImageDecoder({ data: bytes, type: 'image/gif' });
    await decoder.tracks.ready;
    await decoder.completed;
    const frame = await decoder.decode({ frameIndex: 0 });
    const out = { frames: decoder.tracks.selectedTrack.frameCount, width: frame.image.displayWidth,
                  height: frame.image.displayHeight };
    frame.image.close();
    decoder.close();
    return out;
  }, base64);
}

async function browser_decodes_webm(page, base64, blocks) {
  return page.evaluate(async ({ b64, blocks }) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    // The VP8 frames, one by one.
    const decoded = [];
    let failure = '';
    const decoder = new VideoDecoder({
      output: (frame) => { decoded.push([frame.codedWidth, frame.codedHeight, frame.timestamp]); frame.close(); },
      error: (e) => { failure = String(e); },
    });
    decoder.configure({ codec: 'vp8' });
    for (const block of blocks) {
      const data = Uint8Array.from(atob(block.data), (c) => c.charCodeAt(0));
      decoder.decode(new EncodedVideoChunk({ type: block.key ? 'key' : 'delta', timestamp: block.ms * 1000, data }));
    }
    await decoder.flush();
    // The whole file in Chromium's own player, loaded to the end (a load cut short counts as a failed request).
    const video = document.createElement('video');
    video.muted = true;
    video.preload = 'auto';
    const meta = await new Promise((resolve) => {
      video.oncanplaythrough = () => resolve({ width: video.videoWidth, height: video.videoHeight, duration: video.duration });
      video.onerror = () => resolve({ error: video.error && video.error.message });
      video.src = URL.createObjectURL(new Blob([bytes], { type: 'video/webm' }));
    });
    window.recorded_video = video;   // kept, with its URL, until the page closes
    return { decoded, failure, meta };
  }, { b64: base64, blocks });
}

async function record_gif_and_webm({ browser, baseUrl, screenshotDir }) {
  const { context, page, errors } = await open_app(browser, baseUrl);
  try {
    const scenario = await fs.readFile(path.join(repo_root, 'scenarios/shop-spike.json'), 'utf8');
    const loaded = await page.evaluate((text) => window.playground.loadScenario(text), scenario);
    assert(loaded.length === 0, `shop-spike did not load: ${loaded}`);
    await wait_frames(page, 3);
    // 18 s to 23 s: the spike starts at 20 s, so the picture changes a lot.
    const options = { from_s: 18, to_s: 23, fps: 10, speed: 1, view: 'Architecture', format: 'gif' };
    const first = await record(page, options);
    const region = (await page.evaluate(() => window.playground.layout())).view_region;
    const second = await record(page, options);
    console.log(`      GIF: ${first.frames} frames, ${first.width}x${first.height}, ${first.base64.length * 3 / 4 | 0} bytes, ` +
                `${(first.ms / 1000).toFixed(1)} s and ${(second.ms / 1000).toFixed(1)} s to record`);
    const a = Buffer.from(first.base64, 'base64'), b = Buffer.from(second.base64, 'base64');
    await fs.writeFile(path.join(screenshotDir, 'record-architecture.gif'), a);
    assert(a.equals(b), `two recordings of the same range differ (${a.length} and ${b.length} bytes)`);
    assert(first.frames === 50, `5 s at 10 frames per second: ${first.frames} frames`);
    // The size asked for: the view's region in device pixels (DPR 1 here), rounded down to even.
    assert(region, 'the app reports no view_region');
    const want_width = Math.floor(region[2]) & ~1, want_height = Math.floor(region[3]) & ~1;
    assert(first.width === want_width && first.height === want_height,
           `GIF is ${first.width}x${first.height}, the view ${want_width}x${want_height}`);

    const gif = decode_gif(a);
    assert(gif.frames.length === 50, `our decoder finds ${gif.frames.length} frames`);
    assert(gif.width === want_width && gif.height === want_height, `the GIF's screen is ${gif.width}x${gif.height}`);
    assert(gif.loops === 0, 'the GIF does not loop for ever');
    assert(gif.delays.every((d) => d === 10), `frame delays ${[...new Set(gif.delays)]} (10 cs expected)`);
    const colours = new Set(gif.frames[49]).size;
    let changed = 0;
    for (let k = 1; k < gif.frames.length; ++k) if (!gif.frames[k].every((v, i) => v === gif.frames[k - 1][i])) ++changed;
    assert(colours >= 8, `the last frame has ${colours} colours: blank?`);
    assert(changed >= 40, `only ${changed} of 49 frames differ from the one before: the dots do not move?`);
    const chromium = await browser_decodes_gif(page, first.base64);
    assert(chromium.frames === 50 && chromium.width === want_width && chromium.height === want_height,
           `Chromium decodes ${JSON.stringify(chromium)}`);
    console.log(`      GIF decoded: ours 50 frames, ${colours} colours in the last, ${changed} frames changed; ` +
                `Chromium's ImageDecoder ${chromium.frames} frames ${chromium.width}x${chromium.height}`);

    // The same recording at half size, as WebM.
    const video = await record(page, { ...options, format: 'webm', scale: 0.5 });
    const bytes = Buffer.from(video.base64, 'base64');
    await fs.writeFile(path.join(screenshotDir, 'record-architecture.webm'), bytes);
    const webm = parse_webm(new Uint8Array(bytes));
    const half_width = Math.floor(want_width / 2) & ~1, half_height = Math.floor(want_height / 2) & ~1;
    console.log(`      WebM: ${webm.blocks.length} blocks, ${webm.width}x${webm.height}, ${bytes.length} bytes, ` +
                `${(video.ms / 1000).toFixed(1)} s to record`);
    assert(webm.doc_type === 'webm' && webm.codec === 'V_VP8', `WebM: doc type ${webm.doc_type}, codec ${webm.codec}`);
    assert(video.frames === 50 && webm.blocks.length === 50, `WebM: ${video.frames} frames, ${webm.blocks.length} blocks`);
    assert(webm.width === half_width && webm.height === half_height && video.width === half_width,
           `WebM is ${webm.width}x${webm.height}, half the view is ${half_width}x${half_height}`);
    assert(webm.blocks.every((block, k) => block.ms === k * 100), 'WebM: the frames are not 100 ms apart');
    assert(Math.abs(webm.duration_ms - 5000) < 1, `WebM: duration ${webm.duration_ms} ms`);
    const blocks = webm.blocks.map((block) => ({ ms: block.ms, key: block.key,
                                                 data: Buffer.from(block.data).toString('base64') }));
    const played = await browser_decodes_webm(page, video.base64, blocks);
    assert(!played.failure, `VideoDecoder: ${played.failure}`);
    assert(played.decoded.length === 50, `VideoDecoder gave ${played.decoded.length} frames`);
    assert(played.decoded.every(([w, h]) => w === half_width && h === half_height),
           `VideoDecoder frame sizes ${JSON.stringify(played.decoded[0])}`);
    assert(played.meta.width === half_width && played.meta.height === half_height && Math.abs(played.meta.duration - 5) < 0.2,
           `<video> reads ${JSON.stringify(played.meta)}`);
    console.log(`      WebM decoded: VideoDecoder ${played.decoded.length} frames; <video> ${JSON.stringify(played.meta)}`);

    // A view shown for the first time: ImGui's tables fit their columns over several frames, so the recording waits
    // until the picture at `from` is still (the ring view's table once made the first 7 frames differ).
    const friday = await fs.readFile(path.join(repo_root, 'scenarios/black-friday.json'), 'utf8');
    await page.evaluate((text) => window.playground.loadScenario(text), friday);
    const ring = { from_s: 10, to_s: 11, fps: 10, speed: 1, view: 'Ring', format: 'gif' };
    const ring_a = await record(page, ring), ring_b = await record(page, ring);
    assert(ring_a.frames === 10 && ring_a.base64 === ring_b.base64,
           `black-friday's ring view, recorded twice, differs (${ring_a.base64.length} and ${ring_b.base64.length} base64)`);

    // Cancel: the promise is rejected and the run is left alone afterwards.
    const cancelled = await page.evaluate(async () => {
      const p = window.playground.record({ from_s: 0, to_s: 30, fps: 10, speed: 1, view: 'Charts', format: 'gif' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      window.playground.cancelRecording();
      try { await p; return 'not cancelled'; } catch (error) { return error.message; }
    });
    assert(/cancelled/i.test(cancelled), `cancel: ${cancelled}`);
    assert(errors.length === 0, `errors: ${errors.join('; ')}`);
  } finally {
    await context.close();
  }
}

async function dialog({ browser, baseUrl, screenshotDir }) {
  const { context, page, errors } = await open_app(browser, baseUrl, { width: 1280, height: 720, deviceScaleFactor: 2 });
  try {
    const scenario = await fs.readFile(path.join(repo_root, 'scenarios/shop-spike.json'), 'utf8');
    await page.evaluate((text) => window.playground.loadScenario(text), scenario);
    await page.evaluate(() => window.playground.selectView('Charts'));
    // At 58 s the dialog's default range is 58-60 s (5 s clamped to the run's end): 20 frames, which keeps this part
    // short (SwiftShader draws a 2560x1440 frame in about 0.2 s).
    await page.evaluate(() => window.playground.seek(58));
    await wait_job_done(page);
    await wait_frames(page, 3);
    await click_widget(page, 'menu_file');
    await click_widget(page, 'menu_record');
    await wait_frames(page, 3);
    const rects = await page.evaluate(() => window.playground.layout());
    assert(rects.record_start, 'File > Record... did not open the dialog');
    await page.screenshot({ path: path.join(screenshotDir, 'record-dialog.png') });
    // Start with the defaults: from now (58 s) to the end (60 s), the current view, 10 frames per second, GIF.
    await click_widget(page, 'record_start');
    await page.waitForFunction(() => window.playground.recording().frames >= 5, null, { timeout: 60_000 });
    await page.screenshot({ path: path.join(screenshotDir, 'record-progress.png') });
    await page.waitForFunction(() => window.playground.recording().phase === 'done', null, { timeout: 90_000 });
    await wait_frames(page, 2);
    const status = await page.evaluate(() => window.playground.recording());
    assert(status.frames === 20 && status.view === 'Charts' && status.format === 'gif' && status.bytes > 1000,
           `the dialog's recording: ${JSON.stringify(status)}`);
    assert((await page.evaluate(() => window.playground.layout())).record_download, 'no Download button at the end');
    await page.screenshot({ path: path.join(screenshotDir, 'record-done.png') });
    console.log(`      dialog: ${status.frames} frames ${status.width}x${status.height} (DPR 2), ${status.bytes} bytes`);
    // The same dialog in Chinese: every character has its glyph.
    assert(await page.evaluate(() => window.playground.setLanguage('zh-CN')), 'setLanguage(zh-CN) refused');
    await page.waitForFunction(() => window.playground.font().state === 'loaded' &&
                                     window.playground.language() === 'zh-CN', null, { timeout: 30_000 });
    await page.evaluate(() => window.playground.clearMissingGlyphs());
    await wait_frames(page, 3);
    await page.screenshot({ path: path.join(screenshotDir, 'record-done-zh.png') });
    await assert_no_missing_glyphs(page, 'the Record dialog in Chinese');
    assert(errors.length === 0, `errors: ${errors.join('; ')}`);
  } finally {
    await context.close();
  }
}

export default async function (env) {
  await record_gif_and_webm(env);
  await dialog(env);
}
