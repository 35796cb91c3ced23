// The page side of the app, linked into playground.js with --post-js (it shares the module's scope):
//  - Module.playgroundHost: what the C++ app asks of the page (clipboard, downloads, file picker, canvas capture,
//    page flags such as ?embed=1 and prefers-reduced-motion, the URL and its fragment);
//  - JSON files dropped on the page or picked in the file dialog are loaded as the scenario;
//  - the current scenario kept in sessionStorage, so a reload gets it back (Module.playgroundHost.saveSession);
//  - window.playground: a small, stable handle on the running app for end-to-end tests and curious users in the
//    browser console. Every call before the runtime is up returns a neutral value instead of throwing.
//    Calls that simulate (seek, step, runToEnd, check, intervene, openLink) never block: the app runs them as jobs
//    in per-frame slices (web/run_control.hpp) and they return a Promise, settled when the job ends. They run one
//    after the other in the order called; cancel() ends the running one.
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

  // ---- jobs: a Promise per simulating call ----
  // Settles when job `id` has ended: {status: 'finished' | 'cancelled' | 'superseded' | 'failed', clock, events}.
  function whenDone(id) {
    return new Promise(function (resolve) {
      function look() {
        var outcome = !up() ? 'failed' : id ? call('pg_job_outcome', 'string', ['number'], [id]) : 'finished';
        if (outcome !== 'running') {
          resolve({ status: outcome, clock: up() ? call('pg_clock_s', 'number') : 0,
                    events: up() ? call('pg_events_processed', 'number') : 0 });
        } else if (typeof requestAnimationFrame === 'function') {
          requestAnimationFrame(look);
        } else {
          setTimeout(look, 16);
        }
      }
      look();
    });
  }
  // Settles once the app runs no job (one started by a button, say).
  function whenIdle() {
    return new Promise(function (resolve) {
      function look() {
        if (!up() || !call('pg_busy', 'number')) resolve();
        else if (typeof requestAnimationFrame === 'function') requestAnimationFrame(look);
        else setTimeout(look, 16);
      }
      look();
    });
  }
  // Runs start() now when nothing is waiting or running, else after the calls before it and once the app's own
  // job (a button's) is done: a call never supersedes another's job. start returns a Promise.
  var jobsWaiting = 0;
  var lastJob = Promise.resolve();
  function inOrder(start) {
    var idle = jobsWaiting === 0 && (!up() || !call('pg_busy', 'number'));
    var result = idle ? start() : lastJob.then(whenIdle).then(start);
    ++jobsWaiting;
    function settled() { --jobsWaiting; }
    lastJob = result.then(settled, settled);
    return result;
  }
  function job(name, argTypes, args) {
    return inOrder(function () { return whenDone(up() ? call(name, 'number', argTypes, args) : 0); });
  }
  // A call returning a list of errors that may start a job: errors at once, or [] / [why] once the job ended.
  function errorsThenJob(start, undone) {
    return inOrder(function () {
      if (!up()) return Promise.resolve(['not running']);
      var errors = JSON.parse(start() || '[]');
      if (errors.length) return Promise.resolve(errors);
      return whenDone(call('pg_last_job', 'number')).then(function (result) {
        return result.status === 'finished' || !undone ? [] : [result.status + ': ' + undone];
      });
    });
  }

  // ---- the scenario kept for a reload (sessionStorage: per tab, gone when the tab closes) ----
  var sessionKey = 'playground.session';
  function saveSession(scenarioText) {
    try {
      sessionStorage.setItem(sessionKey, JSON.stringify({ scenario: scenarioText, fragment: location.hash }));
    } catch (error) { /* storage full or switched off: a reload then starts afresh */ }
  }
  // The kept scenario, when the address still carries the fragment it was kept under (a new link wins).
  function sessionScenario() {
    try {
      var kept = JSON.parse(sessionStorage.getItem(sessionKey) || 'null');
      if (kept && typeof kept.scenario === 'string' && kept.fragment === location.hash) return kept.scenario;
    } catch (error) { /* unreadable: ignore it */ }
    return '';
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
    if (/^(1|true)$/.test(Module['playgroundHost'].text('query:readonly'))) return Promise.resolve(['read-only page']);
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
    saveSession: saveSession,
    download: download,
    openFilePicker: function () { fileInput().click(); },
    // localStorage: kept across visits (an open course and its statuses); "" removes. Switched off: not kept.
    store: function (key, value) {
      try { if (value) localStorage.setItem(key, value); else localStorage.removeItem(key); } catch (error) { /* not kept */ }
    },
    stored: function (key) {
      try { return localStorage.getItem(key) || ''; } catch (error) { return ''; }
    },
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
      if (name === 'session') return sessionScenario();
      if (name.indexOf('stored:') === 0) return Module.playgroundHost.stored(name.slice(7));
      if (name.indexOf('query:') === 0) return new URLSearchParams(location.search).get(name.slice(6)) || '';
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
    // Touch. Emscripten's GLFW takes touchstart as a mouse press but never moves the cursor to the touch (its
    // Browser.calculateMouseEvent reads touch positions for SDL only), so a first tap pressed wherever the mouse
    // last was, and the browser's own mouse events after the tap came a frame later, as a held button, not a click.
    // So touches on the canvas become mouse events here, before GLFW sees them: a move to the finger, then the
    // press; moves while held (scrubbing, sliders); the release. preventDefault keeps the browser from adding its
    // own mouse events after the tap, so each tap is one click.
    var touchTarget = function (event) { return event.target === Module['canvas'] && event.changedTouches.length; };
    var asMouse = function (type, touch) {
      Module['canvas'].dispatchEvent(new MouseEvent(type, { clientX: touch.clientX, clientY: touch.clientY,
                                                          screenX: touch.screenX, screenY: touch.screenY,
                                                          button: 0, buttons: type === 'mouseup' ? 0 : 1,
                                                          bubbles: true, cancelable: true }));
    };
    window.addEventListener('touchstart', function (event) {
      if (!touchTarget(event)) return;
      event.stopImmediatePropagation();
      event.preventDefault();
      asMouse('mousemove', event.changedTouches[0]);
      asMouse('mousedown', event.changedTouches[0]);
    }, { capture: true, passive: false });
    window.addEventListener('touchmove', function (event) {
      if (!touchTarget(event)) return;
      event.stopImmediatePropagation();
      event.preventDefault();
      asMouse('mousemove', event.changedTouches[0]);
    }, { capture: true, passive: false });
    ['touchend', 'touchcancel'].forEach(function (type) {
      window.addEventListener(type, function (event) {
        if (!touchTarget(event)) return;
        event.stopImmediatePropagation();
        event.preventDefault();
        asMouse('mouseup', event.changedTouches[0]);
      }, { capture: true, passive: false });
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
    /** one sample interval; a Promise of {status, clock, events} (see runToEnd) */
    step: function () { return job('pg_step_job', [], []); },
    /** jumps to simulated time t_s (earlier times are re-simulated from zero); a Promise like runToEnd's */
    seek: function (t_s) { return job('pg_seek', ['number'], [t_s]); },
    /** runs to the end in slices; a Promise of {status: 'finished' | 'cancelled' | 'superseded' | 'failed',
     *  clock, events}, settled when the run got there or was stopped */
    runToEnd: function () { return job('pg_run_to_end', [], []); },
    /** the exercise's Check (from zero again when the run had finished); a Promise like runToEnd's */
    check: function () { return job('pg_check', [], []); },
    /** ends the running job: a run stays where it got, a change being replayed is undone */
    cancel: function () { call('pg_cancel_job', null); },
    /** the running job: {active, id, kind, label, progress (0..1), now_s, target_s, events, elapsed_s, staged} */
    job: function () { return json('pg_job_json') || { active: false }; },
    /** WebGL: {lost, restores} (restores counts the contexts restored since start) */
    graphics: function () {
      return up() ? { lost: !!call('pg_context_lost', 'number'), restores: call('pg_context_restores', 'number') }
                  : { lost: false, restores: 0 };
    },
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
    /** loads a scenario (JSON text or object) at time zero (no simulating: it returns at once); returns the list
     *  of errors, [] when loaded */
    loadScenario: function (text) {
      if (typeof text !== 'string') text = JSON.stringify(text);
      return up() ? JSON.parse(callText('pg_load_scenario', [text, 'playground.loadScenario'])) : ['not running'];
    },
    /** the built-in scenarios: [{file, name, group, valid, error}] */
    library: function () { return json('pg_library_json') || []; },
    loadBuiltin: function (index) { return up() ? JSON.parse(call('pg_load_builtin', 'string', ['number'], [index])) : ['not running']; },
    /** records an intervention at the current time, e.g. {kind: 'crash', target: 'order#1'}, and replays the run
     *  to now; a Promise of the errors: [] once applied, ['cancelled: ...'] when the replay was cancelled */
    intervene: function (fault) {
      return errorsThenJob(function () { return callText('pg_intervene', [JSON.stringify(fault)]); },
                           'the intervention was undone');
    },
    /** the share link of the current scenario (with its interventions) */
    // The open course (an exercise pack): {active, name, current, passed, exercises: [{id, title, status}]}.
    course: function () { return json('pg_course_json') || { active: false }; },
    // The course file as the page saves it ('' without a course).
    courseText: function () { return up() ? call('pg_course_text', 'string') : ''; },
    openCourseExercise: function (index) {
      return up() ? JSON.parse(call('pg_open_course_exercise', 'string', ['number'], [index])) : ['not running'];
    },
    closeCourse: function () { call('pg_close_course', null); },
    downloadCourse: function () { call('pg_download_course', null); },
    // The first screen's guide: {open, done: [played, broke something, finished an exercise]}.
    guide: function () { return json('pg_guide_json') || { open: false }; },
    // The glossary: {open, card: the term whose card is open (or null), tooltip: the term hovered in the last frame
    // (or null), terms: [{id, name, text, view}]}; openGlossary(on) opens or closes Help > Glossary.
    glossary: function () { return json('pg_glossary_json') || { open: false, terms: [] }; },
    openGlossary: function (on) { call('pg_open_glossary', null, ['number'], [on === false ? 0 : 1]); },
    // The JSON editor (Edit > Scenario as JSON…): {open, dirty, checked, valid, problems: [{path, message}],
    // selection: the editor's selected JSON pointer, text}; undoState(): {undo, redo} (read-only, for tests).
    jsonEditor: function () { return json('pg_json_editor_json') || { open: false, problems: [] }; },
    undoState: function () {
      var bits = up() ? call('pg_undo_state', 'number') : 0;
      return { undo: (bits & 1) !== 0, redo: (bits & 2) !== 0 };
    },
    // The phone layout's panel ('views', 'scenario', 'inspector', 'log'); viewStats() tells the layout and panel.
    setPhonePanel: function (name) {
      call('pg_set_phone_panel', null, ['number'], [['views', 'scenario', 'inspector', 'log'].indexOf(name)]);
    },
    link: function () { return up() ? call('pg_link', 'string') : ''; },
    /** opens a share link (URL or fragment) and replays it up to its last intervention; a Promise of the errors,
     *  [] when opened (the replay may have been cancelled: see job() / clock()) */
    openLink: function (link) {
      return errorsThenJob(function () { return callText('pg_open_link', [link]); }, '');
    },
    copyLink: function () { call('pg_copy_link', null); return lastCopied; },
    /** opens the full-screen QR code of the share link (File > Show QR code) */
    showQr: function () { call('pg_show_qr', null); },
    closeQr: function () { call('pg_close_qr', null); },
    /** what the QR code view shows: {open, fits, text, length, version, ecc, mask, size, rows: ['0110..', ...],
     *  png: base64 of the PNG "Download PNG" saves, problem: the sentence shown instead when the link does not fit} */
    qr: function () { return json('pg_qr_json') || { open: false }; },
    /** saves the QR code as a PNG file (the view's "Download PNG") */
    downloadQr: function () { call('pg_download_qr', null); },
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
    /** every field editor of the current scenario: [{path, type, label, min, max, words, locked}] */
    editors: function () { return json('pg_editors_json') || []; },
    /** the exercise's goals on the current run: {exercise, task, finished, passed, locked_changes,
     *  goals: [{label, metric, op, target, value, status: "pending" | "holding" | "passed" | "failed"}]} */
    goals: function () { return json('pg_goals_json') || { exercise: false }; },
    /** exercise authoring (read-only): {open, marking, preview, metric, op, target, metrics} */
    author: function () { return json('pg_author_json') || { open: false }; },
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
    // The language and the Chinese font (web/platform/glue_language.js fills Module.playgroundLanguage in).
    /** the page's language: 'en' or 'zh-CN' (the one asked for, while its font is still on its way) */
    language: function () { return Module['playgroundLanguage'].language(); },
    /** switches the page's language ('en', 'zh-CN'); false for a language it does not speak */
    setLanguage: function (code) { return Module['playgroundLanguage'].setLanguage(code); },
    /** the code points the page drew without a glyph since load, ascending ([] when every character had one) */
    missingGlyphs: function () { return Module['playgroundLanguage'].missingGlyphs(); },
    clearMissingGlyphs: function () { Module['playgroundLanguage'].clearMissingGlyphs(); },
    /** Sweep: {param, values: '1,2,4', seeds, metrics: [...], workers (0: every core)} -> problems ([] started) */
    startSweep: function (spec) { return up() ? JSON.parse(callText('pg_start_sweep', [JSON.stringify(spec)])) : ['not running']; },
    /** {started, running, complete, done, total, error, points: [[{value, mean, ci95, complete}]], csv, ...} */
    sweep: function () { return json('pg_sweep_json') || { started: false }; },
    cancelSweep: function () { call('pg_cancel_sweep', null); },
    openSweep: function () { call('pg_open_sweep', null); },
    openSweepRun: function (index) { return up() ? JSON.parse(call('pg_open_sweep_run', 'string', ['number'], [index])) : ['not running']; },
    /** Compare (A/B): B = A with the changes (a link's patch text, '' for none) -> problems ([] started) */
    startCompare: function (changes) { return up() ? JSON.parse(callText('pg_start_compare', [changes || ''])) : ['not running']; },
    stopCompare: function () { call('pg_stop_compare', null); },
    /** {split, editingB}: either may be left out */
    compareOptions: function (o) {
      o = o || {};
      call('pg_compare_options', null, ['number', 'number'],
           ['split' in o ? (o.split ? 1 : 0) : -1, 'editingB' in o ? (o.editingB ? 1 : 0) : -1]);
    },
    /** the pairs over seeds 1..N in workers (0: every core but one) -> problems ([] started) */
    compareSeeds: function (seeds, workers) {
      return up() ? JSON.parse(call('pg_compare_seeds', 'string', ['number', 'number'], [seeds, workers || 0])) : ['not running'];
    },
    /** {active, changes, split, editing_b, b_time_s, caught_up, rows: [{metric, a, b, diff, a_mean, b_mean, diff_mean, diff_ci95}], seeds} */
    compare: function () { return json('pg_compare_json') || { active: false }; },
    /** the Chinese font: {state: 'embedded' | 'loading' | 'loaded' | 'failed', progress, bytes, failure, ms} */
    font: function () { return Module['playgroundLanguage'].font(); },
  };
  if (typeof window !== 'undefined') {
    window['playground'] = playground;
    if (typeof document !== 'undefined' && document.body) fileInput();
  }
})();
