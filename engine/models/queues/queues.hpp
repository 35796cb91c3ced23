// Queues: an SQS-like queue (visibility timeout, receive count, dead-letter queue, retention), a Kafka-like log
// (partitions by key, one consumer group, committed offsets, rebalancing) and an AMQP-like queue (prefetch,
// ack/nack, requeue, dead-letter exchange), with consumers that process each message by running the queue's
// `consumers.steps` as a flow.
//
// Invariants (checked by tests/unit/models/test_queues.cpp):
// - Conservation, per queue: published = acked + dead_lettered + expired + lost_at_broker + held, where held are
//   the messages still on the broker (visible, in flight, or not yet committed in the log) and lost_at_broker
//   are the ones dropped by a full queue (`on_full: drop`) or discarded by a nack without a dead-letter target.
//   `lost` in the report also counts lost_unprocessed: messages acked before processing (at most once) whose
//   processing then failed or was cut by a crash, so they are a subset of `acked`.
// - A message is delivered at most max_receives times before it is dead-lettered (when dead_letter is true).
// - Duplicates are counted, never hidden: a delivery of a message that another delivery already processed, or is
//   still processing, is a duplicate; a non-idempotent consumer that applies a side effect a second time counts a
//   duplicate side effect.
//
// The consumer model (why a crash between the side effect and the ack is possible):
//   deliver -> [inbox, up to `prefetch` unacked per consumer] -> processing flow (the steps, one at a time per
//   consumer) -> side effect (applied when the flow completes) -> ack, which reaches the broker `ack_delay_ms`
//   later (the consumer's commit and network round trip). A crash inside that window loses the ack: the broker
//   redelivers a message whose side effect already happened (at least once -> duplicate). With
//   `ack: before_processing` the ack is sent when processing starts, so a crash during processing loses the
//   message instead (at most once). A pause freezes the consumer: completions and acks that fall in the pause
//   wait for its end, so a pause longer than the visibility timeout also yields duplicates. An SQS or log consumer
//   pulls, so while paused it is sent nothing; an AMQP broker pushes and cannot tell a paused consumer from a busy
//   one, so it fills the paused consumer's prefetch, and those messages wait out the pause (RabbitMQ, "Consumer
//   Prefetch": a large prefetch hoards messages on a consumer that is not processing them).
//
// The log's consumer group (Kafka): with `session_timeout_ms` a consumer paused that long (a GC pause freezes its
// heartbeat thread too) is removed from the group; with `max_poll_interval_ms` a consumer still processing one
// record that long leaves it (KIP-62: its heartbeat thread keeps the session alive but leaves for it). Either way
// its partitions move, from their committed offsets, so what it processed since its last commit is processed again,
// and it rejoins (another rebalance) at its next poll. `rebalance: eager` stops every partition for rebalance_ms;
// `cooperative` (KIP-429) stops only the partitions that change owner. Absent, none of this happens (as before).
//
// Fault targets: "QUEUE/consumer#i" (0-based) names one consumer, "QUEUE/consumers" the whole group.
// `crash` with for_ms > 0 restarts the consumer after for_ms (for good when 0); `pause` freezes it for for_ms.
// `set` paths: /queues/NAME/consumers/count (scale consumers), /queues/NAME/consumers/prefetch,
// /queues/NAME/visibility_timeout_ms.
//
// Real-system sources: AWS SQS Developer Guide ("Amazon SQS visibility timeout", "Using dead-letter queues":
// a message moves to the DLQ when its ReceiveCount exceeds maxReceiveCount; "Amazon SQS short and long polling");
// Apache Kafka documentation ("Consumer position", enable.auto.commit / auto.commit.interval.ms, the consumer
// group rebalance protocol, at-most-once vs at-least-once in "Message Delivery Semantics"); RabbitMQ docs
// ("Consumer Prefetch", "Consumer Acknowledgements and Publisher Confirms": unacked messages are requeued when a
// channel closes; "Dead Letter Exchanges"; quorum queue delivery-limit).
#pragma once
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/kernel/event_queue.hpp"
#include "engine/run/model.hpp"
#include "engine/kernel/histogram.hpp"
#include "engine/kernel/metrics.hpp"
#include "engine/kernel/random.hpp"
#include "engine/scenario/parameter_path.hpp"
#include "engine/scenario/scenario.hpp"
#include "engine/kernel/slot_pool.hpp"

namespace pg {



// One message on the broker (and, after it left the broker, while a consumer still holds a delivery of it).
struct QueueMessage {
  uint64_t id = 0;              // unique across queues and slot reuse; ordered by publish time within a queue
  uint64_t seq = 0;             // 1-based publish number within its queue (what views show)
  uint32_t queue = 0;
  uint32_t key = 0;
  uint32_t partition = 0;       // log
  uint64_t offset = 0;          // log
  time_ns publish_ns = 0;
  uint32_t receive_count = 0;   // deliveries so far
  uint32_t receipt = 0;         // sqs: bumped per receive; visibility events carry it
  uint32_t applied = 0;         // side effects applied by consumers
  uint32_t active = 0;          // deliveries not finished yet
  bool poison = false;          // always fails processing
  bool held = false;            // counts in depth: not yet acked, dead-lettered, expired or discarded
  bool visible = false;         // sqs/amqp: waiting in the ready line
  bool in_log = false;          // log: still in its partition (not yet below the committed offset)
  bool acked = false;           // removed by an ack (sqs/amqp) or covered by a commit (log)
  bool lost = false;            // counted in lost_unprocessed
  bool latency_recorded = false;
  // The message pool's (engine/kernel/slot_pool.hpp). Nothing keeps a message's generation: references to a message
  // (ready lines, visibility events) carry its unique id and compare that.
  uint32_t generation = 0;
  bool live = false;
};

// One delivery of a message to a consumer.
struct QueueDelivery {
  uint32_t generation = 0;      // the delivery pool's (Generations::count_frees): tokens and events carry it
  bool live = false;
  uint32_t message = 0;         // slot
  uint32_t consumer = 0;        // global consumer index
  uint32_t receipt = 0;         // sqs receipt handle (message.receipt at delivery)
  uint32_t assignment = 0;      // log: the partition's assignment generation at delivery
  bool duplicate = false;
  bool processing = false;      // its flow runs
  bool processed = false;       // its processing ended (ok or not)
  bool failed = false;          // processing failed
  bool ack_sent = false;
  bool ack_arrived = false;
  bool holds_slot = false;      // counts against the consumer's prefetch
  time_ns delivered_ns = 0;
};

struct QueueConsumer {
  uint32_t queue = 0;
  uint32_t index = 0;           // within its queue: "QUEUE/consumer#index"
  bool active = false;          // part of the configured count (or retiring)
  bool retiring = false;        // scaled down: takes nothing new, leaves when its deliveries are done
  bool crashed = false;
  time_ns paused_until_ns = 0;
  uint32_t epoch = 0;           // bumped on crash: stale events are ignored
  uint32_t pause_number = 0;    // bumped when a pause begins: a session check belongs to one pause
  bool expelled = false;        // log: out of the group (session timeout, max poll interval); rejoins at its next poll
  bool poll_scheduled = false;
  std::deque<uint32_t> inbox;   // deliveries buffered (prefetched), not yet processing
  uint32_t current = UINT32_MAX;// delivery being processed
  uint32_t unacked = 0;         // deliveries counted against prefetch
  std::vector<uint32_t> outstanding;  // every live delivery of this consumer
  std::vector<uint32_t> partitions;   // log: assigned partitions
  uint32_t next_partition = 0;        // log: round robin over assigned partitions when fetching
  uint64_t processed = 0;             // processing flows completed ok
  uint64_t crashes = 0;
  bool paused(time_ns now) const { return paused_until_ns > now; }
  bool member() const { return active && !retiring; }
  bool can_work(time_ns now) const { return active && !crashed && !paused(now); }
};

struct QueuePartition {
  std::deque<uint32_t> records;   // message slots from base_offset to end_offset
  uint64_t base_offset = 0;
  uint64_t end_offset = 0;
  uint64_t committed = 0;         // the group's committed offset: a restart resumes here
  uint64_t consumed = 0;          // the owner's position to commit next (processed, or fetched when acking early)
  uint64_t fetch = 0;             // the owner's next offset to fetch
  uint32_t owner = UINT32_MAX;    // global consumer index, none while rebalancing
  uint32_t assignment = 0;        // bumped when the partition changes hands
  uint64_t processed_high = 0;    // 1 + the highest offset processed ok so far (by any consumer)
  uint64_t out_of_order = 0;      // records processed ok after a record with a higher offset
  time_ns unowned_since = -1;     // when a rebalance took it from its owner (-1: owned, or never owned yet)
};

// A notable per-message event kept for the views (bounded ring buffer).
struct QueueNote {
  time_ns time = 0;
  uint64_t message_seq = 0;
  uint32_t consumer = 0;          // index within the queue (UINT32_MAX: none)
  uint32_t receive_count = 0;
};

struct QueueStats {
  uint64_t published = 0, rejected = 0, delivered = 0, acked = 0, duplicates = 0, duplicate_side_effects = 0;
  uint64_t side_effects = 0, skipped_duplicates = 0;   // idempotent consumers skip a known message id
  uint64_t lost_dropped = 0, lost_discarded = 0, lost_unprocessed = 0;
  uint64_t dead_lettered = 0, expired = 0, redeliveries = 0, failures = 0, rebalances = 0, blocked = 0;
  // log: members that left the group by session.timeout.ms and by max.poll.interval.ms; records processed out of
  // offset order within their partition; time partitions spent without an owner because of rebalances.
  uint64_t session_timeouts = 0, poll_interval_exits = 0, out_of_order = 0;
  time_ns partition_pause_ns = 0;
  int64_t held = 0, waiting = 0;   // now: on the broker; visible (sqs/amqp: delivered = held - waiting)
  TimeWeighted depth_tw, waiting_tw;
  time_ns oldest_age_max_ns = 0;
  uint64_t lag_max = 0;
  Histogram end_to_end;                            // publish -> ack (log: publish -> consumed mark)
  uint64_t interval_in = 0, interval_out = 0;
  Series depth, waiting_series, lag, throughput_in, throughput_out, oldest_age_ms;
  uint64_t lost() const { return lost_dropped + lost_discarded + lost_unprocessed; }
};

class Queues final : public Mechanism {
 public:
  const char* name() const override { return "queues"; }
  void init(ModelContext& ctx, const Scenario& scenario) override;
  void handle(ModelContext& ctx, const Event& event) override;
  // Applies (begin = true) or ends a fault aimed at this model; returns false if the target is not one of ours.
  bool apply_fault(ModelContext& ctx, const FaultSpec& fault, bool begin) override;
  // A `set` of one of this model's fields, resolved by engine/scenario/parameter_path.hpp.
  void apply_set(ModelContext& ctx, const ParameterRef& ref, const FaultSpec& fault) override;
  void sample(ModelContext& ctx, time_ns interval_ns) override;
  nlohmann::json report(const ModelContext& ctx) const override;
  nlohmann::json series_report() const override;   // report["series"]["queues"]
  // A publish step: enqueues a message for the flow's key, then continues the flow (or fails it when full).
  void publish(ModelContext& ctx, uint32_t flow_id, uint32_t queue_id);
  // A consumer's processing flow ended (ok or failed).
  void consumer_flow_done(ModelContext& ctx, uint32_t queue_id, uint64_t token, bool ok);

  // ---- const accessors for the views ----
  std::vector<QueueSpec> specs;                       // copied from the scenario; `set` may change some fields
  const std::vector<QueueStats>& stats() const { return stats_; }
  QueueKind kind(uint32_t queue) const { return kinds_[queue]; }
  uint32_t find(const std::string& name) const;
  // Messages on the broker (visible + in flight, or uncommitted in a log).
  int64_t depth(uint32_t queue) const { return stats_[queue].held; }
  int64_t waiting(uint32_t queue) const { return stats_[queue].waiting; }   // visible, not delivered
  // Age of the oldest message on the broker (0 when empty).
  time_ns oldest_age_ns(uint32_t queue, time_ns now) const;
  // The queue's consumers (global indices into consumers()), in index order.
  const std::vector<uint32_t>& queue_consumers(uint32_t queue) const { return queue_consumers_[queue]; }
  const std::vector<QueueConsumer>& consumers() const { return consumers_; }
  // Deliveries a consumer holds (buffered, processing or awaiting its ack).
  size_t in_flight(uint32_t consumer) const { return consumers_[consumer].outstanding.size(); }
  // Log partitions of a queue (empty for sqs/amqp): committed, consumed, fetch and end offsets, owner.
  const std::vector<QueuePartition>& partitions(uint32_t queue) const { return partitions_[queue]; }
  uint64_t partition_lag(uint32_t queue, uint32_t partition) const;   // end - committed
  uint64_t total_lag(uint32_t queue) const;
  bool rebalancing(uint32_t queue) const { return rebalancing_[queue]; }
  bool cooperative(uint32_t queue) const { return specs[queue].rebalance == QueueRebalance::cooperative; }
  // log: the queue sets a consumer-group field (session or poll timeout, cooperative rebalancing); its report then
  // has the group's counters (older documents' reports keep their exact bytes).
  bool group_fields_set(uint32_t queue) const;
  // Recent redeliveries, duplicates and dead letters, oldest first (at most notes_max each).
  static constexpr size_t notes_max = 64;
  const std::deque<QueueNote>& recent_redeliveries(uint32_t queue) const { return redelivery_notes_[queue]; }
  const std::deque<QueueNote>& recent_duplicates(uint32_t queue) const { return duplicate_notes_[queue]; }
  const std::deque<QueueNote>& recent_dead_letters(uint32_t queue) const { return dead_letter_notes_[queue]; }
  // published == acked + dead_lettered + expired + lost at the broker + held, and held == the messages counted
  // one by one in the broker's structures.
  bool conservation_holds(uint32_t queue) const;
  // Asserts conservation_holds for every queue, a consumer's prefetch count within its deliveries, and the
  // message and delivery pools' bookkeeping. World::check_invariants calls it.
  void check_invariants(const ModelContext& ctx) const override;
  size_t blocked_publishers(uint32_t queue) const { return blocked_[queue].size(); }

 private:
  // messages and deliveries
  uint32_t new_message(ModelContext& ctx, uint32_t queue, uint32_t key);
  void maybe_free_message(uint32_t slot);
  // True while `slot` holds the message with this id (the check for a ready-line entry).
  bool message_is(uint32_t slot, uint64_t id) const;
  void remove_held(ModelContext& ctx, uint32_t slot);   // leaves depth (any terminal outcome)
  void maybe_lost(uint32_t slot);
  uint32_t deliver(ModelContext& ctx, uint32_t consumer, uint32_t slot, bool to_front);
  void release_slot(ModelContext& ctx, uint32_t delivery);
  void free_delivery(ModelContext& ctx, uint32_t delivery);
  // consumers
  void kick(ModelContext& ctx, uint32_t consumer);
  void poll(ModelContext& ctx, uint32_t consumer);
  void start_processing(ModelContext& ctx, uint32_t consumer, uint32_t delivery);
  void processing_done(ModelContext& ctx, uint32_t delivery, bool ok);
  void nack(ModelContext& ctx, uint32_t delivery);
  void send_ack(ModelContext& ctx, uint32_t delivery);
  void ack_arrived(ModelContext& ctx, uint32_t delivery);
  void give_up_message(ModelContext& ctx, uint32_t queue, uint32_t slot, uint32_t consumer);
  void requeue(ModelContext& ctx, uint32_t slot, bool front);
  void crash(ModelContext& ctx, uint32_t consumer, bool begin);
  void pause(ModelContext& ctx, uint32_t consumer, time_ns until_ns);
  void set_consumer_count(ModelContext& ctx, uint32_t queue, int count);
  void release_buffered(ModelContext& ctx, uint32_t consumer);
  // broker
  void dispatch(ModelContext& ctx, uint32_t queue);
  void dispatch_log(ModelContext& ctx, uint32_t queue);
  void on_visibility_expired(ModelContext& ctx, uint32_t slot, uint64_t id_receipt);
  void expire_sweep(ModelContext& ctx, uint32_t queue);
  void commit(ModelContext& ctx, uint32_t queue, uint32_t partition, uint64_t offset);
  void commit_tick(ModelContext& ctx, uint32_t queue);
  void start_rebalance(ModelContext& ctx, uint32_t queue);
  void start_cooperative_rebalance(ModelContext& ctx, uint32_t queue);
  // The cooperative-sticky target: members keep what they own up to a balanced share, the rest goes to the least
  // loaded member (lowest index first).
  std::vector<uint32_t> sticky_targets(uint32_t queue) const;
  void set_owner(ModelContext& ctx, uint32_t queue, uint32_t partition, uint32_t owner);
  void release_buffered_partition(ModelContext& ctx, uint32_t consumer, uint32_t partition);
  void leave_group(ModelContext& ctx, uint32_t consumer, bool session);
  void on_session_check(ModelContext& ctx, uint32_t consumer, uint64_t tag);
  void on_poll_check(ModelContext& ctx, uint32_t delivery, uint32_t generation);
  void assign_partitions(ModelContext& ctx, uint32_t queue);
  void end_rebalance(ModelContext& ctx, uint32_t queue, uint64_t generation);
  void admit_blocked(ModelContext& ctx, uint32_t queue);
  void note(std::deque<QueueNote>& notes, ModelContext& ctx, uint32_t slot, uint32_t consumer);
  std::string consumer_name(uint32_t consumer) const;

  std::vector<QueueKind> kinds_;
  std::vector<QueueStats> stats_;
  std::vector<Rng> poison_rngs_;
  std::vector<std::deque<std::pair<uint32_t, uint64_t>>> ready_;   // sqs/amqp: (slot, message id), lazily cleaned
  std::vector<std::map<uint64_t, time_ns>> held_by_id_;            // id -> publish time: the oldest is first
  std::vector<std::vector<QueuePartition>> partitions_;
  std::vector<std::vector<uint32_t>> queue_consumers_;
  std::vector<uint32_t> round_robin_;
  std::vector<bool> rebalancing_;
  std::vector<uint64_t> rebalance_generation_;
  std::vector<std::deque<std::pair<uint32_t, uint32_t>>> blocked_;  // publishing flows waiting for room
  std::vector<bool> admit_scheduled_;
  std::vector<std::deque<QueueNote>> redelivery_notes_, duplicate_notes_, dead_letter_notes_;
  SlotPool<QueueMessage> messages_;
  SlotPool<QueueDelivery, Generations::count_frees> deliveries_;
  std::vector<QueueConsumer> consumers_;
  uint64_t next_message_id_ = 1;
};

}  // namespace pg
