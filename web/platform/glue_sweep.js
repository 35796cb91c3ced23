// The page side of the Sweep (web/sweep.hpp, web/panels/sweep.cpp), linked into playground.js with --post-js: runs
// the sweep's replications in Web Workers, each loading its own engine (sweep-engine.js and .wasm beside the app,
// fetched only when a sweep starts), one per core but one (up to navigator.hardwareConcurrency when asked), and hands
// each answer to the app (pg_sweep_result). The page's own thread only dispatches and collects, so it stays responsive. Cancelling (or a
// new sweep) terminates the workers.
(function () {
  'use strict';
  function up() { return runtimeInitialized && !ABORT; }
  var host = Module['playgroundHost'];
  // Two sets of runs, each with its own workers: channel 0 the Sweep's, 1 the Compare's pairs.
  var pools = [{ workers: [], generation: 0 }, { workers: [], generation: 0 }];   // answers of an earlier start are dropped

  function sweepCancel(channel) {
    var pool = pools[channel ? 1 : 0];
    pool.generation++;
    pool.workers.forEach(function (w) { w.terminate(); });
    pool.workers = [];
  }

  // jobs: {metrics, variants: [scenario text], runs: [{id, variant, seed}]}; count: workers wanted (0: every core).
  function sweepStart(jobsText, count, channel) {
    channel = channel ? 1 : 0;
    sweepCancel(channel);
    var pool = pools[channel];
    var jobs = JSON.parse(jobsText);
    var mine = pool.generation;
    var next = 0;
    // One worker per core but one: the page's own thread (and the browser's drawing) keeps a core, so it stays
    // responsive while the sweep runs; a caller may ask for more (the benchmark does).
    var cores = (typeof navigator !== 'undefined' && navigator.hardwareConcurrency) || 2;
    var n = Math.max(1, Math.min(count > 0 ? count : cores - 1, 16, jobs.runs.length));
    function give(worker) {
      if (next >= jobs.runs.length) return;
      var run = jobs.runs[next++];
      worker.postMessage({ id: run.id, scenario: jobs.variants[run.variant], seed: run.seed, metrics: jobs.metrics });
    }
    for (var i = 0; i < n; ++i) {
      var worker;
      try {
        worker = new Worker('sweep-engine.js');
      } catch (error) {
        if (up()) Module['ccall']('pg_sweep_failed', null, ['number', 'string'], [channel, String(error && error.message || error)]);
        return;
      }
      worker.onmessage = function (event) {
        if (mine !== pool.generation || !up()) return;
        Module['ccall']('pg_sweep_result', null, ['number', 'number', 'string'], [channel, event.data.id, JSON.stringify(event.data.result)]);
        give(this);
      };
      worker.onerror = function (event) {
        if (mine !== pool.generation || !up()) return;
        Module['ccall']('pg_sweep_failed', null, ['number', 'string'], [channel, String(event.message || 'a sweep worker failed')]);
        sweepCancel(channel);
      };
      pool.workers.push(worker);
      give(worker);
    }
  }

  host.sweepStart = sweepStart;
  host.sweepCancel = sweepCancel;
})();
