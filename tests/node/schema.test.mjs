// The JSON Schema (schema/scenario.schema.json) and the engine's validator agree: on a table of documents each is
// accepted by both or refused by both (and the refusals name the same JSON path), except a listed set of rules the
// schema cannot express (references between names, order, sizes of serialised parts), which only the engine checks.
// The schema's limits are also compared with the constants in engine/scenario/scenario.hpp.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { runCli, clis, root, scenarioFiles } from './helpers.mjs';
import { validate, walk } from './schema_check.mjs';

const schema = JSON.parse(readFileSync(join(root, 'schema', 'scenario.schema.json'), 'utf8'));
const defs = schema.$defs;

const base = {
  version: 1, name: 'base', seed: 1, duration_s: 1,
  workload: { arrivals: { rate_per_s: 10 } },
  requests: [{ name: 'browse', steps: [{ call: 'catalog' }, { cache: 'pc', on_miss: [{ call: 'db' }] },
    { lock: 'inventory', inside: [{ call: 'db' }] }, { publish: 'orders' }] }],
  services: [{ name: 'catalog', workers: 2 }, { name: 'db' }],
  caches: [{ name: 'pc', nodes: ['a', 'b'] }],
  locks: [{ name: 'inventory' }],
  queues: [{ name: 'orders', consumers: { steps: [{ call: 'db' }] } }],
};
const change = (fn) => { const d = structuredClone(base); fn(d); return d; };
const many = (n, make) => Array.from({ length: n }, (_, i) => make(i));
const fault = (f) => change((d) => { d.faults = [{ at_s: 1, ...f }]; });
const dist = (st) => change((d) => { d.services[0].service_time = st; });
const nest = (levels) => {
  let step = { call: 'db' };
  for (let i = 0; i < levels; i++) step = { cache: 'pc', on_miss: [step] };
  return step;
};

// [name, document (object or raw JSON text), expectation, path of the error for refused documents]
// expectation: 'valid', 'invalid' (both refuse), or 'engine' (only the engine refuses: a rule the schema cannot say).
const table = [
  ['the base document', base, 'valid'],
  ['minimal document', { version: 1 }, 'valid'],
  ['bounds are inclusive (low)', change((d) => {
    d.duration_s = 0.001; d.seed = 0; d.sample_interval_ms = 10; d.services[0].queue_max = 0;
    d.services[0].timeout_ms = 0; d.workload.keys = { count: 1, zipf_exponent: 0 };
    d.caches[0].placement = { vnodes: 1, hash: 'fast', table_size: 7, load_factor: 1 }; d.locks[0].acquire = { retry_ms: 0.01, give_up_ms: 0 };
    d.queues[0].consumers.count = 0; d.queues[0].rebalance_ms = 0;
  }), 'valid'],
  // Every field at its maximum, in two documents: together they would exceed what a scenario may hold at once
  // (engine/scenario/cost.hpp; see the 'engine' rows below).
  ['bounds are inclusive (high)', change((d) => {
    d.duration_s = 300; d.sample_interval_ms = 600000; d.services[0].instances = 64; d.services[0].workers = 1024;
    d.services[0].queue_max = 15000; d.services[0].retries = { max: 10, backoff_ms: 60000, backoff_max_ms: 600000, jitter: 'equal' };
    d.workload.arrivals.rate_per_s = 200000; d.workload.keys = { count: 1000000, popularity: 'uniform', zipf_exponent: 4 };
    d.caches[0].weights = [100, 1]; d.caches[0].capacity_keys = 1000000; d.caches[0].placement = { vnodes: 1000, table_size: 1000003, load_factor: 10 };
    d.locks = []; d.requests[0].steps = d.requests[0].steps.filter((step) => !step.lock);
    d.queues[0] = { name: 'orders', kind: 'log', partitions: 256, max_receives: 1000, max_length: 1000000, retention_s: 1209600, on_full: 'block', dead_letter: false, consumers: { count: 256, prefetch: 1000, poison_probability: 1, ack: 'before_processing', idempotent: true } };
  }), 'valid'],
  ['bounds are inclusive (high, the rest)', change((d) => {
    d.duration_s = 3600; d.services[0].queue_max = 0; d.services[1].queue_max = 1000000;
    d.locks[0] = { name: 'inventory', kind: 'redlock', ttl_ms: 3600000, instances: 15, drift_ms: 60000, stock_per_key: 1000000, network_ms: 10000, session_timeout_ms: 3600000, release: 'del', fencing: true };
  }), 'valid'],
  ['a whole number written as 2.0', JSON.stringify(base).replace('"workers":2', '"workers":2.0'), 'valid'],
  ['the largest seed', JSON.stringify(base).replace('"seed":1', '"seed":18446744073709551615'), 'valid'],
  ['every distribution', change((d) => {
    d.services[0].service_time = { dist: 'uniform', min_ms: 1, max_ms: 2 };
    d.services[1].service_time = { dist: 'empirical', values_ms: [1, 2, 3], weights: [1, 0, 2] };
    d.caches[0].service_time = { dist: 'pareto', mean_ms: 1, shape: 1.01 };
    d.services.push({ name: 'x', service_time: { dist: 'lognormal', mean_ms: 5, cv: 10 } });
    d.services.push({ name: 'y', service_time: { dist: 'constant', mean_ms: 0 } });
  }), 'valid'],
  ['parallel steps', change((d) => { d.requests[0].steps.push({ parallel: [[{ call: 'db' }], [], [{ publish: 'orders' }]] }); }), 'valid'],
  ['steps nested 8 levels', change((d) => { d.requests[0].steps = [nest(7)]; }), 'valid'],
  ['every fault kind', change((d) => {
    d.faults = [{ at_s: 0, kind: 'crash', target: 'db' }, { at_s: 1, kind: 'pause', target: 'db#0', for_s: 2 },
      { at_s: 1, kind: 'slow', target: 'db', factor: 1000, for_ms: 3600000 }, { at_s: 3600, kind: 'partition', groups_a: ['a'], groups_b: ['b'] },
      { at_s: 1, kind: 'clock_drift', target: 'inventory/0', factor: 0.001 }, { at_s: 1, kind: 'add_node', target: 'pc', node: 'c' },
      { at_s: 1, kind: 'remove_node', target: 'pc', node: 'a' }];
    d.interventions = [{ at_s: 1, kind: 'set', path: '/workload/arrivals/rate_per_s', value: -1e12 }];
  }), 'valid'],
  ['goals, view and exercise', change((d) => {
    d.goals = [{ metric: 'requests.browse.latency_ms.p99', value: 1e15, op: '!=', label: 'x' }, { metric: 'm', value: -1e15 }];
    d.view = { anything: [1, { deep: true }] }; d.exercise = { task: 'fix it' };
  }), 'valid'],
  ['lists at their maximum length', change((d) => {
    d.services = many(64, (i) => ({ name: i === 0 ? 'catalog' : i === 1 ? 'db' : `s${i}` }));
    d.goals = many(64, () => ({ metric: 'x', value: 1 }));
    d.workload.mix = many(32, () => ({ request: 'browse' }));
    d.workload.arrivals.schedule = many(256, (i) => ({ at_s: i, rate_per_s: 1 }));
    d.caches[0].nodes = many(64, (i) => `n${i}`);
    d.requests[0].steps = many(64, () => ({ call: 'db' }));
  }), 'valid'],
  ['names at their maximum length', change((d) => { d.name = 'n'.repeat(128); d.description = 'd'.repeat(4096); d.services.push({ name: 's'.repeat(64) }); }), 'valid'],

  ['not an object', [1, 2], 'invalid', ''],
  ['missing version', change((d) => { delete d.version; }), 'invalid', '/version'],
  ['newer version', change((d) => { d.version = 2; }), 'invalid', '/version'],
  ['version 0', change((d) => { d.version = 0; }), 'invalid', '/version'],
  ['version as text', change((d) => { d.version = '1'; }), 'invalid', '/version'],
  ['unknown top-level field', change((d) => { d.servces = []; }), 'invalid', '/servces'],
  ['unknown field in workload', change((d) => { d.workload.rate_per_s = 5; }), 'invalid', '/workload/rate_per_s'],
  ['unknown field in arrivals', change((d) => { d.workload.arrivals.rate = 5; }), 'invalid', '/workload/arrivals/rate'],
  ['unknown field in keys', change((d) => { d.workload.keys = { n: 5 }; }), 'invalid', '/workload/keys/n'],
  ['unknown field in a mix entry', change((d) => { d.workload.mix = [{ request: 'browse', share: 1 }]; }), 'invalid', '/workload/mix/0/share'],
  ['unknown field in a schedule point', change((d) => { d.workload.arrivals.schedule = [{ at_s: 1, rate_per_s: 1, x: 1 }]; }), 'invalid', '/workload/arrivals/schedule/0/x'],
  ['unknown field in a request', change((d) => { d.requests[0].weight = 1; }), 'invalid', '/requests/0/weight'],
  ['unknown field in a step', change((d) => { d.requests[0].steps[0].timeout_ms = 1; }), 'invalid', '/requests/0/steps/0'],
  ['unknown field in a service', change((d) => { d.services[0].workres = 3; }), 'invalid', '/services/0/workres'],
  ['unknown field in retries', change((d) => { d.services[0].retries = { attempts: 3 }; }), 'invalid', '/services/0/retries/attempts'],
  ['unknown field in a distribution', dist({ dist: 'constant', mean: 3 }), 'invalid', '/services/0/service_time/mean'],
  ['unknown field in a cache', change((d) => { d.caches[0].ttl_ms = 3; }), 'invalid', '/caches/0/ttl_ms'],
  ['unknown field in placement', change((d) => { d.caches[0].placement = { vnode: 3 }; }), 'invalid', '/caches/0/placement/vnode'],
  ['unknown field in a lock', change((d) => { d.locks[0].lease_ms = 3; }), 'invalid', '/locks/0/lease_ms'],
  ['unknown field in acquire', change((d) => { d.locks[0].acquire = { retry: 3 }; }), 'invalid', '/locks/0/acquire/retry'],
  ['unknown field in a queue', change((d) => { d.queues[0].fifo = true; }), 'invalid', '/queues/0/fifo'],
  ['unknown field in consumers', change((d) => { d.queues[0].consumers.threads = 3; }), 'invalid', '/queues/0/consumers/threads'],
  ['unknown field in a fault', fault({ kind: 'crash', target: 'db', duration_s: 3 }), 'invalid', '/faults/0/duration_s'],
  ['unknown field in a goal', change((d) => { d.goals = [{ metric: 'x', value: 1, target: 2 }]; }), 'invalid', '/goals/0/target'],
  ['duration 0', change((d) => { d.duration_s = 0; }), 'invalid', '/duration_s'],
  ['duration over an hour', change((d) => { d.duration_s = 3601; }), 'invalid', '/duration_s'],
  ['negative seed', change((d) => { d.seed = -1; }), 'invalid', '/seed'],
  ['fractional seed', change((d) => { d.seed = 1.5; }), 'invalid', '/seed'],
  ['sample interval too short', change((d) => { d.sample_interval_ms = 9; }), 'invalid', '/sample_interval_ms'],
  ['name too long', change((d) => { d.name = 'n'.repeat(129); }), 'invalid', '/name'],
  ['description too long', change((d) => { d.description = 'd'.repeat(4097); }), 'invalid', '/description'],
  ['rate too high', change((d) => { d.workload.arrivals.rate_per_s = 200001; }), 'invalid', '/workload/arrivals/rate_per_s'],
  ['bad arrival process', change((d) => { d.workload.arrivals.process = 'bursty'; }), 'invalid', '/workload/arrivals/process'],
  ['key count 0', change((d) => { d.workload.keys = { count: 0 }; }), 'invalid', '/workload/keys/count'],
  ['key count too high', change((d) => { d.workload.keys = { count: 1000001 }; }), 'invalid', '/workload/keys/count'],
  ['zipf exponent too high', change((d) => { d.workload.keys = { zipf_exponent: 4.5 }; }), 'invalid', '/workload/keys/zipf_exponent'],
  ['mix too long', change((d) => { d.workload.mix = many(33, () => ({ request: 'browse' })); }), 'invalid', '/workload/mix'],
  ['mix entry without request', change((d) => { d.workload.mix = [{ weight: 1 }]; }), 'invalid', '/workload/mix/0/request'],
  ['schedule too long', change((d) => { d.workload.arrivals.schedule = many(257, (i) => ({ at_s: i, rate_per_s: 1 })); }), 'invalid', '/workload/arrivals/schedule'],
  ['schedule point without at_s', change((d) => { d.workload.arrivals.schedule = [{ rate_per_s: 1 }]; }), 'invalid', '/workload/arrivals/schedule/0/at_s'],
  ['workers 0', change((d) => { d.services[0].workers = 0; }), 'invalid', '/services/0/workers'],
  ['workers 1025', change((d) => { d.services[0].workers = 1025; }), 'invalid', '/services/0/workers'],
  ['workers 1.5', change((d) => { d.services[0].workers = 1.5; }), 'invalid', '/services/0/workers'],
  ['workers as text', change((d) => { d.services[0].workers = '2'; }), 'invalid', '/services/0/workers'],
  ['workers null', change((d) => { d.services[0].workers = null; }), 'invalid', '/services/0/workers'],
  ['instances 65', change((d) => { d.services[0].instances = 65; }), 'invalid', '/services/0/instances'],
  ['negative queue_max', change((d) => { d.services[0].queue_max = -1; }), 'invalid', '/services/0/queue_max'],
  ['bad balancer', change((d) => { d.services[0].balancer = 'fastest'; }), 'invalid', '/services/0/balancer'],
  ['timeout too long', change((d) => { d.services[0].timeout_ms = 3600001; }), 'invalid', '/services/0/timeout_ms'],
  ['too many retries', change((d) => { d.services[0].retries = { max: 11 }; }), 'invalid', '/services/0/retries/max'],
  ['backoff too long', change((d) => { d.services[0].retries = { backoff_ms: 60001 }; }), 'invalid', '/services/0/retries/backoff_ms'],
  ['bad jitter', change((d) => { d.services[0].retries = { jitter: 'some' }; }), 'invalid', '/services/0/retries/jitter'],
  ['service without name', change((d) => { d.services.push({ workers: 2 }); }), 'invalid', '/services/2/name'],
  ['service with empty name', change((d) => { d.services.push({ name: '' }); }), 'invalid', '/services/2/name'],
  ['service name too long', change((d) => { d.services.push({ name: 's'.repeat(65) }); }), 'invalid', '/services/2/name'],
  ['too many services', change((d) => { d.services = many(65, (i) => ({ name: `s${i}` })); }), 'invalid', '/services'],
  ['too many requests', change((d) => { d.requests = many(33, (i) => ({ name: `r${i}`, steps: [] })); }), 'invalid', '/requests'],
  ['request without steps', change((d) => { delete d.requests[0].steps; }), 'invalid', '/requests/0/steps'],
  ['too many steps', change((d) => { d.requests[0].steps = many(65, () => ({ call: 'db' })); }), 'invalid', '/requests/0/steps'],
  ['step with two kinds', change((d) => { d.requests[0].steps[0].publish = 'orders'; }), 'invalid', '/requests/0/steps/0'],
  ['step with no kind', change((d) => { d.requests[0].steps[0] = {}; }), 'invalid', '/requests/0/steps/0'],
  ['step target empty', change((d) => { d.requests[0].steps[0].call = ''; }), 'invalid', '/requests/0/steps/0'],
  ['on_miss on a call step', change((d) => { d.requests[0].steps[0].on_miss = []; }), 'invalid', '/requests/0/steps/0'],
  ['inside on a cache step', change((d) => { d.requests[0].steps[1].inside = []; }), 'invalid', '/requests/0/steps/1'],
  ['empty parallel', change((d) => { d.requests[0].steps.push({ parallel: [] }); }), 'invalid', '/requests/0/steps/4'],
  ['parallel with 9 branches', change((d) => { d.requests[0].steps.push({ parallel: many(9, () => []) }); }), 'invalid', '/requests/0/steps/4'],
  ['distribution without dist', dist({ mean_ms: 3 }), 'invalid', '/services/0/service_time/dist'],
  ['unknown distribution', dist({ dist: 'gaussian' }), 'invalid', '/services/0/service_time/dist'],
  ['negative mean', dist({ dist: 'exponential', mean_ms: -1 }), 'invalid', '/services/0/service_time/mean_ms'],
  ['lognormal with mean 0', dist({ dist: 'lognormal', mean_ms: 0 }), 'invalid', '/services/0/service_time/mean_ms'],
  ['pareto with mean 0', dist({ dist: 'pareto', mean_ms: 0 }), 'invalid', '/services/0/service_time/mean_ms'],
  ['pareto shape 1', dist({ dist: 'pareto', mean_ms: 1, shape: 1 }), 'invalid', '/services/0/service_time/shape'],
  ['cv 11', dist({ dist: 'lognormal', mean_ms: 1, cv: 11 }), 'invalid', '/services/0/service_time/cv'],
  ['empirical without values', dist({ dist: 'empirical' }), 'invalid', '/services/0/service_time/values_ms'],
  ['empirical with no values', dist({ dist: 'empirical', values_ms: [] }), 'invalid', '/services/0/service_time/values_ms'],
  ['empirical negative value', dist({ dist: 'empirical', values_ms: [-1] }), 'invalid', '/services/0/service_time/values_ms/0'],
  ['empirical with too many values', dist({ dist: 'empirical', values_ms: many(1025, () => 1) }), 'invalid', '/services/0/service_time/values_ms'],
  ['cache without nodes', change((d) => { delete d.caches[0].nodes; }), 'invalid', '/caches/0/nodes'],
  ['cache with no nodes', change((d) => { d.caches[0].nodes = []; }), 'invalid', '/caches/0/nodes'],
  ['cache with an empty node name', change((d) => { d.caches[0].nodes = ['a', '']; }), 'invalid', '/caches/0/nodes/1'],
  ['cache with 65 nodes', change((d) => { d.caches[0].nodes = many(65, (i) => `n${i}`); }), 'invalid', '/caches/0/nodes'],
  ['cache weight 0', change((d) => { d.caches[0].weights = [0, 1]; }), 'invalid', '/caches/0/weights/0'],
  ['cache weight 101', change((d) => { d.caches[0].weights = [1, 101]; }), 'invalid', '/caches/0/weights/1'],
  ['capacity 0', change((d) => { d.caches[0].capacity_keys = 0; }), 'invalid', '/caches/0/capacity_keys'],
  ['bad placement algorithm', change((d) => { d.caches[0].placement = { algorithm: 'chord' }; }), 'invalid', '/caches/0/placement/algorithm'],
  ['vnodes 1001', change((d) => { d.caches[0].placement = { vnodes: 1001 }; }), 'invalid', '/caches/0/placement/vnodes'],
  ['table size 6', change((d) => { d.caches[0].placement = { table_size: 6 }; }), 'invalid', '/caches/0/placement/table_size'],
  ['load factor below 1', change((d) => { d.caches[0].placement = { load_factor: 0.99 }; }), 'invalid', '/caches/0/placement/load_factor'],
  ['too many caches', change((d) => { d.caches = many(17, (i) => ({ name: `c${i}`, nodes: ['a'] })); }), 'invalid', '/caches'],
  ['bad lock kind', change((d) => { d.locks[0].kind = 'etcd'; }), 'invalid', '/locks/0/kind'],
  ['negative ttl', change((d) => { d.locks[0].ttl_ms = -1; }), 'invalid', '/locks/0/ttl_ms'],
  ['ttl 0 is no expiry', change((d) => { d.locks[0].ttl_ms = 0; }), 'valid'],
  ['fencing as text', change((d) => { d.locks[0].fencing = 'yes'; }), 'invalid', '/locks/0/fencing'],
  ['negative retry_ms', change((d) => { d.locks[0].acquire = { retry_ms: -0.001 }; }), 'invalid', '/locks/0/acquire/retry_ms'],
  ['retry_ms 0 is a busy spin', change((d) => { d.locks[0].acquire = { retry_ms: 0 }; }), 'valid'],
  ['negative stock', change((d) => { d.locks[0].stock_per_key = -1; }), 'invalid', '/locks/0/stock_per_key'],
  ['16 redlock instances', change((d) => { d.locks[0].instances = 16; }), 'invalid', '/locks/0/instances'],
  ['bad release', change((d) => { d.locks[0].release = 'unlink'; }), 'invalid', '/locks/0/release'],
  ['too many locks', change((d) => { d.locks = many(17, (i) => ({ name: `l${i}` })); }), 'invalid', '/locks'],
  ['bad queue kind', change((d) => { d.queues[0].kind = 'kafka'; }), 'invalid', '/queues/0/kind'],
  ['257 partitions', change((d) => { d.queues[0].partitions = 257; }), 'invalid', '/queues/0/partitions'],
  ['max_receives 0', change((d) => { d.queues[0].max_receives = 0; }), 'invalid', '/queues/0/max_receives'],
  ['retention over 14 days', change((d) => { d.queues[0].retention_s = 1209601; }), 'invalid', '/queues/0/retention_s'],
  ['bad on_full', change((d) => { d.queues[0].on_full = 'wait'; }), 'invalid', '/queues/0/on_full'],
  ['257 consumers', change((d) => { d.queues[0].consumers.count = 257; }), 'invalid', '/queues/0/consumers/count'],
  ['prefetch 0', change((d) => { d.queues[0].consumers.prefetch = 0; }), 'invalid', '/queues/0/consumers/prefetch'],
  ['poison probability 1.1', change((d) => { d.queues[0].consumers.poison_probability = 1.1; }), 'invalid', '/queues/0/consumers/poison_probability'],
  ['bad ack', change((d) => { d.queues[0].consumers.ack = 'never'; }), 'invalid', '/queues/0/consumers/ack'],
  ['consumer steps not a list', change((d) => { d.queues[0].consumers.steps = {}; }), 'invalid', '/queues/0/consumers/steps'],
  ['fault without at_s', change((d) => { d.faults = [{ kind: 'crash', target: 'db' }]; }), 'invalid', '/faults/0/at_s'],
  ['fault at -1 s', fault({ at_s: -1, kind: 'crash', target: 'db' }), 'invalid', '/faults/0/at_s'],
  ['fault without kind', fault({ target: 'db' }), 'invalid', '/faults/0/kind'],
  ['bad fault kind', fault({ kind: 'explode', target: 'db' }), 'invalid', '/faults/0/kind'],
  ['fault kind a number', fault({ kind: 5, target: 'db' }), 'invalid', '/faults/0/kind'],
  ['crash without target', fault({ kind: 'crash' }), 'invalid', '/faults/0/target'],
  ['crash with empty target', fault({ kind: 'crash', target: '' }), 'invalid', '/faults/0/target'],
  ['target too long', fault({ kind: 'crash', target: 't'.repeat(65) }), 'invalid', '/faults/0/target'],
  ['pause without duration', fault({ kind: 'pause', target: 'db' }), 'invalid', '/faults/0/for_ms'],
  ['pause for 0 ms', fault({ kind: 'pause', target: 'db', for_ms: 0 }), 'invalid', '/faults/0/for_ms'],
  ['for_s and for_ms', fault({ kind: 'crash', target: 'db', for_s: 1, for_ms: 1000 }), 'invalid', '/faults/0/for_s'],
  ['for_ms too long', fault({ kind: 'crash', target: 'db', for_ms: 3600001 }), 'invalid', '/faults/0/for_ms'],
  ['factor 0', fault({ kind: 'slow', target: 'db', factor: 0 }), 'invalid', '/faults/0/factor'],
  ['set without path', fault({ kind: 'set', value: 1 }), 'invalid', '/faults/0/path'],
  ['add_node without node', fault({ kind: 'add_node', target: 'pc' }), 'invalid', '/faults/0/node'],
  ['partition group not a name', fault({ kind: 'partition', groups_a: [1] }), 'invalid', '/faults/0/groups_a/0'],
  ['partition group name too long', fault({ kind: 'partition', groups_a: ['g'.repeat(65)] }), 'invalid', '/faults/0/groups_a/0'],
  ['value too large', fault({ kind: 'set', path: '/x', value: 2e12 }), 'invalid', '/faults/0/value'],
  ['too many faults', change((d) => { d.faults = many(1025, () => ({ at_s: 1, kind: 'crash', target: 'db' })); }), 'invalid', '/faults'],
  ['intervention checked like a fault', change((d) => { d.interventions = [{ at_s: 1, kind: 'pause', target: 'db' }]; }), 'invalid', '/interventions/0/for_ms'],
  ['goal without metric', change((d) => { d.goals = [{ value: 1 }]; }), 'invalid', '/goals/0/metric'],
  ['goal with empty metric', change((d) => { d.goals = [{ metric: '', value: 1 }]; }), 'invalid', '/goals/0/metric'],
  ['goal without value', change((d) => { d.goals = [{ metric: 'x' }]; }), 'invalid', '/goals/0/value'],
  ['goal value too large', change((d) => { d.goals = [{ metric: 'x', value: 1e16 }]; }), 'invalid', '/goals/0/value'],
  ['bad goal op', change((d) => { d.goals = [{ metric: 'x', value: 1, op: '=<' }]; }), 'invalid', '/goals/0/op'],
  ['too many goals', change((d) => { d.goals = many(65, () => ({ metric: 'x', value: 1 })); }), 'invalid', '/goals'],
  ['view not an object', change((d) => { d.view = [1]; }), 'invalid', '/view'],
  ['exercise not an object', change((d) => { d.exercise = 'x'; }), 'invalid', '/exercise'],

  // Only the engine checks these: they relate one part of the document to another, or measure serialised text.
  ['duplicate service names', change((d) => { d.services.push({ name: 'db' }); }), 'engine', '/services/2/name'],
  ['a step names a missing service', change((d) => { d.requests[0].steps[0].call = 'nope'; }), 'engine', '/requests/0/steps/0/call'],
  ['a mix entry names a missing request', change((d) => { d.workload.mix = [{ request: 'checkout' }]; }), 'engine', '/workload/mix/0/request'],
  ['schedule out of order', change((d) => { d.workload.arrivals.schedule = [{ at_s: 5, rate_per_s: 1 }, { at_s: 2, rate_per_s: 1 }]; }), 'engine', '/workload/arrivals/schedule/1/at_s'],
  ['ketama vnodes not a multiple of 4', change((d) => { d.caches[0].placement = { vnodes: 6 }; }), 'engine', '/caches/0/placement'],
  ['maglev table size not prime', change((d) => { d.caches[0].placement = { algorithm: 'maglev', table_size: 1000 }; }), 'engine', '/caches/0/placement'],
  ['uniform max below min', dist({ dist: 'uniform', min_ms: 5, max_ms: 1 }), 'engine', '/services/0/service_time/max_ms'],
  ['empirical weights count', dist({ dist: 'empirical', values_ms: [1, 2], weights: [1] }), 'engine', '/services/0/service_time/weights'],
  ['empirical weights all zero', dist({ dist: 'empirical', values_ms: [1], weights: [0] }), 'engine', '/services/0/service_time/weights'],
  ['cache weights count', change((d) => { d.caches[0].weights = [1]; }), 'engine', '/caches/0/weights'],
  ['steps nested 9 levels', change((d) => { d.requests[0].steps = [nest(8)]; }), 'engine', '/requests/0/steps/0'],
  ['requests sent but none defined', change((d) => { delete d.requests; d.queues[0].consumers = {}; }), 'engine', '/requests'],
  ['view over 64 KB', change((d) => { d.view = { text: 'x'.repeat(70000) }; }), 'engine', '/view'],
  // Names checked against the document (engine/scenario/parameter_path.cpp): a typo is refused when the file is read.
  ['a fault targets a missing instance', fault({ kind: 'crash', target: 'dbb#0' }), 'engine', '/faults/0/target'],
  ['a fault targets an instance past the count', fault({ kind: 'crash', target: 'db#1' }), 'engine', '/faults/0/target'],
  ['a fault targets a missing consumer queue', fault({ kind: 'crash', target: 'order/consumer#0' }), 'engine', '/faults/0/target'],
  ['a set names a missing field', fault({ kind: 'set', path: '/services/db/wokers', value: 2 }), 'engine', '/faults/0/path'],
  ['a set names a missing service', fault({ kind: 'set', path: '/services/dbb/workers', value: 2 }), 'engine', '/faults/0/path'],
  ['a set names a field no run may change', fault({ kind: 'set', path: '/services/db/instances', value: 2 }), 'engine', '/faults/0/path'],
  ['a set by an older path (alias)', fault({ kind: 'set', path: '/locks/inventory/retry_ms', value: 2 }), 'valid'],
  ['an allowed path names a missing field', change((d) => { d.exercise = { allowed: ['/services/db/workres'] }; }), 'engine', '/exercise/allowed/0'],
  ['allowed paths: a field, a group, an item, a list', change((d) => { d.exercise = { allowed: ['/services/db/workers', '/services/db/retries', '/caches/pc', '/interventions', '/seed'] }; }), 'valid'],
];

const dir = mkdtempSync(join(tmpdir(), 'playground-schema-'));

test('the committed schema is what playground-cli schema prints (made from the field tables)', () => {
  const committed = readFileSync(join(root, 'schema', 'scenario.schema.json'), 'utf8');
  for (const kind of clis) {
    const result = runCli(kind, ['schema']);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, committed, `${kind}: regenerate with playground-cli schema > schema/scenario.schema.json`);
  }
});

test('the schema is draft 2020-12, uses only checked keywords, and every $ref resolves', () => {
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  let objects = 0;
  walk(schema, (sub, path) => {
    if (sub.$ref) assert.ok(sub.$ref.slice(2).split('/').reduce((n, k) => n?.[k], schema), `${path}: ${sub.$ref}`);
    if (sub.type === 'object' && sub.properties) {
      objects++;
      assert.equal(sub.additionalProperties, false, `${path} must reject unknown fields`);
    }
  });
  assert.ok(objects >= 15, `${objects} object schemas`);
  assert.deepEqual(validate(schema, base), []);  // throws on an unsupported keyword anywhere on the way
});

test('the schema\'s limits are the constants of engine/scenario/scenario.hpp', () => {
  const header = readFileSync(join(root, 'engine', 'scenario', 'scenario.hpp'), 'utf8');
  const limit = (name) => {
    const match = header.match(new RegExp(`constexpr \\w+ ${name} = ([^;]+);`));
    assert.ok(match, name);
    return Number(match[1].replace(/'/g, '').replace('1 << 20', String(1 << 20)));
  };
  const p = schema.properties;
  assert.equal(p.duration_s.maximum, limit('duration_s_max'));
  assert.equal(p.services.maxItems, limit('services_max'));
  assert.equal(defs.service.properties.instances.maximum, limit('instances_max'));
  assert.equal(defs.service.properties.workers.maximum, limit('workers_max'));
  assert.equal(defs.service.properties.queue_max.maximum, limit('queue_max_max'));
  assert.equal(p.requests.maxItems, limit('requests_max'));
  assert.equal(defs.steps.maxItems, limit('steps_max'));
  assert.equal(defs.workload.properties.mix.maxItems, limit('mix_max'));
  assert.equal(defs.workload.properties.arrivals.properties.schedule.maxItems, limit('schedule_max'));
  assert.equal(defs.workload.properties.arrivals.properties.rate_per_s.maximum, limit('rate_per_s_max'));
  assert.equal(defs.rate_point.properties.rate_per_s.maximum, limit('rate_per_s_max'));
  assert.equal(defs.workload.properties.keys.properties.count.maximum, limit('keys_max'));
  assert.equal(p.caches.maxItems, limit('caches_max'));
  assert.equal(defs.cache.properties.nodes.maxItems, limit('cache_nodes_max'));
  assert.equal(p.locks.maxItems, limit('locks_max'));
  assert.equal(p.queues.maxItems, limit('queues_max'));
  assert.equal(p.faults.maxItems, limit('faults_max'));
  assert.equal(p.interventions.maxItems, limit('faults_max'));
  assert.equal(p.goals.maxItems, limit('goals_max'));
  assert.equal(defs.name.maxLength, limit('name_length_max'));
  assert.equal(p.name.maxLength, 2 * limit('name_length_max'));
  assert.equal(p.description.maxLength, limit('text_length_max'));
  assert.equal(defs.service.properties.timeout_ms.maximum, limit('time_ms_max'));
  assert.equal(defs.fault.properties.at_s.maximum, limit('duration_s_max'));
});

for (const [name, document, expectation, path] of table) {
  test(`schema and engine agree: ${name} (${expectation})`, () => {
    const text = typeof document === 'string' ? document : JSON.stringify(document);
    const schemaErrors = validate(schema, JSON.parse(text));
    const schemaValid = schemaErrors.length === 0;
    const shown = JSON.stringify(schemaErrors.slice(0, 3));
    if (expectation === 'invalid') {
      assert.ok(!schemaValid, 'the schema accepts it');
      // The schema reports at the path or above it (a oneOf reports at the step, not inside it).
      assert.ok(schemaErrors.some((e) => path === e.path || path.startsWith(`${e.path}/`) || e.path.startsWith(`${path}/`) || (path === '' && e.path === '')),
        `no schema error at ${path}: ${shown}`);
    } else {
      assert.ok(schemaValid, `the schema refuses it: ${shown}`);
    }
    const file = join(dir, `${name.replace(/\W+/g, '_')}.json`);
    writeFileSync(file, text);
    for (const kind of clis) {
      const result = runCli(kind, ['validate', file]);
      if (expectation === 'valid') {
        assert.equal(result.status, 0, `${kind}: ${result.stderr}`);
      } else {
        assert.equal(result.status, 2, `${kind} accepts it`);
        assert.ok(result.stderr.includes(`: ${path || '/'}:`) || result.stderr.includes(`: ${path}/`),
          `${kind}: expected an error at ${path}, got: ${result.stderr}`);
      }
    }
  });
}

test('every scenario file in the repository validates against the schema', () => {
  const files = scenarioFiles();
  assert.ok(files.length > 0);
  for (const file of files) {
    const errors = validate(schema, JSON.parse(readFileSync(join(root, file), 'utf8')));
    assert.deepEqual(errors, [], file);
  }
});

test('the canonical form the engine writes validates against the schema', { skip: clis.length === 0 }, () => {
  for (const file of scenarioFiles()) {
    const link = runCli(clis[0], ['link', 'encode', file]);
    assert.equal(link.status, 0, link.stderr);
    const decoded = runCli(clis[0], ['link', 'decode', link.stdout.trim()]);
    assert.equal(decoded.status, 0, decoded.stderr);
    assert.deepEqual(validate(schema, JSON.parse(decoded.stdout)), [], file);
  }
});
