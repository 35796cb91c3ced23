// The page side of the app, linked into playground.js with --post-js (it shares the module's scope):
//  - Module.playgroundHost: what the C++ app asks of the page (clipboard, downloads, file picker, canvas capture,
//    page flags such as ?embed=1 and prefers-reduced-motion, the URL and its fragment);
//  - JSON files dropped on the page or picked in the file dialog are loaded as the scenario;
//  - window.playground: a small, stable handle on the running app for end-to-end tests and curious users in the
//    browser console. Every call before the runtime is up returns a neutral value instead of throwing.
(function () {
  'use strict';
  // runtimeInitialized and ABORT are the module's own flags (preamble.js); post-js code shares its scope.
  function up() { return runtimeInitialized && !ABORT; }

  function call(name, returnType, argTypes, args) {
    if (!up()) return undefined;
    return Module['ccall'](name, returnType, argTypes || [], args || []);
  }

  // Calls a C function with string arguments copied to the heap (ccall's own copies go on the stack, too small
  // for a large scenario); returns its string result.
  function callText(name, texts) {
    if (!up()) return undefined;
    var pointers = texts.map(function (text) {
      text = String(text);
      var size = lengthBytesUTF8(text) + 1;
      var pointer = _malloc(size);
      stringToUTF8(text, pointer, size);
      return pointer;
    });
    try {
      return call(name, 'string', pointers.map(function () { return 'number'; }), pointers);
    } finally {
      pointers.forEach(function (pointer) { _free(pointer); });
    }
  }

  var reducedMotionQuery = typeof matchMedia === 'function' ? matchMedia('(prefers-reduced-motion: reduce)') : null;
  var pendingScreenshots = [];
  var lastCopied = '';

  function fileInput() {
    var input = document.getElementById('scenario-file');
    if (input) return input;
    input = document.createElement('input');
    input.type = 'file';
    input.id = 'scenario-file';
    input.accept = '.json,application/json';
    input.hidden = true;
    input.addEventListener('change', function () {
      if (input.files && input.files[0]) loadFile(input.files[0]);
      input.value = '';
    });
    document.body.appendChild(input);
    return input;
  }

  function loadFile(file) {
    return file.text().then(function (text) {
      return JSON.parse(callText('pg_load_scenario', [text, 'file ' + file.name]) || '[]');
    });
  }

  function download(name, mime, content) {
    var blob = content instanceof Blob ? content : new Blob([content], { type: mime });
    var url = URL.createObjectURL(blob);
    var link = document.createElement('a');
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function copyText(text) {
    lastCopied = text;
    function fallback() {
      var area = document.createElement('textarea');
      area.value = text;
      area.style.position = 'fixed';
      area.style.opacity = '0';
      document.body.appendChild(area);
      area.select();
      try { document.execCommand('copy'); } catch (error) { /* nothing more to try */ }
      area.remove();
    }
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).catch(fallback);
    else fallback();
  }

  Module['playgroundHost'] = {
    copyText: copyText,
    download: download,
    openFilePicker: function () { fileInput().click(); },
    // Called by the app right after a frame is drawn, while the WebGL drawing buffer still holds it.
    captureCanvas: function (mode) {
      var canvas = Module['canvas'];
      if (mode === 1) {
        var url = canvas.toDataURL('image/png');
        pendingScreenshots.splice(0).forEach(function (resolve) { resolve(url); });
        return;
      }
      canvas.toBlob(function (blob) {
        if (blob) download('playground-' + new Date().toISOString().replace(/[:.]/g, '-') + '.png', 'image/png', blob);
      }, 'image/png');
    },
    flag: function (name) {
      var query = new URLSearchParams(location.search);
      if (name === 'embed') return query.get('embed') === '1' || query.get('embed') === 'true';
      if (name === 'reduced_motion') return !!(reducedMotionQuery && reducedMotionQuery.matches);
      return false;
    },
    text: function (name) {
      if (name === 'url') return location.href.split('#')[0];
      if (name === 'fragment') return location.hash;
      return '';
    },
  };

  if (typeof document !== 'undefined') {
    // Drop a .json file anywhere on the page to open it.
    document.addEventListener('dragover', function (event) {
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    });
    document.addEventListener('drop', function (event) {
      event.preventDefault();
      var files = event.dataTransfer && event.dataTransfer.files;
      if (files && files[0]) loadFile(files[0]);
    });
    // A link pasted into the address bar of an open page.
    window.addEventListener('hashchange', function () {
      if (up()) callText('pg_open_link', [location.hash]);
    });
    if (reducedMotionQuery && reducedMotionQuery.addEventListener) {
      reducedMotionQuery.addEventListener('change', function () {
        call('pg_set_reduced_motion', null, ['number'], [reducedMotionQuery.matches ? 1 : 0]);
      });
    }
  }

  function json(name) { return up() ? JSON.parse(call(name, 'string')) : null; }

  var playground = {
    /** true once the app has drawn its first frame */
    get ready() { return up() && call('pg_frames', 'number') > 0; },
    /** frames drawn so far */
    frames: function () { return up() ? call('pg_frames', 'number') : 0; },
    /** simulated time in seconds */
    clock: function () { return up() ? call('pg_clock_s', 'number') : 0; },
    /** events the engine has processed in this run */
    events: function () { return up() ? call('pg_events_processed', 'number') : 0; },
    /** "playing", "paused" or "finished" */
    state: function () {
      if (!up()) return 'paused';
      if (call('pg_playing', 'number')) return 'playing';
      return call('pg_finished', 'number') ? 'finished' : 'paused';
    },
    play: function () { call('pg_play', null); },
    pause: function () { call('pg_pause', null); },
    reset: function () { call('pg_reset', null); },
    step: function () { call('pg_step', null); },
    /** jumps to simulated time t_s (earlier times are re-simulated from zero) */
    seek: function (t_s) { call('pg_seek', null, ['number'], [t_s]); },
    runToEnd: function () { call('pg_run_to_end', null); },
    /** simulated seconds per real second (1e9 = as fast as possible) */
    speed: function () { return up() ? call('pg_speed', 'number') : 1; },
    setSpeed: function (speed) { call('pg_set_speed', null, ['number'], [speed]); },
    /** the engine's report as an object (null before the runtime is up) */
    report: function () { return json('pg_report_json'); },
    /** the run's trace hash, 16 hex digits */
    traceHash: function () { return up() ? call('pg_trace_hash', 'string') : ''; },
    scenarioName: function () { return up() ? call('pg_scenario_name', 'string') : ''; },
    /** the scenario as canonical JSON text (what a link or a download carries) */
    scenario: function () { return up() ? call('pg_scenario_json', 'string') : ''; },
    /** loads a scenario (JSON text or object); returns the list of errors, [] when loaded */
    loadScenario: function (text) {
      if (typeof text !== 'string') text = JSON.stringify(text);
      return up() ? JSON.parse(callText('pg_load_scenario', [text, 'playground.loadScenario'])) : ['not running'];
    },
    /** the built-in scenarios: [{file, name, group, valid, error}] */
    library: function () { return json('pg_library_json') || []; },
    loadBuiltin: function (index) { return up() ? JSON.parse(call('pg_load_builtin', 'string', ['number'], [index])) : ['not running']; },
    /** records an intervention at the current time, e.g. {kind: 'crash', target: 'order#1'}; returns errors */
    intervene: function (fault) {
      return up() ? JSON.parse(callText('pg_intervene', [JSON.stringify(fault)])) : ['not running'];
    },
    /** the share link of the current scenario (with its interventions) */
    link: function () { return up() ? call('pg_link', 'string') : ''; },
    /** opens a share link (URL or fragment); returns errors, [] when opened */
    openLink: function (link) { return up() ? JSON.parse(callText('pg_open_link', [link])) : ['not running']; },
    copyLink: function () { call('pg_copy_link', null); return lastCopied; },
    /** the last text the app put on the clipboard */
    lastCopied: function () { return lastCopied; },
    /** metrics time series as CSV text */
    csv: function () { return up() ? call('pg_csv', 'string') : ''; },
    downloadCsv: function () { call('pg_download_csv', null); },
    downloadScenario: function () { call('pg_download_scenario', null); },
    /** opens the file dialog to load a scenario JSON file */
    openFile: function () { fileInput().click(); },
    /** a PNG data URL of the next frame */
    screenshot: function () {
      return new Promise(function (resolve) {
        pendingScreenshots.push(resolve);
        call('pg_request_screenshot', null, ['number'], [1]);
      });
    },
    saveScreenshot: function () { call('pg_request_screenshot', null, ['number'], [0]); },
    /** the message banner: {text, error} */
    message: function () { return json('pg_message_json') || {}; },
    /** charts drawn in the last frame: [{title, points}] */
    charts: function () { return json('pg_charts_json') || []; },
    /** the exercise's goals on the current run: {exercise, task, finished, passed, locked_changes,
     *  goals: [{label, metric, op, target, value, status: "pending" | "holding" | "passed" | "failed"}]} */
    /** every field editor of the current scenario: [{path, type, label, min, max, words, locked}] */
    editors: function () { return json('pg_editors_json') || []; },
    goals: function () { return json('pg_goals_json') || { exercise: false }; },
    /** widget rectangles in CSS pixels relative to the canvas, e.g. {play: [x, y, width, height]} */
    layout: function () { return json('pg_layout_json') || {}; },
    /** brings a main-view tab to the front: 'Charts', 'Architecture', 'Ring', 'Locks' or 'Queues' */
    selectView: function (name) { if (up()) callText('pg_select_view', [name]); },
    /** what the mechanism views drew last: {view, architecture: {particles, ...}, ring: {points, ...}, locks, queues} */
    viewStats: function () { return json('pg_view_stats_json') || {}; },
    /** CPU milliseconds of recent frames measured inside the page: {frame: [...], engine: [...]} (oldest first) */
    frameTimes: function () { return json('pg_frame_times_json') || { frame: [], engine: [] }; },
    clearFrameTimes: function () { call('pg_clear_frame_times', null); },
    /** reduced motion on or off (follows prefers-reduced-motion at start) */
    setReducedMotion: function (on) { call('pg_set_reduced_motion', null, ['number'], [on ? 1 : 0]); },
  };
  if (typeof window !== 'undefined') {
    window['playground'] = playground;
    if (typeof document !== 'undefined' && document.body) fileInput();
  }
})();
