// The page side of recording (docs/recording.md), linked into playground.js with --post-js (it shares the module's
// scope):
//  - Module.playgroundRecord.step: the WebM writer the app drives frame by frame (web/panels/record.cpp): each
//    frame's pixels become a VideoFrame with the frame's own timestamp (k / fps, never the wall clock), encoded as
//    VP8 by WebCodecs and put in a WebM (Matroska) file written here;
//  - window.playground.record(options): a Promise of {bytes, frames, width, height, format}, and recording(),
//    cancelRecording(), openRecordDialog().
(function () {
  'use strict';
  function up() { return runtimeInitialized && !ABORT; }

  // ---- WebM: EBML elements as lists of byte arrays ----
  function bytesOf(n, length) {   // big-endian, `length` bytes (n below 2^53)
    var out = new Uint8Array(length);
    for (var i = length - 1; i >= 0; --i, n = Math.floor(n / 256)) out[i] = n % 256;
    return out;
  }
  function sizeOf(n) {   // an EBML variable-length size
    var length = 1;
    while (length < 8 && n >= Math.pow(2, 7 * length) - 1) ++length;
    var out = bytesOf(n, length);
    out[0] |= 1 << (8 - length);
    return out;
  }
  function total(parts) { return parts.reduce(function (sum, part) { return sum + part.length; }, 0); }
  function el(id, parts) {   // id: its bytes as a number (0x1A45DFA3); parts: byte arrays
    var idBytes = bytesOf(id, id > 0xFFFFFF ? 4 : id > 0xFFFF ? 3 : id > 0xFF ? 2 : 1);
    return [idBytes, sizeOf(total(parts))].concat(parts);
  }
  function uint(id, n) {
    var length = 1;
    while (length < 8 && n >= Math.pow(2, 8 * length)) ++length;
    return el(id, [bytesOf(n, length)]);
  }
  function str(id, text) { return el(id, [new TextEncoder().encode(text)]); }
  function float(id, value) {
    var out = new Uint8Array(8);
    new DataView(out.buffer).setFloat64(0, value);
    return el(id, [out]);
  }
  function flat(lists) { return [].concat.apply([], lists); }

  // chunks: [{key, ms, data}], timestamps in milliseconds from the start.
  function webm(chunks, width, height, fps) {
    var header = el(0x1A45DFA3, flat([uint(0x4286, 1), uint(0x42F7, 1), uint(0x42F2, 4), uint(0x42F3, 8),
                                      str(0x4282, 'webm'), uint(0x4287, 2), uint(0x4285, 2)]));
    var info = el(0x1549A966, flat([uint(0x2AD7B1, 1000000), str(0x4D80, 'playground'), str(0x5741, 'playground'),
                                    float(0x4489, chunks.length * 1000 / fps)]));
    var video = el(0xE0, flat([uint(0xB0, width), uint(0xBA, height)]));
    var tracks = el(0x1654AE6B, el(0xAE, flat([uint(0xD7, 1), uint(0x73C5, 1), uint(0x83, 1), str(0x86, 'V_VP8'),
                                               uint(0x23E383, Math.round(1e9 / fps)), video])));
    // A cluster starts at every key frame (and before the 16-bit relative time would overflow).
    var clusters = [], blocks = [], start = 0;
    function close() { if (blocks.length) clusters.push(el(0x1F43B675, flat([uint(0xE7, start)].concat(blocks)))); }
    chunks.forEach(function (chunk) {
      if (!blocks.length || chunk.key || chunk.ms - start > 30000) {
        close();
        blocks = [];
        start = chunk.ms;
      }
      var head = new Uint8Array([0x81, 0, 0, chunk.key ? 0x80 : 0]);
      new DataView(head.buffer).setInt16(1, chunk.ms - start);
      blocks.push(el(0xA3, [head, chunk.data]));
    });
    close();
    var segment = el(0x18538067, flat([info, tracks].concat(clusters)));
    return new Blob(header.concat(segment), { type: 'video/webm' });
  }

  // ---- the writer the app drives (steps: pgweb::Host::WebmStep) ----
  var writer = null;   // {encoder, chunks, fps, width, height, failed}
  var video = null;    // the last finished WebM (a Blob)
  function step(kind, pointer, width, height, fps) {
    if (kind === 0) {   // begin
      if (typeof VideoEncoder !== 'function' || typeof VideoFrame !== 'function') return 0;
      if (writer && writer.encoder.state !== 'closed') writer.encoder.close();
      var w = { chunks: [], fps: fps, failed: false, encoder: null };
      w.encoder = new VideoEncoder({
        output: function (chunk) {
          var data = new Uint8Array(chunk.byteLength);
          chunk.copyTo(data);
          w.chunks.push({ key: chunk.type === 'key', ms: Math.round(chunk.timestamp / 1000), data: data });
        },
        error: function () { w.failed = true; },
      });
      writer = w;
      video = null;
      return 1;
    }
    if (!writer) return kind === 2 ? 2 : 0;
    if (kind === 1) {   // frame: configured by the first one's size
      var index = writer.count || 0;
      if (!index) {
        writer.width = width, writer.height = height;
        writer.encoder.configure({ codec: 'vp8', width: width, height: height, framerate: writer.fps,
                                   bitrate: Math.min(8e6, width * height * writer.fps * 0.4) });
      }
      var frame = new VideoFrame(HEAPU8.slice(pointer, pointer + width * height * 4),
                                 { format: 'RGBA', codedWidth: width, codedHeight: height,
                                   timestamp: Math.round(index * 1e6 / writer.fps),
                                   duration: Math.round(1e6 / writer.fps) });
      writer.encoder.encode(frame, { keyFrame: index % Math.max(1, Math.round(writer.fps * 2)) === 0 });
      frame.close();
      writer.count = index + 1;
      return 1;
    }
    if (kind === 2) return writer.failed ? 2 : writer.encoder.encodeQueueSize < 4 ? 1 : 0;   // ready: 2 failed
    if (kind === 3) {   // end
      var done = writer;
      done.encoder.flush().then(function () {
        if (done !== writer) return;
        done.encoder.close();
        if (done.failed) throw new Error('encoder');
        video = webm(done.chunks, done.width, done.height, done.fps);
        if (up()) call('pg_record_webm_done', [video.size, 1]);
      }).catch(function () { if (done === writer && up()) call('pg_record_webm_done', [0, 0]); });
      return 1;
    }
    if (kind === 4) {   // cancel
      if (writer.encoder.state !== 'closed') writer.encoder.close();
      writer = null;
      return 1;
    }
    if (kind === 5 && video) Module['playgroundHost'].download(UTF8ToString(pointer) + '.webm', 'video/webm', video);
    return 1;
  }
  function call(name, args) {
    return Module['ccall'](name, null, args.map(function () { return 'number'; }), args);
  }
  Module['playgroundRecord'] = { step: step };

  function status() { return up() ? JSON.parse(Module['ccall']('pg_record_json', 'string', [], [])) : { active: false }; }
  var playground = typeof window !== 'undefined' && window['playground'];
  if (!playground) return;
  /** the recording: {active, phase, frames, total, bytes, width, height, format, view, error} */
  playground.recording = status;
  playground.cancelRecording = function () { if (up()) call('pg_record_cancel', []); };
  /** opens File > Record... */
  playground.openRecordDialog = function () { if (up()) call('pg_record_dialog', []); };
  /** records {from_s, to_s, fps, speed, view, format: 'gif' | 'webm', scale: 1 | 0.5} frame by frame; a Promise of
   *  {bytes: Uint8Array, frames, width, height, format}, rejected with the reason when it could not start or stopped */
  playground.record = function (options) {
    return new Promise(function (resolve, reject) {
      if (!up()) return reject(new Error('not running'));
      var o = options || {};
      var number = function (value) { return typeof value === 'number' ? value : NaN; };
      var error = Module['ccall']('pg_record_start', 'string',
                                  ['number', 'number', 'number', 'number', 'string', 'number', 'number'],
                                  [number(o.from_s), number(o.to_s), number(o.fps), number(o.speed), String(o.view || ''),
                                   o.format === 'webm' ? 1 : 0, o.scale && o.scale < 0.75 ? 1 : 0]);
      if (error) return reject(new Error(error));
      (function look() {
        var s = status();
        if (s.phase === 'failed' || !up()) return reject(new Error(s.error || 'failed'));
        if (s.phase !== 'done') return requestAnimationFrame(look);
        var finish = function (bytes) {
          resolve({ bytes: bytes, frames: s.frames, width: s.width, height: s.height, format: s.format });
        };
        if (s.format === 'gif') {
          var at = Module['ccall']('pg_record_gif', 'number', [], []);
          finish(HEAPU8.slice(at, at + Module['ccall']('pg_record_gif_size', 'number', [], [])));
        } else {
          video.arrayBuffer().then(function (buffer) { finish(new Uint8Array(buffer)); });
        }
      })();
    });
  };
})();
