// Every event kind in one list, grouped by the model that handles it, so the dispatcher in world.cpp is one switch
// and a trace hash names kinds by number. Ranges: world 1-31, services 32-63, caches 64-95, locks 96-127,
// queues 128-159. A model may only add kinds inside its own range.
#pragma once
#include <cstdint>
#include <initializer_list>

namespace pg::ev {

enum : uint32_t {
  // world: workload, flows, faults, sampling
  arrival = 1,          // a = 0, b = arrival generation (stale after a rate change)
  sample = 2,           // the time-series tick
  fault_begin = 3,      // a = index into the fault list (faults then interventions)
  fault_end = 4,        // a = index
  flow_resume = 5,      // a = flow id, b = flow generation: continue a flow (after a retry backoff or a pause)
  end_of_run = 6,
  rate_change = 7,      // a = index of the schedule point

  // services
  job_done = 32,        // a = job id, b = job epoch
  job_timeout = 33,     // a = job id, b = job generation
  instance_resume = 34, // a = instance: the end of a pause
  call_arrive = 35,     // a = job id, b = job generation: a call crossed the network to its instance
  call_reply = 36,      // a = job id, b = job generation: the answer crossed the network back to the caller
  job_deadline = 37,    // a = job id, b = job generation: the calling request's deadline passed while it waited
  hedge_due = 38,       // a = job id, b = job generation: the attempt has not answered in hedge/after_ms
  service_first = 32,
  service_last = 63,

  // caches
  cache_lookup_done = 64,  // a = flow id, b = flow generation | node id << 32 | node epoch (low 16 bits) << 48
  caches_first = 64,
  caches_last = 95,

  // locks (engine/models/locks/locks.cpp): messages carry a message id; client timers carry a slot id and its generation
  lock_server_message = 96,   // a = message id: a request reaches a lock server instance
  lock_client_message = 97,   // a = message id: a reply (or a watch notification) reaches the client
  lock_store_message = 98,    // a = message id: a read or write reaches the inventory store
  lock_retry = 99,            // a = slot, b = slot generation << 32 | round: try to acquire again
  lock_round_timeout = 100,   // a = slot, b = slot generation << 32 | round: stop waiting for instance answers
  lock_lease_check = 101,     // a = lock << 8 | instance, b = key: a lease may have expired (ttl in its clock)
  lock_give_up = 102,         // a = slot, b = slot generation: a ZooKeeper waiter's give-up time
  lock_ping = 103,            // a = slot, b = slot generation: a ZooKeeper client's session heartbeat
  lock_session_check = 104,   // a = lock, b = node sequence number: a session may have expired
  lock_failover = 105,        // a = lock, b = the crashed primary's life: Sentinel promotes a replica
  lock_wait_timeout = 106,    // a = lock, b = wait id: a WAIT's timeout at the primary
  lock_renew = 107,           // a = slot, b = slot generation: a holder's watchdog renews its lease
  locks_first = 96,
  locks_last = 127,

  // queues (engine/models/queues/queues.cpp)
  queue_visibility = 128,    // a = message slot, b = message id << 16 | receipt (low 16 bits): visibility timeout
  queue_ack = 129,           // a = delivery, b = delivery generation: the ack reaches the broker
  queue_poll = 130,          // a = consumer, b = consumer epoch: start processing the next buffered delivery
  queue_resume = 131,        // a = consumer, b = consumer epoch: the end of a consumer's pause
  queue_commit = 132,        // a = queue: the log's periodic offset commit
  queue_rebalance_end = 133, // a = queue, b = rebalance generation
  queue_done_ok = 134,       // a = delivery, b = generation: a processing completion deferred by a pause
  queue_done_fail = 135,     // a = delivery, b = generation: a poison message fails (or a deferred failure)
  queue_admit = 136,         // a = queue: admit publishers blocked on a full queue
  queue_session_check = 137, // a = consumer, b = pause number: the group coordinator's session timeout may expire
  queue_poll_check = 138,    // a = delivery, b = generation: max.poll.interval.ms may have passed since the poll
  queues_first = 128,
  queues_last = 159,
};

// The dispatcher (World::dispatch) sends a kind to the model whose range holds it: every kind must lie in its
// model's range, and the ranges must not overlap. Checked here, at compile time, for every kind above.
namespace check {
constexpr bool within(std::initializer_list<uint32_t> kinds, uint32_t first, uint32_t last) {
  for (uint32_t kind : kinds)
    if (kind < first || kind > last) return false;
  return true;
}
}  // namespace check
static_assert(check::within({arrival, sample, fault_begin, fault_end, flow_resume, end_of_run, rate_change}, 1,
                            service_first - 1),
              "a world event kind lies outside 1..31");
static_assert(check::within({job_done, job_timeout, instance_resume, call_arrive, call_reply, job_deadline, hedge_due},
                            service_first, service_last),
              "a services event kind lies outside the services range");
static_assert(check::within({cache_lookup_done}, caches_first, caches_last),
              "a caches event kind lies outside the caches range");
static_assert(check::within({lock_server_message, lock_client_message, lock_store_message, lock_retry,
                             lock_round_timeout, lock_lease_check, lock_give_up, lock_ping, lock_session_check,
                             lock_failover, lock_wait_timeout, lock_renew},
                            locks_first, locks_last),
              "a locks event kind lies outside the locks range");
static_assert(check::within({queue_visibility, queue_ack, queue_poll, queue_resume, queue_commit,
                             queue_rebalance_end, queue_done_ok, queue_done_fail, queue_admit, queue_session_check,
                             queue_poll_check},
                            queues_first, queues_last),
              "a queues event kind lies outside the queues range");
static_assert(service_last < caches_first && caches_last < locks_first && locks_last < queues_first,
              "model event ranges overlap");

}  // namespace pg::ev
