// The Sweep's Web Worker (appended to sweep-engine.js with --post-js): each message {id, scenario, seed, metrics}
// runs one replication in this worker's own engine (pg_sweep_run) and answers {id, result}. Messages that arrive
// while the engine is still loading wait for it.
(function () {
  'use strict';
  var waiting = [];
  function answer(job) {
    var text = Module['ccall']('pg_sweep_run', 'string', ['string', 'string', 'string'],
                               [job.scenario, String(job.seed), JSON.stringify(job.metrics)]);
    postMessage({ id: job.id, result: JSON.parse(text) });
  }
  self.onmessage = function (event) {
    if (runtimeInitialized) answer(event.data);
    else waiting.push(event.data);
  };
  Module['onRuntimeInitialized'] = function () {
    var jobs = waiting;
    waiting = [];
    jobs.forEach(answer);
  };
})();
