// Request flows. Each request type's steps (and each queue consumer's) are compiled once into a flat program of
// ops; a flow is a cursor into that program plus the request's identity (type, key, arrival time). Models that
// serve an op call World::flow_continue when they are done, choosing the next op or the alternative (a cache hit
// skips the on_miss ops), or World::flow_fail with a reason.
#pragma once
#include <cstdint>
#include <vector>

#include "engine/kernel/sim_time.hpp"

namespace pg {

enum class OpKind : uint8_t {
  call,          // target = service id
  cache_lookup,  // target = cache id; hit -> alt, miss -> next (the on_miss ops, then cache_fill)
  cache_fill,    // target = cache id
  lock_acquire,  // target = lock id; next = the inside ops, then lock_release
  lock_release,  // target = lock id
  publish,       // target = queue id
  fork,          // branches [first_branch, first_branch + branch_count) in Program::branch_entries; next = after join
  join,          // end of a parallel branch
  end,           // end of the request
};

struct Op {
  OpKind kind = OpKind::end;
  uint32_t target = 0;
  uint32_t next = 0;
  uint32_t alt = 0;
  uint32_t first_branch = 0;
  uint32_t branch_count = 0;
};

struct Program {
  std::vector<Op> ops;
  std::vector<uint32_t> branch_entries;
};

// Why a flow (or one attempt of a call) failed. The report names these in lower case.
// New reasons go last (before count): the report lists only the reasons that occurred, so old reports keep their bytes.
enum class FailReason : uint8_t {
  none, rejected, timed_out, crashed, unreachable, lock_gave_up, queue_full,
  deadline_exceeded,   // the request's deadline passed while it waited for a call (or before it could make one)
  breaker_open,        // a circuit breaker refused the call without sending it
  rate_limited,        // the service's rate limiter refused the call
  shed,                // the service dropped the call after it waited too long in line
  bulkhead_full,       // the caller already had as many calls in flight to the service as its bulkhead allows
  count
};
const char* fail_reason_name(FailReason reason);

// service: a service's own steps, run for one call by the worker that took it (owner_id: the job, owner_token: the
// job's generation); its end answers that call.
enum class FlowOwner : uint8_t { workload, consumer, service };

constexpr uint32_t no_id = UINT32_MAX;

struct Flow {
  // Written by the flow pool only (World's SlotPool<Flow>, engine/kernel/slot_pool.hpp): events and other models keep
  // (flow id, generation) and ask World::flow_live before they touch the flow again.
  uint32_t generation = 0;
  bool live = false;
  FlowOwner owner = FlowOwner::workload;
  uint32_t owner_id = 0;        // consumer: queue id
  uint64_t owner_token = 0;     // consumer: message id
  uint32_t request = 0;         // request type (workload) or queue id (consumer)
  uint32_t pc = 0;
  uint32_t key = 0;
  time_ns start_ns = 0;
  uint32_t parent = no_id;      // a parallel branch's parent flow
  uint32_t pending_branches = 0;
  bool branch_failed = false;
  FailReason branch_fail_reason = FailReason::none;
  uint32_t attempt = 0;         // attempt number of the current call (0 = first)
  uint32_t job = no_id;         // the current call's job at a service
  uint32_t home_service = no_id;   // the service instance whose process runs this flow (last call made)
  uint32_t home_instance = no_id;
  uint32_t last_service = no_id;   // for partitions: where the flow is calling from
  time_ns deadline_ns = 0;      // the request's deadline, inherited down the call tree; 0: none
  uint32_t breaker_epoch = 0;   // the state of the circuit breaker that let the current call attempt through
  // Lock context, set by the lock model while the flow holds or waits for a lock.
  uint64_t lock_token = 0;
  int64_t lock_read_stock = 0;
  uint32_t lock_slot = no_id;
};

}  // namespace pg
