// window.playground: a small, stable handle on the running app for end-to-end tests and curious users in the
// browser console. Linked into playground.js with --post-js, so it sees the module's ccall/UTF8ToString.
// Every call before the runtime is up returns a neutral value instead of throwing.
(function () {
  'use strict';
  // runtimeInitialized and ABORT are the module's own flags (preamble.js); post-js code shares its scope.
  function up() { return runtimeInitialized && !ABORT; }

  function call(name, returnType, argTypes, args) {
    if (!up()) return undefined;
    return Module['ccall'](name, returnType, argTypes || [], args || []);
  }

  var playground = {
    /** true once the app has drawn its first frame */
    get ready() { return up() && call('pg_frames', 'number') > 0; },
    /** frames drawn so far */
    frames: function () { return up() ? call('pg_frames', 'number') : 0; },
    /** simulated time in seconds */
    clock: function () { return up() ? call('pg_clock_s', 'number') : 0; },
    /** events the engine has processed in this run */
    events: function () { return up() ? call('pg_events_processed', 'number') : 0; },
    /** "playing" or "paused" */
    state: function () { return up() && call('pg_playing', 'number') ? 'playing' : 'paused'; },
    play: function () { call('pg_play', null); },
    pause: function () { call('pg_pause', null); },
    reset: function () { call('pg_reset', null); },
    /** simulated seconds per real second */
    speed: function () { return up() ? call('pg_speed', 'number') : 1; },
    setSpeed: function (speed) { call('pg_set_speed', null, ['number'], [speed]); },
    /** the engine's report as an object (null before the runtime is up) */
    report: function () { return up() ? JSON.parse(call('pg_report_json', 'string')) : null; },
    /** the run's trace hash, 16 hex digits */
    traceHash: function () { return up() ? call('pg_trace_hash', 'string') : ''; },
    scenarioName: function () { return up() ? call('pg_scenario_name', 'string') : ''; },
    /** widget rectangles in CSS pixels relative to the canvas, e.g. {play: [x, y, width, height]} */
    layout: function () { return up() ? JSON.parse(call('pg_layout_json', 'string')) : {}; },
  };
  if (typeof window !== 'undefined') window['playground'] = playground;
})();
