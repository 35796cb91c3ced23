// Distributed locks: clients, lock servers, the inventory store and the history checker. See locks.hpp.
#include "engine/models/locks/locks.hpp"
#include "engine/kernel/cold_code.hpp"

#include <algorithm>

#include "engine/kernel/assert.hpp"
#include "engine/kernel/event_kinds.hpp"
#include "engine/run/report.hpp"
#include "engine/scenario/scenario_fields.hpp"

namespace pg {

namespace {

constexpr uint32_t log_limit = 12;   // notable events of one category logged per lock; then one "further" line
enum LogCategory { log_expiry = 0, log_overlap = 1, log_delete = 2, log_stale = 3 };
// The least time from one try of an acquire to the next: a single-threaded Redis answers on the order of 200 000
// simple commands a second, so one SET NX costs it about 5 us even with no network delay. It bounds a busy spin
// (retry_ms 0) and a tiny backoff on a zero-latency network; a backoff of retry_ms >= 0.01 (the smallest value
// before 0 was allowed) already waits at least retry_ms / 2 = 5 us, so it never binds there.
constexpr time_ns min_try_ns = 5'000;


uint32_t server_count(const LockSpec& spec, LockKind kind) {
  switch (kind) {
    case LockKind::redis: return 1 + (uint32_t)spec.replica_count;   // the primary, then its replicas
    case LockKind::redlock: return (uint32_t)spec.instances;
    case LockKind::zookeeper: return (uint32_t)spec.ensemble;   // clients talk to the ensemble as instance 0
    default: return 0;
  }
}

// A redis lock with replicas: one primary (clients write there) and replicas that copy it asynchronously.
bool replicated(const LockState& lock) { return lock.kind == LockKind::redis && lock.servers.size() > 1; }

uint32_t slot_of(uint64_t owner) { return (uint32_t)(owner >> 32); }
uint32_t generation_of(uint64_t owner) { return (uint32_t)(owner & 0xffffffffu); }

}  // namespace

// ---- setup ----------------------------------------------------------------------------------------------------

PG_COLD_CODE void Locks::init(ModelContext& ctx, const Scenario& scenario) {
  key_count_ = std::max<uint32_t>(1, scenario.workload.key_count);
  uint32_t points = ctx.time_axis.capacity;
  time_ns interval = ctx.time_axis.interval_ns;
  for (const LockSpec& spec : scenario.locks) {
    LockState state;
    state.spec = spec;
    state.kind = spec.kind;
    uint32_t n = server_count(spec, state.kind);
    for (uint32_t i = 0; i < n; ++i) {
      LockServer server;
      server.name = spec.name + "/" + std::to_string(i);
      state.servers.push_back(std::move(server));
    }
    state.retry_rng = ctx.stream("lock/" + spec.name + "/retry");
    LockSeries& s = state.series;
    for (Series* series : {&s.waiters, &s.holders, &s.ops_per_s, &s.acquired_per_s, &s.sold, &s.oversold, &s.overlaps})
      *series = Series(interval, points);
    locks_.push_back(std::move(state));
  }
}

uint32_t Locks::new_client() {
  uint32_t slot = clients_.allocate().index;
  clients_[slot].self = slot;
  return slot;
}

LockClient* Locks::client_of(uint64_t owner) {
  return clients_.live(slot_of(owner), generation_of(owner)) ? &clients_[slot_of(owner)] : nullptr;
}

void Locks::send(ModelContext& ctx, uint32_t kind, const LockMessage& message, time_ns delay_ns) {
  ctx.kernel.schedule_after(delay_ns, kind, messages_.allocate(message).index);
}

LockKeyState& Locks::key_state(uint32_t lock_id, uint32_t key) {
  LockState& lock = locks_[lock_id];
  auto it = lock.keys.find(key);
  if (it == lock.keys.end()) {
    LockKeyState state;
    state.initial = state.stock = lock.spec.stock_per_key;
    it = lock.keys.emplace(key, std::move(state)).first;
  }
  return it->second;
}

time_ns Locks::network_ns(uint32_t lock_id) const { return ms_to_ns(locks_[lock_id].spec.network_ms); }

Locks::Targets Locks::targets(const LockState& lock) const {
  if (lock.kind == LockKind::redis) return {lock.primary, 1};
  return {0, (uint32_t)lock.servers.size()};
}

time_ns Locks::client_local_ns(const ModelContext& ctx, const LockClient& c) const {
  return c.holder_instance == no_id ? ctx.now() : ctx.instance(c.holder_instance).local_ns(ctx.now());
}

time_ns Locks::client_delay_ns(const ModelContext& ctx, const LockClient& c, time_ns local_delay_ns) const {
  if (c.holder_instance == no_id) return local_delay_ns;
  return (time_ns)((double)local_delay_ns / ctx.instance(c.holder_instance).clock_rate);
}

// An explicit drift_ms, or what the reference Redlock clients compute (redlock-py, node-redlock): 1% of the TTL
// plus 2 ms for the granularity of Redis' expiry.
time_ns Locks::drift_ns(const LockState& lock) const {
  return ms_to_ns(lock.spec.drift_ms >= 0 ? lock.spec.drift_ms : lock.spec.ttl_ms * 0.01 + 2);
}

uint32_t Locks::quorum(const LockState& lock) const {
  return lock.kind == LockKind::redlock ? (uint32_t)lock.servers.size() / 2 + 1 : 1;
}

// A message from client slot `slot` about its lock and key; the caller adds what the operation needs.
LockMessage Locks::client_message(uint32_t slot, LockOp op) const {
  const LockClient& c = clients_[slot];
  LockMessage m;
  m.op = op;
  m.lock = c.lock;
  m.key = c.key;
  m.slot = slot;
  m.slot_generation = c.generation;
  return m;
}

std::string Locks::key_name(uint32_t lock_id, uint32_t key) const {
  return locks_[lock_id].spec.name + "/key-" + std::to_string(key);
}

std::string Locks::client_name(const ModelContext& ctx, const LockClient& c) const {
  std::string name = "flow " + std::to_string(c.flow);
  if (c.holder_instance == no_id) return name;
  const InstanceView instance = ctx.instance(c.holder_instance);
  return name + " on " + ctx.service_name(instance.service) + "#" + std::to_string(instance.index);
}

void Locks::log_limited(ModelContext& ctx, uint32_t lock_id, int category, const std::string& text) {
  uint32_t& count = locks_[lock_id].log_counts[category];
  ++count;
  if (count <= log_limit) ctx.log(text);
  else if (count == log_limit + 1) ctx.log(text + " (further events of this kind are counted, not logged)");
}

// ---- the client's process: pauses and crashes -------------------------------------------------------------------

bool Locks::holder_dead(const ModelContext& ctx, const LockClient& c) const {
  if (c.process_dead) return true;
  if (c.holder_instance == no_id) return false;
  const InstanceView instance = ctx.instance(c.holder_instance);
  return instance.crashed || instance.generation != c.holder_generation;
}

bool Locks::holder_paused(const ModelContext& ctx, const LockClient& c, time_ns& until_ns) const {
  if (c.holder_instance == no_id) return false;
  const InstanceView instance = ctx.instance(c.holder_instance);
  if (!instance.paused(ctx.now())) return false;
  until_ns = instance.paused_until_ns;
  return true;
}

// Records a pause of a believing holder for the timeline (once per pause). The start comes from the fault schedule
// (the services model does not keep it); when no fault explains it, the first time it was noticed.
void Locks::note_pause(ModelContext& ctx, uint32_t slot, time_ns until_ns) {
  LockClient& c = clients_[slot];
  if (!c.believing || c.last_pause_until_ns == until_ns) return;
  c.last_pause_until_ns = until_ns;
  time_ns from = ctx.now();
  const InstanceView instance = ctx.instance(c.holder_instance);
  const std::string& service = ctx.service_name(instance.service);
  std::string instance_name = service + "#" + std::to_string(instance.index);
  for (const FaultSpec& f : ctx.fault_schedule()) {
    if (f.kind != FaultKind::pause || (f.target != service && f.target != instance_name)) continue;
    time_ns at = s_to_ns(f.at_s);
    if (at <= ctx.now() && at + ms_to_ns(f.for_ms) >= ctx.now()) from = std::min(from, at);
  }
  locks_[c.lock].pauses.push(LockPause{c.key, c.flow, c.holder_instance, from, until_ns});
}

void Locks::fail_flow(ModelContext& ctx, uint32_t slot, FailReason reason) {
  LockClient& c = clients_[slot];
  if (!ctx.flow_live(c.flow, c.flow_generation)) return;
  ctx.flow_fail(c.flow, reason);   // the world calls flow_ended, which cleans up every slot of the flow
}

// Client-side events run only while the client's process is up: deferred during a pause, dropped after a crash
// (and the flow, if the lock model is what it waits for, fails as crashed). Returns true when the event may run.
bool Locks::client_ready(ModelContext& ctx, uint32_t slot, const Event& event) {
  LockClient& c = clients_[slot];
  if (holder_dead(ctx, c)) {
    c.process_dead = true;
    if (c.phase != LockPhase::holding) fail_flow(ctx, slot, FailReason::crashed);
    return false;
  }
  time_ns until;
  if (holder_paused(ctx, c, until)) {
    note_pause(ctx, slot, until);
    ctx.kernel.schedule(until, event.kind, event.a, event.b);
    return false;
  }
  return true;
}

// ---- the flow's steps ---------------------------------------------------------------------------------------------

void Locks::acquire(ModelContext& ctx, uint32_t flow_id, uint32_t lock_id) {
  PG_ASSERT(lock_id < locks_.size(), "acquire: lock id out of range");
  PG_ASSERT(ctx.flow_exists(flow_id), "acquire: the flow has ended");
  uint32_t slot = new_client();
  LockClient& c = clients_[slot];
  Flow& f = ctx.flow(flow_id);
  LockState& lock = locks_[lock_id];
  c.lock = lock_id;
  c.key = f.key;
  c.flow = flow_id;
  c.flow_generation = f.generation;
  c.outer = f.lock_slot;
  f.lock_slot = slot;
  c.holder_instance = f.home_instance;
  if (c.holder_instance != no_id) c.holder_generation = ctx.instance(c.holder_instance).generation;
  c.acquire_start_ns = ctx.now();
  LockKeyState& key = key_state(lock_id, c.key);
  switch (lock.kind) {
    case LockKind::none:
      // No lock: the read-check-write section starts at once (and is checked like a lock for overlaps).
      grant(ctx, slot, 0);
      return;
    case LockKind::atomic:
      ++lock.stats.acquired;
      lock.stats.acquire.record(0);
      c.phase = LockPhase::holding;
      ctx.flow_continue(flow_id, false);
      return;
    case LockKind::redis:
    case LockKind::redlock:
      c.waiting = true;
      ++lock.waiters;
      ++key.waiters;
      start_round(ctx, slot);
      return;
    case LockKind::zookeeper: {
      c.waiting = true;
      ++lock.waiters;
      ++key.waiters;
      c.phase = LockPhase::zk_waiting;
      LockMessage m = client_message(slot, LockOp::zk_create);
      m.owner = c.owner();
      send(ctx, ev::lock_server_message, m, network_ns(lock_id));
      ctx.kernel.schedule_after(ms_to_ns(lock.spec.give_up_ms), ev::lock_give_up, slot, c.generation);
      ctx.kernel.schedule_after(ms_to_ns(lock.spec.session_timeout_ms / 3), ev::lock_ping, slot, c.generation);
      return;
    }
  }
}

void Locks::release(ModelContext& ctx, uint32_t flow_id, uint32_t lock_id) {
  PG_ASSERT(ctx.flow_exists(flow_id), "release: the flow has ended");
  Flow& f = ctx.flow(flow_id);
  uint32_t slot = f.lock_slot;
  PG_ASSERT(clients_.occupied(slot) && clients_[slot].lock == lock_id, "release without its acquire");
  LockClient& c = clients_[slot];
  // The write and the release are the holder process's own steps (the inside calls ran elsewhere).
  if (holder_dead(ctx, c)) {
    c.process_dead = true;
    ctx.flow_fail(flow_id, FailReason::crashed);
    return;
  }
  time_ns until;
  if (holder_paused(ctx, c, until)) {
    note_pause(ctx, slot, until);
    ctx.flow_resume_at(flow_id, until);
    return;
  }
  LockState& lock = locks_[c.lock];
  // A client that limits its work to the validity time checks, just before its write, that the lock is still valid
  // by its own clock; if not, it writes nothing and gives up (its finally block releases).
  if (lock.spec.check_validity && (lock.kind == LockKind::redis || lock.kind == LockKind::redlock) &&
      lock.spec.ttl_ms > 0 &&
      client_local_ns(ctx, c) >= c.lease_start_local_ns + ms_to_ns(lock.spec.ttl_ms) - drift_ns(lock)) {
    ++lock.stats.validity_aborts;
    log_limited(ctx, c.lock, log_expiry,
                "the holder of " + key_name(c.lock, c.key) + " (" + client_name(ctx, c) +
                    ") found the lock's validity time over by its own clock and wrote nothing");
    ctx.flow_fail(flow_id, FailReason::lock_gave_up);
    return;
  }
  LockMessage m = client_message(slot, LockOp::store_write);
  m.token = c.token;
  if (lock.kind == LockKind::atomic) {
    m.op = LockOp::store_decrement;
  } else if (f.lock_read_stock > 0) {
    m.op = LockOp::store_write;
    m.value = f.lock_read_stock;   // the write is read - 1: a read-modify-write
  } else {
    ++lock.stats.sold_out;
    finish_release(ctx, slot);
    return;
  }
  c.phase = LockPhase::writing;
  send(ctx, ev::lock_store_message, m, network_ns(c.lock));
}

void Locks::flow_ended(ModelContext& ctx, uint32_t flow_id) {
  PG_ASSERT(ctx.flow_exists(flow_id), "flow_ended: the flow is already gone");
  Flow& f = ctx.flow(flow_id);
  uint32_t slot = f.lock_slot;
  f.lock_slot = no_id;
  while (slot != no_id) {
    LockClient& c = clients_[slot];
    uint32_t outer = c.outer;
    LockState& lock = locks_[c.lock];
    end_belief(ctx, slot);
    if (c.waiting) {
      c.waiting = false;
      --lock.waiters;
      --key_state(c.lock, c.key).waiters;
    }
    // A finally block releases what the client may hold, unless its process is gone.
    if (!holder_dead(ctx, c)) {
      if (lock.kind == LockKind::redis || lock.kind == LockKind::redlock) {
        if (c.phase != LockPhase::backoff)
          send_unlock_all(ctx, slot, lock.spec.release == LockRelease::del ? LockOp::del : LockOp::compare_and_delete);
      } else if (lock.kind == LockKind::zookeeper && c.zk_seq != 0 && !c.session_expired) {
        LockMessage m;
        m.op = LockOp::zk_delete;
        m.lock = c.lock;
        m.key = c.key;
        m.seq = c.zk_seq;
        send(ctx, ev::lock_server_message, m, network_ns(c.lock));
      }
    }
    clients_.free(slot);   // messages and timers still carrying its generation are ignored
    slot = outer;
  }
}

// ---- redis and redlock: rounds of SET NX PX -----------------------------------------------------------------------

void Locks::start_round(ModelContext& ctx, uint32_t slot) {
  LockClient& c = clients_[slot];
  LockState& lock = locks_[c.lock];
  ++c.round;
  c.yes = c.answered = 0;
  c.round_start_ns = ctx.now();
  c.lease_start_local_ns = client_local_ns(ctx, c);
  c.phase = LockPhase::acquiring;
  // Requests go to every instance at once (clients multiplex; the Redlock text sends them one after the other,
  // which only makes the elapsed time longer).
  const Targets to = targets(lock);
  for (uint32_t i = to.first; i < to.first + to.count; ++i) {
    LockMessage m = client_message(slot, LockOp::set_nx);
    m.instance = i;
    m.round = c.round;
    m.owner = c.owner();
    const std::string& from =
        ctx.caller_name(c.holder_instance == no_id ? no_id : ctx.instance(c.holder_instance).service);
    if (ctx.partitioned(from, lock.servers[i].name) || ctx.partitioned(from, lock.spec.name)) continue;
    send(ctx, ev::lock_server_message, m, network_ns(c.lock));
  }
  ctx.kernel.schedule_after(ms_to_ns(lock.spec.request_timeout_ms), ev::lock_round_timeout, slot,
                              (uint64_t)c.generation << 32 | c.round);
}

void Locks::decide_round(ModelContext& ctx, uint32_t slot) {
  LockClient& c = clients_[slot];
  LockState& lock = locks_[c.lock];
  bool granted = c.yes >= quorum(lock);
  if (granted && lock.kind == LockKind::redlock && lock.spec.ttl_ms > 0) {
    // Validity = TTL - time spent acquiring - clock drift allowance (antirez, "Distributed locks with Redis"), the
    // time spent measured on the client's own clock. Without a TTL (ttl_ms 0) the keys never expire, so a majority
    // stays valid however long it took.
    time_ns validity =
        ms_to_ns(lock.spec.ttl_ms) - (client_local_ns(ctx, c) - c.lease_start_local_ns) - drift_ns(lock);
    granted = validity > 0;
  }
  if (granted) {
    grant(ctx, slot, lock.kind == LockKind::redlock ? ++lock.token_counter : c.token);
    return;
  }
  if (lock.kind == LockKind::redlock) {
    ++lock.stats.quorum_failures;
    send_unlock_all(ctx, slot, LockOp::compare_and_delete);   // unlock every instance, even the silent ones
  } else if (lock.kind == LockKind::redis && lock.spec.replica_wait > 0) {
    // SET NX may have succeeded while WAIT found too few replicas (or its answer came too late): release the key.
    send_unlock_all(ctx, slot, LockOp::compare_and_delete);
  }
  retry_or_give_up(ctx, slot);
}

void Locks::retry_or_give_up(ModelContext& ctx, uint32_t slot) {
  LockClient& c = clients_[slot];
  LockState& lock = locks_[c.lock];
  ++c.attempt;
  if (lock.spec.retry_ms <= 0) return spin_or_give_up(ctx, slot);
  // Exponential backoff (x2 per attempt, at most x8) with equal jitter, so that clients that failed together do not
  // retry together (the Redis docs: "retry after a random delay").
  double delay_ms = lock.spec.retry_ms * (double)(1u << std::min<uint32_t>(c.attempt - 1, 3));
  delay_ms = delay_ms / 2 + lock.retry_rng.next_double() * delay_ms / 2;
  time_ns at = std::max(ctx.now() + ms_to_ns(delay_ms), c.round_start_ns + min_try_ns);
  if (at > c.acquire_start_ns + ms_to_ns(lock.spec.give_up_ms)) {
    ++lock.stats.gave_up;
    fail_flow(ctx, slot, FailReason::lock_gave_up);
    return;
  }
  c.phase = LockPhase::backoff;
  ctx.kernel.schedule(at, ev::lock_retry, slot, (uint64_t)c.generation << 32 | c.round);
}

// retry_ms 0: a busy loop that asks again as soon as the answer "taken" arrives, with no random delay. Each try is
// one request the lock server handles (counted in ops), so time advances by the round trip; on a zero-latency network
// a try still costs the server's own handling, min_try_ns, so a spin is never a loop in zero simulated time.
void Locks::spin_or_give_up(ModelContext& ctx, uint32_t slot) {
  LockClient& c = clients_[slot];
  LockState& lock = locks_[c.lock];
  time_ns at = std::max(ctx.now(), c.round_start_ns + min_try_ns);
  c.phase = LockPhase::backoff;   // it heard "taken": it holds nothing, so its finally block releases nothing
  if (at > c.acquire_start_ns + ms_to_ns(lock.spec.give_up_ms)) {
    ++lock.stats.gave_up;
    fail_flow(ctx, slot, FailReason::lock_gave_up);
    return;
  }
  ctx.kernel.schedule(at, ev::lock_retry, slot, (uint64_t)c.generation << 32 | c.round);
}

void Locks::send_unlock_all(ModelContext& ctx, uint32_t slot, LockOp op) {
  LockClient& c = clients_[slot];
  LockState& lock = locks_[c.lock];
  const Targets to = targets(lock);
  for (uint32_t i = to.first; i < to.first + to.count; ++i) {
    LockMessage m;
    m.op = op;
    m.lock = c.lock;
    m.instance = i;
    m.key = c.key;
    m.owner = c.owner();
    send(ctx, ev::lock_server_message, m, network_ns(c.lock));
  }
}

// ---- grants, beliefs and release ----------------------------------------------------------------------------------

void Locks::grant(ModelContext& ctx, uint32_t slot, uint64_t token) {
  LockClient& c = clients_[slot];
  LockState& lock = locks_[c.lock];
  c.token = token;
  ctx.flow(c.flow).lock_token = token;
  if (c.waiting) {
    c.waiting = false;
    --lock.waiters;
    --key_state(c.lock, c.key).waiters;
  }
  ++lock.stats.acquired;
  lock.stats.acquire.record(ctx.now() - c.acquire_start_ns);
  begin_belief(ctx, slot);
  // A watchdog (Redisson's) renews the lease from the client's process while it holds the lock.
  if ((lock.kind == LockKind::redis || lock.kind == LockKind::redlock) && lock.spec.renew_every_ms > 0 &&
      lock.spec.ttl_ms > 0)
    ctx.kernel.schedule_after(client_delay_ns(ctx, c, ms_to_ns(lock.spec.renew_every_ms)), ev::lock_renew, slot,
                              c.generation);
  // The holder reads the stock (a read-modify-write starts), carrying its token so a fencing store learns it.
  c.phase = LockPhase::reading;
  LockMessage m = client_message(slot, LockOp::store_read);
  m.token = token;
  send(ctx, ev::lock_store_message, m, network_ns(c.lock));
}

void Locks::begin_belief(ModelContext& ctx, uint32_t slot) {
  LockClient& c = clients_[slot];
  LockState& lock = locks_[c.lock];
  LockKeyState& key = key_state(c.lock, c.key);
  time_ns now = ctx.now();
  LockInterval interval{c.key, c.flow, c.holder_instance, c.token, now, time_never, false, false};
  for (uint32_t other : key.believers) {
    LockClient& o = clients_[other];
    ++lock.stats.overlaps;
    interval.overlapped = true;
    if (LockInterval* earlier = lock.intervals.find(o.interval)) earlier->overlapped = true;
    if (o.deleted_by_other) {
      // The holder whose lock someone else's DEL removed still works: this grant makes a third holder.
      ++lock.stats.third_holders;
    }
    log_limited(ctx, c.lock, log_overlap,
                "two holders of " + key_name(c.lock, c.key) + ": " + client_name(ctx, o) + " and " +
                    client_name(ctx, c) + (o.deleted_by_other ? " (after a DEL removed the first one's lock)" : ""));
  }
  key.believers.push_back(slot);
  if (key.believers.size() == 2) key.overlap_since_ns = now;
  c.interval = lock.intervals.push(interval);
  c.believing = true;
  ++lock.holders;
}

void Locks::end_belief(ModelContext& ctx, uint32_t slot) {
  LockClient& c = clients_[slot];
  if (!c.believing) return;
  LockState& lock = locks_[c.lock];
  LockKeyState& key = key_state(c.lock, c.key);
  size_t before = key.believers.size();
  key.believers.erase(std::find(key.believers.begin(), key.believers.end(), slot));
  if (before >= 2 && key.believers.size() < 2) lock.stats.overlap_ns += ctx.now() - key.overlap_since_ns;
  if (LockInterval* interval = lock.intervals.find(c.interval)) {
    interval->end_ns = ctx.now();
    if (interval->overlapped) lock.overlapped_intervals.push(*interval);
  }
  c.believing = false;
  --lock.holders;
}

void Locks::finish_release(ModelContext& ctx, uint32_t slot) {
  LockClient& c = clients_[slot];
  LockState& lock = locks_[c.lock];
  end_belief(ctx, slot);
  if (lock.kind == LockKind::redis || lock.kind == LockKind::redlock) {
    send_unlock_all(ctx, slot, lock.spec.release == LockRelease::del ? LockOp::del : LockOp::compare_and_delete);
  } else if (lock.kind == LockKind::zookeeper && !c.session_expired) {
    LockMessage m;
    m.op = LockOp::zk_delete;
    m.lock = c.lock;
    m.key = c.key;
    m.seq = c.zk_seq;
    send(ctx, ev::lock_server_message, m, network_ns(c.lock));
  }
  uint32_t flow = c.flow;
  ctx.flow(flow).lock_slot = c.outer;
  clients_.free(slot);
  ctx.flow_continue(flow, false);
}

// ---- events -------------------------------------------------------------------------------------------------------

void Locks::handle(ModelContext& ctx, const Event& event) {
  auto client_timer = [&](LockPhase phase, bool with_round) -> bool {
    if (!clients_.live(event.a, (uint32_t)(with_round ? event.b >> 32 : event.b))) return false;
    LockClient& c = clients_[event.a];
    if (c.phase != phase) return false;
    if (with_round && c.round != (uint32_t)(event.b & 0xffffffffu)) return false;
    return client_ready(ctx, event.a, event);
  };
  switch (event.kind) {
    case ev::lock_server_message: on_server_message(ctx, event.a, event); return;
    case ev::lock_client_message: on_client_message(ctx, event.a, event); return;
    case ev::lock_store_message: on_store_message(ctx, event.a); return;
    case ev::lock_retry:
      if (client_timer(LockPhase::backoff, true)) start_round(ctx, event.a);
      return;
    case ev::lock_round_timeout:
      if (client_timer(LockPhase::acquiring, true)) decide_round(ctx, event.a);
      return;
    case ev::lock_lease_check: on_lease_check(ctx, event.a >> 8, event.a & 0xff, (uint32_t)event.b); return;
    case ev::lock_give_up:
      if (client_timer(LockPhase::zk_waiting, false)) {
        ++locks_[clients_[event.a].lock].stats.gave_up;
        fail_flow(ctx, event.a, FailReason::lock_gave_up);
      }
      return;
    case ev::lock_ping: {
      if (!clients_.live(event.a, (uint32_t)event.b)) return;
      LockClient& c = clients_[event.a];
      if (c.session_expired) return;
      if (!client_ready(ctx, event.a, event)) return;
      if (c.zk_seq != 0) {
        LockMessage m = client_message(event.a, LockOp::zk_ping);
        m.seq = c.zk_seq;
        send(ctx, ev::lock_server_message, m, network_ns(c.lock));
      }
      ctx.kernel.schedule_after(ms_to_ns(locks_[c.lock].spec.session_timeout_ms / 3), ev::lock_ping, event.a,
                                  event.b);
      return;
    }
    case ev::lock_session_check: on_session_check(ctx, event.a, event.b); return;
    case ev::lock_failover: on_failover(ctx, event.a, (uint32_t)event.b); return;
    case ev::lock_wait_timeout: check_waits(ctx, event.a, true, event.b); return;
    case ev::lock_renew: on_renew(ctx, event); return;
    default: PG_ASSERT(false, "unknown lock event");
  }
}

void Locks::on_server_message(ModelContext& ctx, uint32_t message_id, const Event& event) {
  PG_ASSERT(messages_.occupied(message_id), "a lock server message that was already read");
  LockMessage m = messages_[message_id];
  LockState& lock = locks_[m.lock];
  LockServer& server = lock.servers[m.instance];
  time_ns now = ctx.now();
  if (server.paused_until_ns > now) {   // a paused server handles its requests when it resumes
    ctx.kernel.schedule(server.paused_until_ns, event.kind, event.a, event.b);
    return;
  }
  if (lock.kind == LockKind::zookeeper && !zk_quorum(lock)) {   // answered once a majority is back
    lock.zk_deferred.push_back(message_id);
    return;
  }
  messages_.free(message_id);
  if (m.op == LockOp::replicate) {   // replication is the servers' own traffic, not a client's operation
    if (!server.crashed) on_replicate(ctx, m);
    return;
  }
  // Lost: the client's timeout deals with it. (A ZooKeeper client whose server died moves to another one.)
  if (lock.kind != LockKind::zookeeper && (server.crashed || now < server.silent_until_ns)) return;
  ++server.ops;
  ++lock.stats.ops;
  switch (m.op) {
    case LockOp::set_nx:
    case LockOp::compare_and_delete:
    case LockOp::del:
    case LockOp::renew: return on_key_value_request(ctx, m);
    case LockOp::zk_create:
    case LockOp::zk_check:
    case LockOp::zk_delete:
    case LockOp::zk_ping: return on_zookeeper_request(ctx, m);
    default: PG_ASSERT(false, "not a server request");
  }
}

// SET NX PX, compare-and-delete, DEL and the watchdog's renewal on a key-value lock server (Redis, or one Redlock
// instance), through its keyspace (engine/models/locks/redis_keyspace.hpp). A lease whose TTL ran out in the server's
// clock is removed first, as Redis expires keys lazily on access. A redis primary ships each change to its replicas.
void Locks::on_key_value_request(ModelContext& ctx, const LockMessage& m) {
  LockState& lock = locks_[m.lock];
  LockServer& server = lock.servers[m.instance];
  const time_ns now = ctx.now();
  const time_ns local = server.local_ns(now);
  const bool primary = !replicated(lock) || m.instance == lock.primary;
  if (!primary) {
    // A replica refuses writes (READONLY): a request sent to the old primary that came back as a replica.
    if (m.op == LockOp::set_nx) {
      LockMessage reply = m;
      reply.op = LockOp::set_reply;
      reply.ok = false;
      send(ctx, ev::lock_client_message, reply, network_ns(m.lock));
    }
    return;
  }
  if (server.leases.expired(m.key, local)) remove_lease(ctx, m.lock, m.instance, m.key, true);
  switch (m.op) {
    case LockOp::set_nx: {
      LockMessage reply = m;
      reply.op = LockOp::set_reply;
      // ttl_ms 0 is SETNX without EXPIRE: the key stays until someone deletes it.
      RedisEntry* lease = server.leases.set_nx_px(
          m.key, m.owner, lock.spec.ttl_ms > 0 ? ms_to_ns(lock.spec.ttl_ms) : time_never, local);
      if (!lease) {
        reply.ok = false;
      } else {
        lease->token = lock.kind == LockKind::redis ? ++lock.token_counter : 0;
        schedule_lease_check(ctx, m.lock, m.instance, m.key, *lease);
        if (clients_.live(m.slot, m.slot_generation)) ++clients_[m.slot].leases_held;
        reply.ok = true;
        reply.token = lease->token;
        if (replicated(lock)) replicate(ctx, m.lock, m.key, lease);
        if (lock.kind == LockKind::redis && lock.spec.replica_wait > 0) {
          // SET NX then WAIT numreplicas timeout, pipelined: the answer comes when enough replicas have the write.
          PendingWait wait;
          wait.id = ++lock.wait_counter;
          wait.offset = server.offset;
          wait.message = messages_.allocate(reply).index;
          lock.waits.push_back(wait);
          ctx.kernel.schedule_after(ms_to_ns(lock.spec.wait_timeout_ms), ev::lock_wait_timeout, m.lock, wait.id);
          return;
        }
      }
      send(ctx, ev::lock_client_message, reply, network_ns(m.lock));
      return;
    }
    case LockOp::compare_and_delete: {
      if (server.leases.compare_and_delete(m.key, m.owner, local)) {
        lease_removed(ctx, m.lock, m.instance, m.key, m.owner, false);
        if (replicated(lock)) replicate(ctx, m.lock, m.key, nullptr);
      }
      return;
    }
    case LockOp::del: {
      const RedisEntry* held = server.leases.find(m.key);
      if (!held) return;
      const uint64_t owner = held->value;
      if (owner != m.owner) {
        // The unsafe release: DEL removes whoever holds the key now (Redis docs, "Distributed locks with Redis").
        ++lock.stats.foreign_deletes;
        LockClient* victim = client_of(owner);
        bool victim_holds = victim && victim->believing;
        if (victim_holds) victim->deleted_by_other = true;
        log_limited(ctx, m.lock, log_delete,
                    "a late release by DEL deleted another client's lock on " + key_name(m.lock, m.key) +
                        (victim_holds ? " (" + client_name(ctx, *victim) + " still works under it)" : ""));
      }
      if (server.leases.del(m.key, local)) {
        lease_removed(ctx, m.lock, m.instance, m.key, owner, false);
        if (replicated(lock)) replicate(ctx, m.lock, m.key, nullptr);
      }
      return;
    }
    case LockOp::renew: {
      // The watchdog's script: PEXPIRE to the full TTL, only while the key still holds this client's value.
      if (server.leases.pexpire_if_value(m.key, m.owner, ms_to_ns(lock.spec.ttl_ms), local)) {
        ++lock.stats.renewals;
        RedisEntry& lease = *server.leases.find(m.key);
        schedule_lease_check(ctx, m.lock, m.instance, m.key, lease);
        if (replicated(lock)) replicate(ctx, m.lock, m.key, &lease);
      }
      return;
    }
    default: PG_ASSERT(false, "not a key-value request");
  }
}

// ---- redis replicas: asynchronous replication, WAIT, Sentinel's failover -------------------------------------------

void Locks::replicate(ModelContext& ctx, uint32_t lock_id, uint32_t key, const RedisEntry* entry) {
  LockState& lock = locks_[lock_id];
  LockServer& primary = lock.servers[lock.primary];
  ++primary.offset;
  for (uint32_t i = 0; i < lock.servers.size(); ++i) {
    if (i == lock.primary) continue;
    LockMessage m;
    m.op = LockOp::replicate;
    m.lock = lock_id;
    m.instance = i;
    m.key = key;
    m.ok = entry != nullptr;
    if (entry) {
      m.owner = entry->value;
      m.token = entry->token;
      m.value = entry->expires_ns;
    }
    m.seq = primary.offset;
    m.slot = lock.primary;
    m.slot_generation = primary.life;
    send(ctx, ev::lock_server_message, m, ms_to_ns(lock.spec.replication_ms));
  }
}

// A replica applies its primary's write, unless the primary crashed since it sent it (what had not left it is lost),
// the replica has been promoted, or a full resync already gave it this write.
void Locks::on_replicate(ModelContext& ctx, const LockMessage& m) {
  LockState& lock = locks_[m.lock];
  LockServer& replica = lock.servers[m.instance];
  const uint32_t source = m.slot, source_life = m.slot_generation;
  const uint64_t offset = m.seq;
  if (lock.servers[source].life != source_life || source != lock.primary || m.instance == lock.primary) return;
  if (offset <= replica.offset) return;
  if (m.ok) {
    RedisEntry entry;
    entry.value = m.owner;
    entry.token = m.token;
    entry.expires_ns = m.value;
    replica.leases.put(m.key, entry);   // check_at_ns 0: a replica expires nothing itself
  } else {
    replica.leases.erase(m.key);
  }
  replica.offset = offset;
  if (!lock.waits.empty()) check_waits(ctx, m.lock, false, 0);
}

// Answers the held SET replies whose WAIT is satisfied (enough live replicas applied their offset) or, for the one
// whose timeout fired, with the replicas that had it by then. The reply's value is that count.
void Locks::check_waits(ModelContext& ctx, uint32_t lock_id, bool timeout, uint64_t timeout_id) {
  LockState& lock = locks_[lock_id];
  size_t kept = 0;
  for (size_t w = 0; w < lock.waits.size(); ++w) {
    PendingWait wait = lock.waits[w];
    int64_t acks = 0;
    for (uint32_t i = 0; i < lock.servers.size(); ++i)
      if (i != lock.primary && !lock.servers[i].crashed && lock.servers[i].offset >= wait.offset) ++acks;
    if (acks >= lock.spec.replica_wait || (timeout && wait.id == timeout_id)) {
      LockMessage& reply = messages_[wait.message];
      reply.value = acks;
      ctx.kernel.schedule_after(network_ns(lock_id), ev::lock_client_message, wait.message);
      continue;
    }
    lock.waits[kept++] = wait;
  }
  lock.waits.resize(kept);
}

void Locks::drop_leases(LockState& lock, uint32_t instance) {
  for (const auto& entry : lock.servers[instance].leases)
    if (LockClient* c = client_of(entry.second.value))
      if (c->leases_held > 0) --c->leases_held;
  lock.servers[instance].leases.clear();
}

void Locks::full_resync(LockState& lock, uint32_t replica) {
  const LockServer& primary = lock.servers[lock.primary];
  LockServer& copy = lock.servers[replica];
  copy.leases.clear();
  for (const auto& [key, entry] : primary.leases) {
    RedisEntry e = entry;
    e.check_at_ns = 0;
    copy.leases.put(key, e);
  }
  copy.offset = primary.offset;
}

void Locks::check_lost_holders(ModelContext& ctx, uint32_t lock_id, const char* how) {
  LockState& lock = locks_[lock_id];
  for (uint32_t slot = 0; slot < clients_.slots().size(); ++slot) {
    if (!clients_.slots()[slot].live) continue;
    LockClient& c = clients_[slot];
    if (c.lock != lock_id || !c.believing || c.lost || c.leases_held > 0) continue;
    c.lost = true;
    ++lock.stats.expired_while_held;
    if (LockInterval* interval = lock.intervals.find(c.interval)) interval->expired_while_held = true;
    time_ns until;
    bool paused = holder_paused(ctx, c, until);
    if (paused) note_pause(ctx, c.self, until);
    log_limited(ctx, lock_id, log_expiry,
                "lock " + key_name(lock_id, c.key) + " " + how + " while its holder (" + client_name(ctx, c) + ") " +
                    (paused ? "was paused" : "still worked under it"));
  }
}

// Sentinel's failover: failover_ms after the primary crashed (and had not come back), the live replica with the
// most data becomes the primary. Its keys are now the lock; a holder whose key never reached it has lost the lock,
// and the next client that asks gets it.
void Locks::on_failover(ModelContext& ctx, uint32_t lock_id, uint32_t life) {
  LockState& lock = locks_[lock_id];
  const uint32_t old = lock.primary;
  if (!lock.servers[old].crashed || lock.servers[old].life != life) return;   // back in time, or crashed again
  uint32_t best = no_id;
  for (uint32_t i = 0; i < lock.servers.size(); ++i) {
    if (i == old || lock.servers[i].crashed) continue;
    if (best == no_id || lock.servers[i].offset > lock.servers[best].offset) best = i;
  }
  if (best == no_id) {
    ctx.log(lock.servers[old].name + " is down and no replica is up: no failover");
    return;
  }
  LockServer& promoted = lock.servers[best];
  const uint64_t missing = lock.servers[old].offset - promoted.offset;
  lock.primary = best;
  ++lock.stats.failovers;
  ctx.log("Sentinel promoted " + promoted.name + " to primary after " + lock.servers[old].name + " crashed (" +
          std::to_string(missing) + " of its writes had not reached it)");
  // The promoted replica's keys count for their holders now, and expire by its clock.
  std::vector<uint32_t> keys;
  for (const auto& entry : promoted.leases) keys.push_back(entry.first);
  for (uint32_t key : keys) {
    RedisEntry& lease = *promoted.leases.find(key);
    if (LockClient* c = client_of(lease.value)) ++c->leases_held;
    schedule_lease_check(ctx, lock_id, best, key, lease);
  }
  // The old primary's keys (kept on its disk) are no longer the lock: it will come back as a replica.
  drop_leases(lock, old);
  uint64_t lost_before = lock.stats.expired_while_held;
  check_lost_holders(ctx, lock_id, "was lost in the failover (the promoted replica never had it)");
  lock.stats.lost_in_failover += lock.stats.expired_while_held - lost_before;
  for (uint32_t i = 0; i < lock.servers.size(); ++i)
    if (i != best && !lock.servers[i].crashed) full_resync(lock, i);
}

// ---- the watchdog (redis, redlock) ---------------------------------------------------------------------------------

// A holder's renewal timer runs in its own process: a paused process renews when it runs again, a dead one never.
void Locks::on_renew(ModelContext& ctx, const Event& event) {
  if (!clients_.live(event.a, (uint32_t)event.b)) return;
  LockClient& c = clients_[event.a];
  if (!c.believing || holder_dead(ctx, c)) return;
  time_ns until;
  if (holder_paused(ctx, c, until)) {
    note_pause(ctx, event.a, until);
    ctx.kernel.schedule(until, event.kind, event.a, event.b);
    return;
  }
  LockState& lock = locks_[c.lock];
  if (lock.spec.renew_every_ms <= 0 || lock.spec.ttl_ms <= 0) return;   // turned off by a `set`
  const Targets to = targets(lock);
  for (uint32_t i = to.first; i < to.first + to.count; ++i) {
    LockMessage m = client_message(event.a, LockOp::renew);
    m.instance = i;
    m.owner = c.owner();
    send(ctx, ev::lock_server_message, m, network_ns(c.lock));
  }
  c.lease_start_local_ns = client_local_ns(ctx, c);   // it counts on the renewal arriving
  ctx.kernel.schedule_after(client_delay_ns(ctx, c, ms_to_ns(lock.spec.renew_every_ms)), ev::lock_renew, event.a,
                            event.b);
}

// create (an ephemeral sequential node), exists (after a watch fired), delete and the session ping on ZooKeeper.
void Locks::on_zookeeper_request(ModelContext& ctx, const LockMessage& m) {
  LockState& lock = locks_[m.lock];
  const time_ns now = ctx.now();
  const time_ns network = network_ns(m.lock);
  switch (m.op) {
    case LockOp::zk_create: {
      LockKeyState& key = key_state(m.lock, m.key);
      ZkNode node;
      node.seq = ++lock.token_counter;
      node.owner = m.owner;
      node.last_heard_ns = now;
      key.zk_nodes.push_back(node);
      lock.zk_node_key[node.seq] = m.key;
      ctx.kernel.schedule_after(ms_to_ns(lock.spec.session_timeout_ms), ev::lock_session_check, m.lock, node.seq);
      zk_position(ctx, m.lock, m.key, node.seq, m);
      return;
    }
    case LockOp::zk_check: {
      LockKeyState& key = key_state(m.lock, m.key);
      bool exists = std::any_of(key.zk_nodes.begin(), key.zk_nodes.end(),
                                [&](const ZkNode& n) { return n.seq == m.seq; });
      if (exists) {
        zk_position(ctx, m.lock, m.key, m.seq, m);
      } else {
        LockMessage reply = m;
        reply.op = LockOp::zk_expired;
        send(ctx, ev::lock_client_message, reply, network);
      }
      return;
    }
    case LockOp::zk_delete: {
      LockKeyState& key = key_state(m.lock, m.key);
      if (std::any_of(key.zk_nodes.begin(), key.zk_nodes.end(), [&](const ZkNode& n) { return n.seq == m.seq; }))
        zk_remove_node(ctx, m.lock, m.key, m.seq, false);
      return;
    }
    case LockOp::zk_ping: {
      LockKeyState& key = key_state(m.lock, m.key);
      for (ZkNode& node : key.zk_nodes)
        if (node.seq == m.seq) {
          node.last_heard_ns = now;
          return;
        }
      LockMessage reply = m;   // the session is gone: the client learns it now
      reply.op = LockOp::zk_expired;
      send(ctx, ev::lock_client_message, reply, network);
      return;
    }
    default: PG_ASSERT(false, "not a server request");
  }
}

void Locks::on_client_message(ModelContext& ctx, uint32_t message_id, const Event& event) {
  PG_ASSERT(messages_.occupied(message_id), "a lock client message that was already read");
  LockMessage m = messages_[message_id];
  auto drop = [&]() { messages_.free(message_id); };
  if (!clients_.live(m.slot, m.slot_generation)) return drop();
  LockClient& c = clients_[m.slot];
  if (holder_dead(ctx, c)) {   // the process is gone: nobody reads this
    drop();
    c.process_dead = true;
    if (c.phase != LockPhase::holding) fail_flow(ctx, m.slot, FailReason::crashed);
    return;
  }
  time_ns until;
  if (holder_paused(ctx, c, until)) {   // read when the process runs again
    note_pause(ctx, m.slot, until);
    ctx.kernel.schedule(until, event.kind, event.a, event.b);
    return;
  }
  drop();
  LockState& lock = locks_[c.lock];
  switch (m.op) {
    case LockOp::set_reply:
      if (c.phase != LockPhase::acquiring || m.round != c.round) return;   // a late answer: the lease just times out
      ++c.answered;
      if (m.ok && lock.kind == LockKind::redis && lock.spec.replica_wait > 0 && m.value < lock.spec.replica_wait) {
        ++lock.stats.wait_timeouts;   // the SET worked, but WAIT found too few replicas with it: not safe to use
      } else if (m.ok) {
        ++c.yes;
        c.token = std::max(c.token, m.token);
      }
      if (c.yes >= quorum(lock) || c.answered == targets(lock).count) decide_round(ctx, m.slot);
      return;
    case LockOp::zk_position:
    case LockOp::zk_watch:
    case LockOp::zk_expired: return on_zookeeper_reply(ctx, m);
    case LockOp::read_reply:
      if (c.phase != LockPhase::reading) return;
      ctx.flow(c.flow).lock_read_stock = m.value;
      c.phase = LockPhase::holding;
      ctx.flow_continue(c.flow, false);
      return;
    case LockOp::write_reply:
      if (c.phase != LockPhase::writing) return;
      if (!m.ok && m.value == 2) ++lock.stats.sold_out;
      finish_release(ctx, m.slot);
      return;
    default: PG_ASSERT(false, "not a client message");
  }
}

// What a ZooKeeper client hears: its node's position (first: it holds the lock), a watch firing on its
// predecessor (check again), or that its session expired.
void Locks::on_zookeeper_reply(ModelContext& ctx, const LockMessage& m) {
  LockClient& c = clients_[m.slot];
  LockState& lock = locks_[c.lock];
  switch (m.op) {
    case LockOp::zk_position:
      if (c.phase != LockPhase::zk_waiting) return;
      c.zk_seq = m.seq;
      if (m.ok) {
        LockKeyState& key = key_state(c.lock, c.key);
        if (m.seq < key.last_granted_seq) ++lock.stats.fifo_violations;
        key.last_granted_seq = std::max(key.last_granted_seq, m.seq);
        grant(ctx, m.slot, m.seq);
      } else if (m.value == 1) {
        ++lock.stats.spurious_wakeups;   // woken, but its predecessor was a waiter that left: watch the next one
      }
      return;
    case LockOp::zk_watch: {
      if (c.phase != LockPhase::zk_waiting) return;
      LockMessage check = client_message(m.slot, LockOp::zk_check);
      check.seq = c.zk_seq;
      check.value = 1;   // marks the answer as following a wake-up
      send(ctx, ev::lock_server_message, check, network_ns(c.lock));
      return;
    }
    case LockOp::zk_expired:
      c.session_expired = true;
      if (c.phase == LockPhase::zk_waiting) {
        ++lock.stats.gave_up;
        fail_flow(ctx, m.slot, FailReason::lock_gave_up);
      }
      // A holder learns nothing here that stops it: it is already past its check (the point of fencing).
      return;
    default: PG_ASSERT(false, "not a ZooKeeper reply");
  }
}

void Locks::on_store_message(ModelContext& ctx, uint32_t message_id) {
  PG_ASSERT(messages_.occupied(message_id), "a store message that was already read");
  LockMessage m = messages_[message_id];
  messages_.free(message_id);
  LockState& lock = locks_[m.lock];
  LockKeyState& key = key_state(m.lock, m.key);
  auto sale = [&]() {
    ++key.sales;
    if ((int64_t)key.sales > key.initial) ++lock.stats.oversold;
    else ++lock.stats.sold;
  };
  LockMessage reply = m;
  switch (m.op) {
    case LockOp::store_read:
      // A fencing store remembers the highest token of any request, so a holder that read under a newer token
      // makes every older holder's write stale (Kleppmann's storage-side check).
      if (lock.spec.fencing) key.max_token = std::max(key.max_token, m.token);
      reply.op = LockOp::read_reply;
      reply.value = key.stock;
      break;
    case LockOp::store_write:
      reply.op = LockOp::write_reply;
      if (lock.spec.fencing && m.token < key.max_token) {
        ++lock.stats.stale_rejected;
        reply.ok = false;
        reply.value = 1;
        log_limited(ctx, m.lock, log_stale,
                    "the store rejected a stale write to " + key_name(m.lock, m.key) + " (token " +
                        std::to_string(m.token) + " < " + std::to_string(key.max_token) + ")");
        break;
      }
      if (lock.spec.fencing) key.max_token = std::max(key.max_token, m.token);
      lock.stats.lost_updates += m.value - key.stock;   // decrements this write overwrites
      key.stock = m.value - 1;
      sale();
      reply.ok = true;
      break;
    case LockOp::store_decrement:
      reply.op = LockOp::write_reply;
      if (key.stock > 0) {
        --key.stock;
        sale();
        reply.ok = true;
      } else {
        reply.ok = false;
        reply.value = 2;
      }
      break;
    default: PG_ASSERT(false, "not a store request");
  }
  send(ctx, ev::lock_client_message, reply, network_ns(m.lock));
}

// ---- leases (redis, redlock) ----------------------------------------------------------------------------------------

void Locks::schedule_lease_check(ModelContext& ctx, uint32_t lock_id, uint32_t instance, uint32_t key, RedisEntry& lease) {
  if (lease.expires_ns == time_never) return;   // no expiry (ttl_ms 0): nothing to check, even after a drift
  const LockServer& server = locks_[lock_id].servers[instance];
  // The real time at which the instance's clock reaches the expiry, at its current rate.
  double local_left = (double)(lease.expires_ns - server.clock_base_local_ns);
  time_ns at = server.clock_base_real_ns + (time_ns)(local_left / server.clock_rate) + 1;
  at = std::max(at, ctx.now() + 1);
  lease.check_at_ns = at;
  ctx.kernel.schedule(at, ev::lock_lease_check, lock_id << 8 | instance, key);
}

void Locks::on_lease_check(ModelContext& ctx, uint32_t lock_id, uint32_t instance, uint32_t key) {
  const LockState& lock = locks_[lock_id];
  if (replicated(lock) && instance != lock.primary) return;   // a replica expires nothing itself
  LockServer& server = locks_[lock_id].servers[instance];
  RedisEntry* lease = server.leases.find(key);
  if (!lease || lease->check_at_ns != ctx.now()) return;   // superseded
  if (server.leases.expired(key, server.local_ns(ctx.now()))) remove_lease(ctx, lock_id, instance, key, true);
  else schedule_lease_check(ctx, lock_id, instance, key, *lease);
}

void Locks::remove_lease(ModelContext& ctx, uint32_t lock_id, uint32_t instance, uint32_t key, bool expired) {
  LockState& lock = locks_[lock_id];
  LockServer& server = lock.servers[instance];
  const RedisEntry* lease = server.leases.find(key);
  if (!lease) return;
  uint64_t owner = lease->value;
  server.leases.erase(key);
  lease_removed(ctx, lock_id, instance, key, owner, expired);
  // The primary's expiry reaches its replicas as a DEL (Redis propagates expiries so).
  if (replicated(lock) && instance == lock.primary && !server.crashed) replicate(ctx, lock_id, key, nullptr);
}

void Locks::lease_removed(ModelContext& ctx, uint32_t lock_id, uint32_t instance, uint32_t key, uint64_t owner,
                          bool expired) {
  LockState& lock = locks_[lock_id];
  LockServer& server = lock.servers[instance];
  LockClient* c = client_of(owner);
  bool live = c != nullptr;
  if (expired) {
    LockExpiry expiry;
    expiry.key = key;
    expiry.instance = instance;
    expiry.at_ns = ctx.now();
    if (live && c->believing) {
      expiry.holder_flow = c->flow;
      time_ns until;
      expiry.holder_paused = holder_paused(ctx, *c, until);
    }
    lock.expiries.push(expiry);
  }
  if (!live) return;
  if (c->leases_held > 0) --c->leases_held;
  if (c->believing && !c->lost && c->leases_held < quorum(lock)) {
    c->lost = true;
    ++lock.stats.expired_while_held;
    if (LockInterval* interval = lock.intervals.find(c->interval)) interval->expired_while_held = true;
    time_ns until;
    bool paused = holder_paused(ctx, *c, until);
    if (paused) note_pause(ctx, c->self, until);
    std::string how = expired ? "expired" : server.crashed ? "was lost with a crashed instance" : "was deleted";
    log_limited(ctx, lock_id, log_expiry,
                "lock " + key_name(lock_id, key) + " " + how + " while its holder (" + client_name(ctx, *c) + ") " +
                    (paused ? "was paused" : "still worked under it"));
  }
}

// ---- zookeeper ----------------------------------------------------------------------------------------------------

// Answers a create or a check: the lowest node holds the lock; any other watches the node just before it, so a
// deletion wakes exactly one client (no herd; ZooKeeper recipes, "Locks"). With recipe herd every waiter watches the
// lowest node instead, so each release wakes them all and all but one go back to waiting (the herd effect).
void Locks::zk_position(ModelContext& ctx, uint32_t lock_id, uint32_t key_id, uint64_t seq, const LockMessage& request) {
  LockKeyState& key = key_state(lock_id, key_id);
  LockMessage reply = request;
  reply.op = LockOp::zk_position;
  reply.seq = seq;
  for (size_t i = 0; i < key.zk_nodes.size(); ++i) {
    if (key.zk_nodes[i].seq != seq) continue;
    reply.ok = i == 0;
    const bool herd = locks_[lock_id].spec.recipe == LockRecipe::herd;
    key.zk_nodes[i].watching = i == 0 ? 0 : key.zk_nodes[herd ? 0 : i - 1].seq;
    break;
  }
  send(ctx, ev::lock_client_message, reply, network_ns(lock_id));
}

void Locks::zk_remove_node(ModelContext& ctx, uint32_t lock_id, uint32_t key_id, uint64_t seq, bool session_expired) {
  LockState& lock = locks_[lock_id];
  LockKeyState& key = key_state(lock_id, key_id);
  auto it = std::find_if(key.zk_nodes.begin(), key.zk_nodes.end(), [&](const ZkNode& n) { return n.seq == seq; });
  if (it == key.zk_nodes.end()) return;
  ZkNode node = *it;
  if (it == key.zk_nodes.begin()) ++lock.stats.zk_releases;   // the holder's node: a release (or its session ended)
  key.zk_nodes.erase(it);
  lock.zk_node_key.erase(seq);
  ++lock.stats.zk_deletes;
  LockClient* c = client_of(node.owner);
  bool live = c != nullptr;
  if (session_expired) {
    ++lock.stats.session_expiries;
    LockExpiry expiry;
    expiry.key = key_id;
    expiry.at_ns = ctx.now();
    expiry.session = true;
    time_ns until = 0;
    if (live && c->believing) {
      expiry.holder_flow = c->flow;
      expiry.holder_paused = holder_paused(ctx, *c, until);
    }
    lock.expiries.push(expiry);
    if (live && c->believing && !c->lost) {
      c->lost = true;
      ++lock.stats.expired_while_held;
      if (LockInterval* interval = lock.intervals.find(c->interval)) interval->expired_while_held = true;
      if (expiry.holder_paused) note_pause(ctx, c->self, until);
      log_limited(ctx, lock_id, log_expiry,
                  "the ZooKeeper session of the holder of " + key_name(lock_id, key_id) + " (" +
                      client_name(ctx, *c) + ") expired" + (expiry.holder_paused ? " while it was paused" : "") +
                      ": its node is deleted and the next waiter gets the lock");
    }
  }
  for (ZkNode& watcher : key.zk_nodes) {
    if (watcher.watching != seq) continue;
    watcher.watching = 0;
    ++lock.stats.wakeups;
    LockMessage notify;
    notify.op = LockOp::zk_watch;
    notify.lock = lock_id;
    notify.key = key_id;
    notify.slot = slot_of(watcher.owner);
    notify.slot_generation = generation_of(watcher.owner);
    notify.seq = watcher.seq;
    send(ctx, ev::lock_client_message, notify, network_ns(lock_id));
    if (lock.spec.recipe == LockRecipe::predecessor) break;   // one watcher per node; the herd all watch one node
  }
}

bool Locks::zk_quorum(const LockState& lock) const {
  uint32_t up = 0;
  for (const LockServer& server : lock.servers) up += server.crashed ? 0 : 1;
  return up > lock.servers.size() / 2;
}

void Locks::on_session_check(ModelContext& ctx, uint32_t lock_id, uint64_t seq) {
  LockState& lock = locks_[lock_id];
  if (!zk_quorum(lock)) return;   // no leader, no expiry: every session gets a fresh timeout when the quorum is back
  auto where = lock.zk_node_key.find(seq);
  if (where == lock.zk_node_key.end()) return;
  uint32_t key_id = where->second;
  LockKeyState& key = key_state(lock_id, key_id);
  for (const ZkNode& node : key.zk_nodes) {
    if (node.seq != seq) continue;
    time_ns deadline = node.last_heard_ns + ms_to_ns(lock.spec.session_timeout_ms);
    if (ctx.now() >= deadline) zk_remove_node(ctx, lock_id, key_id, seq, true);
    else ctx.kernel.schedule(deadline, ev::lock_session_check, lock_id, seq);
    return;
  }
}

// ---- faults and interventions -------------------------------------------------------------------------------------

void Locks::apply_set(ModelContext& ctx, const ParameterRef& ref, const FaultSpec& fault) {
  set_field_number(lock_fields()[ref.field], locks_[ref.item].spec, fault.value);
  ctx.log("set " + fault.path + " = " + std::to_string(fault.value));
}

// A lock server's crash (begin) or restart: without persistence its keys are lost, and after a restart it stays
// silent for restart_delay_ms (Redis' delayed restart, the Redlock article's fix for lost keys).
PG_COLD_CODE void Locks::crash_server(ModelContext& ctx, uint32_t lock_id, uint32_t i, bool begin) {
  LockState& lock = locks_[lock_id];
  LockServer& server = lock.servers[i];
  const time_ns now = ctx.now();
  if (lock.kind == LockKind::zookeeper) {
    // A minority of the ensemble down changes nothing a client sees (its client moves to another server). Without a
    // majority there is no leader: nothing is answered and no session expires; when a majority is back, the new
    // leader gives every session a fresh timeout and the requests that waited are answered.
    if (begin == server.crashed) return;
    const bool had = zk_quorum(lock);
    server.crashed = begin;
    const bool has = zk_quorum(lock);
    uint32_t up = 0;
    for (const LockServer& s : lock.servers) up += s.crashed ? 0 : 1;
    const std::string count = std::to_string(up) + " of " + std::to_string(lock.servers.size());
    if (had && !has) {
      lock.zk_down_since_ns = now;
      ctx.log(server.name + " crashed: the ZooKeeper ensemble has " + count + " servers up, no quorum, and stops answering");
    } else if (!had && has) {
      lock.stats.zk_unavailable_ns += now - lock.zk_down_since_ns;
      ctx.log(server.name + " is back: the ZooKeeper ensemble has its quorum again and every session a fresh timeout");
      for (auto& [key_id, key] : lock.keys)
        for (ZkNode& node : key.zk_nodes) {
          node.last_heard_ns = now;
          ctx.kernel.schedule_after(ms_to_ns(lock.spec.session_timeout_ms), ev::lock_session_check, lock_id, node.seq);
        }
      for (uint32_t message : lock.zk_deferred) ctx.kernel.schedule(now, ev::lock_server_message, message);
      lock.zk_deferred.clear();
    } else {
      ctx.log(server.name + (begin ? " crashed" : " is back") + ": the ZooKeeper ensemble has " + count +
              " servers up and keeps answering");
    }
    return;
  }
  if (begin && !server.crashed) {
    server.crashed = true;
    ++server.life;   // replication it sent and that is still on its way is lost
    ctx.log(server.name + " crashed" + (lock.spec.persistence ? " (its keys are on disk)" : ", losing its keys"));
    if (replicated(lock)) {
      if (i == lock.primary) {
        // Held SET replies are never sent; whether a holder lost its key is decided when a replica is promoted (or
        // when this one comes back first).
        for (const PendingWait& wait : lock.waits) messages_.free(wait.message);
        lock.waits.clear();
        if (!lock.spec.persistence) drop_leases(lock, i);
        ctx.log("Sentinel will promote a replica of " + server.name + " in " +
                std::to_string((int64_t)lock.spec.failover_ms) + " ms unless it comes back");
        ctx.kernel.schedule_after(ms_to_ns(lock.spec.failover_ms), ev::lock_failover, lock_id, server.life);
      } else if (!lock.spec.persistence) {
        server.leases.clear();   // a replica's copy is nobody's lease
      }
    } else if (!lock.spec.persistence) {
      std::vector<uint32_t> keys;
      for (const auto& entry : server.leases) keys.push_back(entry.first);
      for (uint32_t key : keys) remove_lease(ctx, lock_id, i, key, false);
    }
  } else if (!begin && server.crashed) {
    server.crashed = false;
    server.silent_until_ns = now + ms_to_ns(lock.spec.restart_delay_ms);
    ctx.log(server.name + " restarted" + (lock.spec.persistence ? " with its keys" : " empty") +
              (lock.spec.restart_delay_ms > 0
                   ? ", silent for " + std::to_string((int64_t)lock.spec.restart_delay_ms) + " ms"
                   : ""));
    if (replicated(lock)) {
      if (i == lock.primary) {
        // Back before the failover, still the primary: its replicas copy it again, so a primary that restarts
        // empty empties them too (the Redis docs' warning about restarting a master without persistence).
        if (!lock.spec.persistence) check_lost_holders(ctx, lock_id, "was lost with a crashed instance");
        for (uint32_t r = 0; r < lock.servers.size(); ++r)
          if (r != i && !lock.servers[r].crashed) full_resync(lock, r);
      } else if (!lock.servers[lock.primary].crashed) {
        full_resync(lock, i);   // a replica, or the old primary Sentinel turned into one: it copies the primary
      }
    }
  }
}

PG_COLD_CODE bool Locks::apply_fault(ModelContext& ctx, const FaultSpec& fault, bool begin) {
  // Targets: "lock/i" or "lock" (every instance).
  uint32_t lock_id = no_id, first = 0, count = 0;
  for (uint32_t l = 0; l < locks_.size() && lock_id == no_id; ++l) {
    const LockState& lock = locks_[l];
    if (fault.target == lock.spec.name) {
      lock_id = l;
      count = (uint32_t)lock.servers.size();
    }
    for (uint32_t i = 0; i < lock.servers.size(); ++i)
      if (fault.target == lock.servers[i].name) {
        lock_id = l;
        first = i;
        count = 1;
      }
  }
  if (lock_id == no_id) return false;
  LockState& lock = locks_[lock_id];
  time_ns now = ctx.now();
  if (count == 0) {
    if (begin) ctx.log("lock " + lock.spec.name + " has no instances (kind " + lock_kind_words[(int)lock.spec.kind] + "); fault ignored");
    return true;
  }
  for (uint32_t i = first; i < first + count; ++i) {
    LockServer& server = lock.servers[i];
    switch (fault.kind) {
      case FaultKind::crash: crash_server(ctx, lock_id, i, begin); break;
      case FaultKind::pause:
        if (begin) {
          server.paused_until_ns = std::max(server.paused_until_ns, now + ms_to_ns(fault.for_ms));
          ctx.log(server.name + " paused for " + std::to_string((int64_t)fault.for_ms) + " ms");
        }
        break;
      case FaultKind::clock_drift: {
        server.clock_base_local_ns = server.local_ns(now);
        server.clock_base_real_ns = now;
        server.clock_rate = begin ? fault.factor : 1.0;
        for (const auto& entry : server.leases)
          schedule_lease_check(ctx, lock_id, i, entry.first, *server.leases.find(entry.first));
        ctx.log(server.name + (begin ? "'s clock runs at x" + std::to_string(fault.factor).substr(0, 5)
                                       : "'s clock runs at the right rate again"));
        break;
      }
      default:
        if (begin) ctx.log("fault kind not modelled for lock instance " + server.name + "; ignored");
        break;
    }
  }
  return true;
}

// ---- metrics, report, views ---------------------------------------------------------------------------------------

void Locks::sample(ModelContext&, time_ns interval_ns) {
  double seconds = ns_to_s(interval_ns);
  for (LockState& lock : locks_) {
    LockSeries& s = lock.series;
    s.waiters.push(lock.waiters);
    s.holders.push(lock.holders);
    s.ops_per_s.push((double)(lock.stats.ops - s.ops_before) / seconds);
    s.acquired_per_s.push((double)(lock.stats.acquired - s.acquired_before) / seconds);
    s.sold.push((double)lock.stats.sold);
    s.oversold.push((double)lock.stats.oversold);
    s.overlaps.push((double)lock.stats.overlaps);
    s.ops_before = lock.stats.ops;
    s.acquired_before = lock.stats.acquired;
  }
}

PG_COLD_CODE nlohmann::json Locks::report(const ModelContext& ctx) const {
  nlohmann::json out = nlohmann::json::object();
  double elapsed_s = std::max(ns_to_s(ctx.now()), 1e-9);
  for (const LockState& lock : locks_) {
    const LockStats& s = lock.stats;
    int64_t initial_total = (int64_t)key_count_ * lock.spec.stock_per_key;
    ReportObject o;
    o.put("kind", lock_kind_words[(int)lock.spec.kind]).put("acquired", s.acquired).put("gave_up", s.gave_up);
    o.put("overlaps", s.overlaps).round("overlap_ms", ns_to_ms(s.overlap_ns));
    o.put("expired_while_held", s.expired_while_held).put("stale_rejected", s.stale_rejected).put("sold", s.sold);
    o.put("oversold", s.oversold).put("sold_out", s.sold_out).put("remaining", initial_total - (int64_t)s.sold);
    o.put("store_remaining", store_remaining(lock)).put("lost_updates", s.lost_updates);
    o.put("acquire_ms", histogram_ms_json(s.acquire)).put("ops", s.ops).round("ops_per_s", (double)s.ops / elapsed_s);
    o.put("waiters", lock.waiters).put("holders", lock.holders);
    if (lock.kind == LockKind::redis || lock.kind == LockKind::redlock)
      o.put("foreign_deletes", s.foreign_deletes).put("third_holders", s.third_holders);
    if (lock.kind == LockKind::redlock) o.put("quorum_failures", s.quorum_failures);
    if (replicated(lock))
      o.put("failovers", s.failovers).put("lost_in_failover", s.lost_in_failover).put("wait_timeouts", s.wait_timeouts);
    if ((lock.kind == LockKind::redis || lock.kind == LockKind::redlock) &&
        (lock.spec.renew_every_ms > 0 || s.renewals > 0))
      o.put("renewals", s.renewals);
    if ((lock.kind == LockKind::redis || lock.kind == LockKind::redlock) &&
        (lock.spec.check_validity || s.validity_aborts > 0))
      o.put("validity_aborts", s.validity_aborts);
    if (lock.kind == LockKind::zookeeper) {
      time_ns down = s.zk_unavailable_ns + (zk_quorum(lock) ? 0 : ctx.now() - lock.zk_down_since_ns);
      o.put("releases", s.zk_releases).round("unavailable_ms", ns_to_ms(down));
      o.round("wakeups_per_release", s.zk_releases ? (double)s.wakeups / (double)s.zk_releases : 0.0);
      o.put("wakeups", s.wakeups).put("spurious_wakeups", s.spurious_wakeups).put("node_deletes", s.zk_deletes);
      o.put("session_expiries", s.session_expiries).put("fifo_violations", s.fifo_violations);
    }
    out[lock.spec.name] = o.take();
  }
  return out;
}

PG_COLD_CODE nlohmann::json Locks::series_report() const {
  nlohmann::json out = nlohmann::json::object();
  for (const LockState& lock : locks_) {
    const LockSeries& s = lock.series;
    ReportObject o;
    o.put("waiters", series_json(s.waiters)).put("holders", series_json(s.holders)).put("ops_per_s", series_json(s.ops_per_s));
    o.put("acquired_per_s", series_json(s.acquired_per_s)).put("sold", series_json(s.sold));
    o.put("oversold", series_json(s.oversold)).put("overlaps", series_json(s.overlaps));
    out[lock.spec.name] = o.take();
  }
  return out;
}

void Locks::check_invariants(const ModelContext&) const {
  clients_.check_consistent();
  messages_.check_consistent();
  for (const LockState& lock : locks_) {
    uint64_t believers = 0, waiters = 0, sales = 0;
    for (const auto& [key, state] : lock.keys) {
      believers += state.believers.size();
      waiters += state.waiters;
      sales += state.sales;
      for (uint32_t slot : state.believers) PG_ASSERT(clients_.occupied(slot), "a lock believer has ended");
    }
    PG_ASSERT(believers == lock.holders, "a lock's holders differ from its keys' believers");
    PG_ASSERT(waiters == lock.waiters, "a lock's waiters differ from its keys' waiters");
    PG_ASSERT(sales == lock.stats.sold + lock.stats.oversold, "the store's sales differ from sold + oversold");
  }
}

std::vector<uint32_t> Locks::holders(uint32_t lock_id, uint32_t key) const {
  std::vector<uint32_t> flows;
  const LockState& lock = locks_[lock_id];
  auto it = lock.keys.find(key);
  if (it == lock.keys.end()) return flows;
  for (uint32_t slot : it->second.believers) flows.push_back(clients_[slot].flow);
  return flows;
}

std::vector<uint32_t> Locks::waiters(uint32_t lock_id, uint32_t key) const {
  std::vector<const LockClient*> waiting;
  for (const LockClient& c : clients_.slots())
    if (c.live && c.waiting && c.lock == lock_id && c.key == key) waiting.push_back(&c);
  std::stable_sort(waiting.begin(), waiting.end(), [](const LockClient* a, const LockClient* b) {
    return a->acquire_start_ns < b->acquire_start_ns || (a->acquire_start_ns == b->acquire_start_ns && a->self < b->self);
  });
  std::vector<uint32_t> flows;
  for (const LockClient* c : waiting) flows.push_back(c->flow);
  return flows;
}

// What the store's own counts add up to: a lost update leaves a key showing stock that was already sold, so this
// is above `remaining` (initial stock minus true sales) by lost_updates - oversold.
int64_t Locks::store_remaining(const LockState& lock) const {
  int64_t total = ((int64_t)key_count_ - (int64_t)lock.keys.size()) * lock.spec.stock_per_key;   // never touched
  for (const auto& entry : lock.keys) total += entry.second.stock;
  return total;
}

int64_t Locks::stock(uint32_t lock_id, uint32_t key) const {
  const LockState& lock = locks_[lock_id];
  auto it = lock.keys.find(key);
  return it == lock.keys.end() ? lock.spec.stock_per_key : it->second.stock;
}

}  // namespace pg
