// Distributed locks: lock services (none, redis, redlock, zookeeper, atomic), the clients that use them inside
// request flows, the inventory store they protect, and a history checker that counts what went wrong.
//
// The model, per lock step of a flow (acquire, run the step's `inside` steps, decrement the key's stock, release):
// - The client runs in the process of the flow's home service instance at the time of the acquire ("order#1").
//   While that process is paused (a GC pause) none of its client steps happen; they run when the pause ends. While
//   the lock service's clocks keep running, so a lease can expire under a paused holder (Kleppmann, "How to do
//   distributed locking", 2016). A crashed holder process never releases: its lease ends by TTL or session expiry.
// - Every message between a client and a lock server or the store takes network_ms one way.
// - redis: SET key value NX PX ttl on one instance; release by compare-and-delete (the Lua script of the Redis
//   docs, "SET" and "Distributed locks with Redis") or, with release "del", by a plain DEL that deletes whoever
//   holds the key. ttl_ms 0 is SETNX without EXPIRE: the key never expires, so a holder whose process crashes
//   holds it forever and every later client waits until it gives up. acquire.retry_ms 0 is a busy spin: a client
//   asks again as soon as it hears "taken", one lock-server operation per round trip (the report's ops_per_s).
//   redlock: the same on N independent instances; granted with a majority within the validity time
//   ttl - elapsed - drift, else unlock all and retry (antirez, "Distributed locks with Redis"). Instance crashes
//   lose the keys unless persistence is on; restart_delay_ms keeps a restarted instance silent (antirez's fix).
// - zookeeper: the lock recipe of the ZooKeeper docs ("Recipes and Solutions: Locks"): an ephemeral sequential node
//   per waiter, each watching its predecessor, so grants are FIFO and a release wakes exactly one client. Clients
//   ping every session_timeout/3; a client not heard for session_timeout_ms loses its session and its node.
// - none: read, check, write with no lock. atomic: no lock; the store decrements only while stock > 0, atomically.
// - The store keeps per key: stock (starting at stock_per_key), the true number of sales, and the highest fencing
//   token seen. A holder reads the stock after its grant and writes read - 1 at release (read-modify-write). With
//   fencing the store remembers the highest token of any read or write and rejects a write with an older token
//   (stale_rejected); the flow then completes without a sale ("not sold": it was told to try again).
// The report's remaining is the initial stock minus the true sales; store_remaining is what the store's own counts
// add up to, which a lost update leaves too high (store_remaining = remaining + lost_updates - oversold).
// Invariants: sold + remaining = key_count * stock_per_key, sold + oversold = the true sales, oversold counts sales
// beyond a key's initial stock; an overlap is a pair of flows whose belief intervals (from the grant they saw to the
// release they sent) intersect for one key, counted once when the later one starts; memory is bounded (rings).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/kernel/event_queue.hpp"
#include "engine/run/model.hpp"
#include "engine/run/flow.hpp"
#include "engine/kernel/histogram.hpp"
#include "engine/kernel/metrics.hpp"
#include "engine/kernel/random.hpp"
#include "engine/scenario/parameter_path.hpp"
#include "engine/scenario/scenario.hpp"
#include "engine/kernel/slot_pool.hpp"
#include "engine/models/locks/redis_keyspace.hpp"

namespace pg {


// A fixed-capacity ring of the most recent records; each push gets a running index so an open record (an interval
// still held) can be found and closed later if it is still kept.
template <typename T>
class RecentRing {
 public:
  explicit RecentRing(uint32_t capacity = 256) : capacity_(capacity) {}
  uint64_t push(const T& item) {
    if (items_.size() < capacity_) items_.push_back(item);
    else items_[pushed_ % capacity_] = item;
    return pushed_++;
  }
  uint64_t size() const { return items_.size(); }
  uint64_t pushed() const { return pushed_; }
  // i = 0 is the oldest kept record.
  const T& at(uint64_t i) const { return items_[(pushed_ - size() + i) % capacity_]; }
  // The record pushed with this running index, or null when it has been overwritten.
  T* find(uint64_t index) {
    if (index >= pushed_ || pushed_ - index > items_.size()) return nullptr;
    return &items_[index % capacity_];
  }

 private:
  uint32_t capacity_;
  std::vector<T> items_;
  uint64_t pushed_ = 0;
};

// One holder's belief that it holds a key: from the grant it received until it sent its release (or ended).
struct LockInterval {
  uint32_t key = 0;
  uint32_t flow = no_id;
  uint32_t holder_instance = no_id;   // service instance of the holder's process (no_id: an outside client)
  uint64_t token = 0;                 // the fencing token of the grant
  time_ns start_ns = 0;
  time_ns end_ns = time_never;        // time_never while held
  bool expired_while_held = false;    // its lease (or majority, or session) ended before it let go
  bool overlapped = false;            // another flow believed it held the key at some time in the interval
};

struct LockExpiry {
  uint32_t key = 0;
  uint32_t instance = 0;              // lock server instance
  time_ns at_ns = 0;
  uint32_t holder_flow = no_id;       // the flow still believing it held the lease, or no_id
  bool holder_paused = false;
  bool session = false;               // a ZooKeeper session expiry rather than a TTL
};

struct LockPause {
  uint32_t key = 0;
  uint32_t flow = no_id;
  uint32_t holder_instance = no_id;
  time_ns from_ns = 0, until_ns = 0;
};

// One Redis instance (a redis lock's primary or one of its replicas, a Redlock instance), or the ZooKeeper ensemble
// (modelled as one always-available service).
struct LockServer {
  std::string name;                   // "inventory/2"
  bool crashed = false;
  uint32_t life = 0;                  // crashes so far: replication it sent in an earlier life never arrives
  uint64_t offset = 0;                // replication offset: writes a primary sent, or the last one a replica applied
  time_ns paused_until_ns = 0;
  time_ns silent_until_ns = 0;        // restarted, but keeping silent (restart_delay_ms)
  double clock_rate = 1;              // clock_drift factor: local seconds per real second
  time_ns clock_base_real_ns = 0, clock_base_local_ns = 0;
  RedisKeyspace leases;               // key -> lease (redis, redlock): engine/models/locks/redis_keyspace.hpp
  uint64_t ops = 0;
  time_ns local_ns(time_ns real_ns) const {
    return clock_base_local_ns + (time_ns)((double)(real_ns - clock_base_real_ns) * clock_rate);
  }
};

struct ZkNode {
  uint64_t seq = 0;                   // the sequential node's number: also the fencing token (like a zxid)
  uint64_t owner = 0;                 // slot << 32 | generation of the client that created it
  time_ns last_heard_ns = 0;
  uint64_t watching = 0;              // seq of the predecessor this node's client watches (0: none)
};

struct LockKeyState {
  // the store
  int64_t initial = 0;                // stock_per_key when the key was first used
  int64_t stock = 0;
  uint64_t sales = 0;                 // true units handed to buyers
  uint64_t max_token = 0;             // highest fencing token seen
  // the checker
  std::vector<uint32_t> believers;    // client slots that believe they hold the key
  uint32_t waiters = 0;
  time_ns overlap_since_ns = 0;
  uint64_t last_granted_seq = 0;      // zookeeper: for the FIFO check
  // zookeeper: the children of the lock node, in sequence order
  std::vector<ZkNode> zk_nodes;
};

struct LockStats {
  uint64_t acquired = 0, gave_up = 0, overlaps = 0, stale_rejected = 0, sold = 0, oversold = 0, sold_out = 0;
  uint64_t failovers = 0, lost_in_failover = 0, wait_timeouts = 0, renewals = 0, zk_releases = 0;
  uint64_t validity_aborts = 0;       // holders that found the validity over by their clock and did not write
  time_ns zk_unavailable_ns = 0;      // zookeeper: time without a quorum
  int64_t lost_updates = 0;           // decrements overwritten by a read-modify-write from an older read
  uint64_t expired_while_held = 0, foreign_deletes = 0, third_holders = 0, quorum_failures = 0;
  uint64_t wakeups = 0, spurious_wakeups = 0, zk_deletes = 0, session_expiries = 0, fifo_violations = 0;
  uint64_t ops = 0;                   // operations handled by the lock servers
  time_ns overlap_ns = 0;             // time with two or more believers on a key, summed over keys
  Histogram acquire;                  // from the acquire step to the grant
};

struct LockSeries {
  Series waiters, holders, ops_per_s, acquired_per_s, sold, oversold, overlaps;
  uint64_t ops_before = 0, acquired_before = 0;
};

// A SET NX whose reply the primary holds until WAIT is satisfied: enough replicas applied the write, or the timeout.
struct PendingWait {
  uint64_t id = 0;
  uint64_t offset = 0;                // the write's replication offset
  uint32_t message = no_id;           // the held reply (a message slot, sent when the wait ends)
};

// Everything about one lock of the scenario.
struct LockState {
  LockSpec spec;                      // `set` interventions may change ttl, fencing, timings
  LockKind kind = LockKind::redis;
  std::vector<LockServer> servers;    // redis 1 + replicas, redlock N, zookeeper 1, none/atomic 0
  uint32_t primary = 0;               // redis: the instance clients write to (Sentinel's current master)
  std::vector<PendingWait> waits;     // redis: SET replies held for WAIT
  std::vector<uint32_t> zk_deferred;  // zookeeper: requests that reached an ensemble without a quorum (message ids)
  time_ns zk_down_since_ns = 0;
  uint64_t wait_counter = 0;
  std::map<uint32_t, LockKeyState> keys;   // only the keys used so far
  LockStats stats;
  LockSeries series;
  RecentRing<LockInterval> intervals{256};
  // The latest intervals that overlapped another, copied as they ended: `intervals` keeps only the most recent
  // grants, so after a run jumps past its overlaps the view still finds them here. Not in the report or the trace.
  RecentRing<LockInterval> overlapped_intervals{128};
  RecentRing<LockExpiry> expiries{256};
  RecentRing<LockPause> pauses{64};
  uint64_t token_counter = 0;         // redis INCR / redlock grant counter / zookeeper sequence
  std::map<uint64_t, uint32_t> zk_node_key;   // node seq -> key, for session checks
  uint32_t waiters = 0, holders = 0;
  Rng retry_rng;
  uint32_t log_counts[4] = {0, 0, 0, 0};
};

enum class LockPhase : uint8_t { acquiring, backoff, zk_waiting, reading, holding, writing };

// A client's state for one lock step of one flow.
struct LockClient {
  uint32_t generation = 0;            // the client pool's (engine/kernel/slot_pool.hpp): timers and messages carry it
  bool live = false;
  uint32_t lock = 0, key = 0;
  uint32_t flow = no_id, flow_generation = 0;
  uint32_t outer = no_id;             // the slot of an enclosing lock step of the same flow
  uint32_t holder_instance = no_id;
  uint64_t holder_generation = 0;     // the instance's crash generation at the acquire
  LockPhase phase = LockPhase::acquiring;
  time_ns acquire_start_ns = 0, round_start_ns = 0;
  // In the client process's own clock (InstanceView::local_ns): when its lease started, as far as it knows (the
  // current round's start, then each watchdog renewal it sent). Redlock's validity and check_validity count from it.
  time_ns lease_start_local_ns = 0;
  uint32_t round = 0, attempt = 0, yes = 0, answered = 0;
  uint32_t leases_held = 0;           // instances holding this client's lease (ground truth, for the checker)
  uint64_t token = 0;
  bool waiting = false;               // counted among the waiters
  bool believing = false, lost = false, deleted_by_other = false, session_expired = false, process_dead = false;
  uint64_t interval = 0;
  uint64_t zk_seq = 0;
  time_ns last_pause_until_ns = 0;
  uint32_t self = 0;                  // this slot's index
  uint64_t owner() const { return (uint64_t)self << 32 | generation; }
};

enum class LockOp : uint8_t {
  set_nx, compare_and_delete, del, zk_create, zk_check, zk_delete, zk_ping,   // to a lock server
  renew, replicate,                                                           // to a lock server
  set_reply, zk_position, zk_watch, zk_expired,                               // to a client
  store_read, store_write, store_decrement,                                   // to the store
  read_reply, write_reply,                                                    // from the store
};

// A message in flight: the event that delivers it carries its slot id only (a message is read by that one event
// and freed, or rescheduled whole while its receiver is paused).
struct LockMessage {
  uint32_t generation = 0;            // the message pool's; no event carries it
  bool live = false;
  LockOp op = LockOp::set_nx;
  uint32_t lock = 0, instance = 0, key = 0;
  uint32_t slot = no_id, slot_generation = 0, round = 0;
  uint64_t owner = 0, token = 0, seq = 0;
  int64_t value = 0;
  bool ok = false;
  // replicate (no client involved, so the client fields carry it; the message keeps its size): ok sets the key to
  // owner / token with expiry `value` (ns in the instance's clock), else deletes it; seq is the write's replication
  // offset; slot and slot_generation are the primary that sent it and that primary's life.
};

class Locks final : public Mechanism {
 public:
  const char* name() const override { return "locks"; }
  void init(ModelContext& ctx, const Scenario& scenario) override;
  void handle(ModelContext& ctx, const Event& event) override;
  // Applies (begin = true) or ends a fault aimed at this model; returns false if the target is not one of ours.
  // Targets: "lock/i" (one instance) or "lock" (all): crash, pause, clock_drift; set paths "/locks/lock/field".
  bool apply_fault(ModelContext& ctx, const FaultSpec& fault, bool begin) override;
  // A `set` of one of this model's fields, resolved by engine/scenario/parameter_path.hpp.
  void apply_set(ModelContext& ctx, const ParameterRef& ref, const FaultSpec& fault) override;
  void sample(ModelContext& ctx, time_ns interval_ns) override;
  nlohmann::json report(const ModelContext& ctx) const override;
  // Asserts the bookkeeping the checker's counts rest on (per lock, holders and waiters equal the per-key lists
  // and counts; the store's true sales equal sold + oversold) and the client and message pools'.
  // World::check_invariants calls it.
  void check_invariants(const ModelContext& ctx) const override;
  // A lock step: acquires the lock for the flow's key, then World::flow_continue (or flow_fail on give-up).
  void acquire(ModelContext& ctx, uint32_t flow_id, uint32_t lock_id);
  // After the inside steps: writes the inventory (decrement) and releases, then continues the flow.
  void release(ModelContext& ctx, uint32_t flow_id, uint32_t lock_id);
  // Called by the world when a flow that holds or waits for a lock ends (its lock_slot is set): a finally block
  // that releases (unless the process crashed) and closes its belief interval.
  void flow_ended(ModelContext& ctx, uint32_t flow_id);

  // ---- for the views (const) ----
  const std::vector<LockState>& locks() const { return locks_; }
  // Flows that currently believe they hold `key` of lock `lock_id` (more than one: an overlap in progress).
  std::vector<uint32_t> holders(uint32_t lock_id, uint32_t key) const;
  // Flows waiting to acquire `key`, in the order they started waiting.
  std::vector<uint32_t> waiters(uint32_t lock_id, uint32_t key) const;
  // The store's stock of a key as the store sees it (stock_per_key for a key never touched).
  int64_t stock(uint32_t lock_id, uint32_t key) const;
  // The sum of stock() over every key: the report's store_remaining.
  int64_t store_remaining(const LockState& lock) const;
  // Every client slot, live or free (LockClient::live).
  const std::vector<LockClient>& clients() const { return clients_.slots(); }
  // Series for the report and charts: waiters, holders, ops/s, acquired/s, sold, oversold, overlaps.
  nlohmann::json series_report() const override;

 private:
  uint32_t new_client();
  // The client an owner value (slot << 32 | generation) names, or null when that client has ended.
  LockClient* client_of(uint64_t owner);
  void send(ModelContext& ctx, uint32_t kind, const LockMessage& message, time_ns delay_ns);
  LockKeyState& key_state(uint32_t lock_id, uint32_t key);
  time_ns network_ns(uint32_t lock_id) const;
  // The client process's clock now, and the real time a delay measured on it takes (a clock_drift fault).
  time_ns client_local_ns(const ModelContext& ctx, const LockClient& c) const;
  time_ns client_delay_ns(const ModelContext& ctx, const LockClient& c, time_ns local_delay_ns) const;
  // Redlock's clock drift allowance.
  time_ns drift_ns(const LockState& lock) const;
  bool client_ready(ModelContext& ctx, uint32_t slot, const Event& event);
  bool holder_paused(const ModelContext& ctx, const LockClient& c, time_ns& until_ns) const;
  bool holder_dead(const ModelContext& ctx, const LockClient& c) const;
  std::string client_name(const ModelContext& ctx, const LockClient& c) const;
  std::string key_name(uint32_t lock_id, uint32_t key) const;
  void note_pause(ModelContext& ctx, uint32_t slot, time_ns until_ns);
  void fail_flow(ModelContext& ctx, uint32_t slot, FailReason reason);

  void start_round(ModelContext& ctx, uint32_t slot);
  void decide_round(ModelContext& ctx, uint32_t slot);
  void retry_or_give_up(ModelContext& ctx, uint32_t slot);
  void spin_or_give_up(ModelContext& ctx, uint32_t slot);
  void grant(ModelContext& ctx, uint32_t slot, uint64_t token);
  void begin_belief(ModelContext& ctx, uint32_t slot);
  void end_belief(ModelContext& ctx, uint32_t slot);
  void finish_release(ModelContext& ctx, uint32_t slot);
  void send_unlock_all(ModelContext& ctx, uint32_t slot, LockOp op);

  void on_server_message(ModelContext& ctx, uint32_t message_id, const Event& event);
  void on_key_value_request(ModelContext& ctx, const LockMessage& m);
  void on_zookeeper_request(ModelContext& ctx, const LockMessage& m);
  void on_client_message(ModelContext& ctx, uint32_t message_id, const Event& event);
  void on_zookeeper_reply(ModelContext& ctx, const LockMessage& m);
  LockMessage client_message(uint32_t slot, LockOp op) const;
  void crash_server(ModelContext& ctx, uint32_t lock_id, uint32_t instance, bool begin);
  void on_store_message(ModelContext& ctx, uint32_t message_id);
  void on_lease_check(ModelContext& ctx, uint32_t lock_id, uint32_t instance, uint32_t key);
  void schedule_lease_check(ModelContext& ctx, uint32_t lock_id, uint32_t instance, uint32_t key, RedisEntry& lease);
  void remove_lease(ModelContext& ctx, uint32_t lock_id, uint32_t instance, uint32_t key, bool expired);
  // redis with replicas: ships a change of the primary's key (null: deleted) to every replica.
  void replicate(ModelContext& ctx, uint32_t lock_id, uint32_t key, const RedisEntry* entry);
  void on_replicate(ModelContext& ctx, const LockMessage& m);
  void check_waits(ModelContext& ctx, uint32_t lock_id, bool timeout, uint64_t timeout_id);
  void on_failover(ModelContext& ctx, uint32_t lock_id, uint32_t life);
  // Forgets an instance's keys without the checker (their holders' fate is decided at the failover or restart).
  void drop_leases(LockState& lock, uint32_t instance);
  // A replica's full resync: its keys become a copy of the primary's.
  void full_resync(LockState& lock, uint32_t replica);
  // Holders whose lease no instance holds any more (after a primary came back empty or a failover) lose the lock.
  void check_lost_holders(ModelContext& ctx, uint32_t lock_id, const char* how);
  void on_renew(ModelContext& ctx, const Event& event);
  // The instances a client talks to, [first, first + count): redis, its primary; redlock, every instance.
  struct Targets { uint32_t first = 0, count = 0; };
  Targets targets(const LockState& lock) const;
  uint32_t quorum(const LockState& lock) const;
  // The checker's side of a key that left an instance (already erased): counts a holder's lost lease.
  void lease_removed(ModelContext& ctx, uint32_t lock_id, uint32_t instance, uint32_t key, uint64_t owner,
                     bool expired);
  void zk_position(ModelContext& ctx, uint32_t lock_id, uint32_t key, uint64_t seq, const LockMessage& request);
  void zk_remove_node(ModelContext& ctx, uint32_t lock_id, uint32_t key, uint64_t seq, bool session_expired);
  void on_session_check(ModelContext& ctx, uint32_t lock_id, uint64_t seq);
  // zookeeper: a majority of the ensemble's servers is up.
  bool zk_quorum(const LockState& lock) const;
  void log_limited(ModelContext& ctx, uint32_t lock_id, int category, const std::string& text);

  std::vector<LockState> locks_;
  SlotPool<LockClient> clients_;
  SlotPool<LockMessage> messages_;
  uint32_t key_count_ = 1;
};

}  // namespace pg
