// Queues: SQS-like, log-like and AMQP-like brokers with consumers. See queues.hpp for the model, its invariants
// and the sources for the real systems' behaviour.
#include "engine/models/queues/queues.hpp"
#include "engine/kernel/cold_code.hpp"

#include <algorithm>

#include "engine/kernel/assert.hpp"
#include "engine/kernel/event_kinds.hpp"
#include "engine/run/report.hpp"
#include "engine/scenario/scenario_fields.hpp"

namespace pg {

namespace {

constexpr uint32_t none = UINT32_MAX;
constexpr int consumers_max = 256;          // the scenario's limit on consumers.count, also for `set`
constexpr uint32_t series_points_max = 7200;
constexpr uint64_t dead_letter_log_max = 10; // notable-event log lines about dead letters, per queue

uint64_t token_of(uint32_t delivery, uint32_t generation) { return (uint64_t)generation << 32 | delivery; }
uint64_t visibility_tag(uint64_t id, uint32_t receipt) { return id << 16 | (receipt & 0xffffu); }

}  // namespace

uint32_t Queues::find(const std::string& name) const {
  for (uint32_t i = 0; i < specs.size(); ++i)
    if (specs[i].name == name) return i;
  return none;
}

std::string Queues::consumer_name(uint32_t consumer) const {
  const QueueConsumer& c = consumers_[consumer];
  return specs[c.queue].name + "/consumer#" + std::to_string(c.index);
}

// ---- set-up -------------------------------------------------------------------------------------------------------

PG_COLD_CODE void Queues::init(ModelContext& ctx, const Scenario& scenario) {
  specs = scenario.queues;
  size_t n = specs.size();
  kinds_.resize(n);
  stats_.resize(n);
  ready_.resize(n);
  held_by_id_.resize(n);
  partitions_.resize(n);
  queue_consumers_.resize(n);
  round_robin_.assign(n, 0);
  rebalancing_.assign(n, false);
  rebalance_generation_.assign(n, 0);
  blocked_.resize(n);
  admit_scheduled_.assign(n, false);
  redelivery_notes_.resize(n);
  duplicate_notes_.resize(n);
  dead_letter_notes_.resize(n);
  time_ns interval = ms_to_ns(scenario.sample_interval_ms);
  uint32_t points = (uint32_t)std::min<int64_t>(series_points_max, scenario.duration_ns() / interval + 2);
  for (uint32_t q = 0; q < n; ++q) {
    const QueueSpec& spec = specs[q];
    kinds_[q] = spec.kind;
    poison_rngs_.push_back(ctx.stream("queue/" + spec.name + "/poison"));
    QueueStats& st = stats_[q];
    for (Series* s : {&st.depth, &st.waiting_series, &st.lag, &st.throughput_in, &st.throughput_out,
                      &st.oldest_age_ms})
      *s = Series(interval, points);
    if (kinds_[q] == QueueKind::log) {
      partitions_[q].resize((size_t)spec.partitions);
      ctx.kernel.schedule(ms_to_ns(spec.commit_interval_ms), ev::queue_commit, q);
    }
    set_consumer_count(ctx, q, spec.consumers.count);
    // The group forms before the first message: the initial assignment costs no rebalance pause.
    if (kinds_[q] == QueueKind::log) assign_partitions(ctx, q);
  }
}

// ---- messages and deliveries --------------------------------------------------------------------------------------

uint32_t Queues::new_message(ModelContext& ctx, uint32_t queue, uint32_t key) {
  uint32_t slot = messages_.allocate().index;
  QueueStats& st = stats_[queue];
  const QueueSpec& spec = specs[queue];
  QueueMessage& m = messages_[slot];
  m.id = next_message_id_++;
  m.seq = st.published;
  m.queue = queue;
  m.key = key;
  m.publish_ns = ctx.now();
  if (spec.consumers.poison_probability > 0)
    m.poison = poison_rngs_[queue].next_double() < spec.consumers.poison_probability;
  m.held = true;
  held_by_id_[queue][m.id] = m.publish_ns;
  ++st.held;
  st.depth_tw.set(ctx.now(), (double)st.held);
  ++st.interval_in;
  if (kinds_[queue] == QueueKind::log) {
    // Partition by key: one key's messages stay in order (engine/models/queues/partitioner.hpp).
    m.partition = partition_for_key(specs[queue].partitioner, key, (uint32_t)partitions_[queue].size());
    QueuePartition& part = partitions_[queue][m.partition];
    m.offset = part.end_offset++;
    part.records.push_back(slot);
    m.in_log = true;
  } else {
    m.visible = true;
    ready_[queue].push_back({slot, m.id});
    ++st.waiting;
    st.waiting_tw.set(ctx.now(), (double)st.waiting);
  }
  return slot;
}

void Queues::maybe_free_message(uint32_t slot) {
  if (!messages_.occupied(slot)) return;
  const QueueMessage& m = messages_[slot];
  if (m.held || m.in_log || m.active > 0) return;
  messages_.free(slot);
}

bool Queues::message_is(uint32_t slot, uint64_t id) const {
  return messages_.occupied(slot) && messages_[slot].id == id;
}

// The message leaves the broker's depth (acked, dead-lettered, expired or discarded).
void Queues::remove_held(ModelContext& ctx, uint32_t slot) {
  QueueMessage& m = messages_[slot];
  PG_ASSERT(m.held, "a message leaves the broker's depth twice");
  QueueStats& st = stats_[m.queue];
  m.held = false;
  // The age of the oldest message peaks just before the oldest leaves, so the ages at removal give its maximum.
  st.oldest_age_max_ns = std::max(st.oldest_age_max_ns, ctx.now() - m.publish_ns);
  held_by_id_[m.queue].erase(m.id);
  --st.held;
  st.depth_tw.set(ctx.now(), (double)st.held);
  if (m.visible) {
    m.visible = false;   // its ready-line entry is dropped lazily
    --st.waiting;
    st.waiting_tw.set(ctx.now(), (double)st.waiting);
  }
  uint32_t q = m.queue;
  if (!blocked_[q].empty() && !admit_scheduled_[q]) {
    admit_scheduled_[q] = true;
    ctx.kernel.schedule(ctx.now(), ev::queue_admit, q);
  }
}

// An at-most-once message is lost when it was acked before processing and no delivery of it can still apply it.
void Queues::maybe_lost(uint32_t slot) {
  QueueMessage& m = messages_[slot];
  if (!m.acked || m.lost || m.applied > 0 || m.active > 0) return;
  m.lost = true;
  ++stats_[m.queue].lost_unprocessed;
}

void Queues::note(std::deque<QueueNote>& notes, ModelContext& ctx, uint32_t slot, uint32_t consumer) {
  const QueueMessage& m = messages_[slot];
  if (notes.size() >= notes_max) notes.pop_front();
  notes.push_back({ctx.now(), m.seq, consumer == none ? none : consumers_[consumer].index, m.receive_count});
}

uint32_t Queues::deliver(ModelContext& ctx, uint32_t consumer, uint32_t slot, bool to_front) {
  QueueMessage& m = messages_[slot];
  uint32_t q = m.queue;
  QueueStats& st = stats_[q];
  ++m.receive_count;
  if (kinds_[q] == QueueKind::sqs) ++m.receipt;   // every receive gets a new receipt handle
  if (m.receive_count > 1) {
    ++st.redeliveries;
    note(redelivery_notes_[q], ctx, slot, consumer);
  }
  // A duplicate: the message was processed already, or another delivery of it is still being processed.
  bool duplicate = m.applied > 0 || m.active > 0;
  if (duplicate) {
    ++st.duplicates;
    note(duplicate_notes_[q], ctx, slot, consumer);
  }
  ++m.active;
  ++st.delivered;
  uint32_t d = deliveries_.allocate().index;
  QueueDelivery& del = deliveries_[d];
  del.message = slot;
  del.consumer = consumer;
  del.receipt = m.receipt;
  if (kinds_[q] == QueueKind::log) del.assignment = partitions_[q][m.partition].assignment;
  del.duplicate = duplicate;
  del.holds_slot = true;
  del.delivered_ns = ctx.now();
  QueueConsumer& c = consumers_[consumer];
  ++c.unacked;
  c.outstanding.push_back(d);
  if (to_front) c.inbox.push_front(d);
  else c.inbox.push_back(d);
  if (kinds_[q] == QueueKind::sqs)
    ctx.kernel.schedule_after(ms_to_ns(specs[q].visibility_timeout_ms), ev::queue_visibility, slot,
                                visibility_tag(m.id, m.receipt));
  kick(ctx, consumer);
  return d;
}

// The delivery stops counting against its consumer's prefetch; the broker may send the consumer more.
void Queues::release_slot(ModelContext& ctx, uint32_t delivery) {
  QueueDelivery& del = deliveries_[delivery];
  if (!del.holds_slot) return;
  del.holds_slot = false;
  QueueConsumer& c = consumers_[del.consumer];
  PG_ASSERT(c.unacked > 0, "a consumer releases more prefetch slots than it holds");
  --c.unacked;
  dispatch(ctx, c.queue);
}

void Queues::free_delivery(ModelContext& ctx, uint32_t delivery) {
  QueueDelivery& del = deliveries_[delivery];
  bool released = del.holds_slot;
  if (del.holds_slot) {
    del.holds_slot = false;
    --consumers_[del.consumer].unacked;
  }
  deliveries_.free(delivery);   // `del` stays readable until the slot is reused
  uint32_t consumer = del.consumer;
  QueueConsumer& c = consumers_[consumer];
  auto it = std::find(c.outstanding.begin(), c.outstanding.end(), delivery);
  PG_ASSERT(it != c.outstanding.end(), "a freed delivery is among its consumer's outstanding ones");
  c.outstanding.erase(it);
  if (c.current == delivery) c.current = none;
  uint32_t slot = del.message;
  QueueMessage& m = messages_[slot];
  PG_ASSERT(m.active > 0, "a message has fewer active deliveries than are freed");
  --m.active;
  maybe_lost(slot);
  maybe_free_message(slot);
  if (c.retiring && c.outstanding.empty()) {
    c.retiring = false;
    c.active = false;
    ctx.log(consumer_name(consumer) + " left after finishing its work");
  }
  if (released) dispatch(ctx, c.queue);   // room for another delivery
}

// ---- consumers ----------------------------------------------------------------------------------------------------

void Queues::kick(ModelContext& ctx, uint32_t consumer) {
  QueueConsumer& c = consumers_[consumer];
  if (c.poll_scheduled) return;
  c.poll_scheduled = true;
  // Through an event, not a call: a consumer whose processing is instant would otherwise recurse per message.
  ctx.kernel.schedule(ctx.now(), ev::queue_poll, consumer, c.epoch);
}

void Queues::poll(ModelContext& ctx, uint32_t consumer) {
  QueueConsumer& c = consumers_[consumer];
  c.poll_scheduled = false;
  if (c.expelled && c.can_work(ctx.now()) && c.current == none) {
    // Its next poll() finds it out of the group: it rejoins, which is a rebalance of its own.
    c.expelled = false;
    ctx.log(consumer_name(consumer) + " rejoins the group");
    if (c.member()) start_rebalance(ctx, c.queue);
  }
  if (!c.can_work(ctx.now()) || c.current != none || c.inbox.empty()) return;
  uint32_t d = c.inbox.front();
  c.inbox.pop_front();
  start_processing(ctx, consumer, d);
}

void Queues::start_processing(ModelContext& ctx, uint32_t consumer, uint32_t delivery) {
  QueueConsumer& c = consumers_[consumer];
  c.current = delivery;
  QueueDelivery& del = deliveries_[delivery];
  del.processing = true;
  uint32_t q = c.queue;
  uint32_t generation = del.generation;
  uint32_t slot = del.message;
  if (kinds_[q] == QueueKind::log && specs[q].max_poll_interval_ms > 0)
    ctx.kernel.schedule_after(ms_to_ns(specs[q].max_poll_interval_ms), ev::queue_poll_check, delivery, generation);
  if (specs[q].consumers.ack == ConsumerAck::before_processing) send_ack(ctx, delivery);
  // send_ack may have freed nothing (the delivery is still processing), so `del` is still this delivery.
  if (!deliveries_.live(delivery, generation)) return;
  const QueueMessage& m = messages_[slot];
  if (m.poison) {
    // A poison message fails at once (it cannot be parsed), without running the steps.
    ctx.kernel.schedule(ctx.now(), ev::queue_done_fail, delivery, generation);
    return;
  }
  ctx.start_consumer_flow(q, token_of(delivery, generation), m.key);
}

void Queues::consumer_flow_done(ModelContext& ctx, uint32_t, uint64_t token, bool ok) {
  uint32_t d = (uint32_t)(token & 0xffffffffu);
  uint32_t generation = (uint32_t)(token >> 32);
  // A delivery aborted by a crash (or a rebalance) ends its flow later: the consumer process is gone.
  if (!deliveries_.live(d, generation)) return;
  processing_done(ctx, d, ok);
}

void Queues::processing_done(ModelContext& ctx, uint32_t delivery, bool ok) {
  QueueDelivery& del = deliveries_[delivery];
  QueueConsumer& c = consumers_[del.consumer];
  uint32_t consumer = del.consumer;
  if (c.paused(ctx.now())) {
    // The process is frozen: it notices the result when it resumes.
    ctx.kernel.schedule(c.paused_until_ns, ok ? ev::queue_done_ok : ev::queue_done_fail, delivery,
                          del.generation);
    return;
  }
  uint32_t q = c.queue;
  const QueueSpec& spec = specs[q];
  QueueStats& st = stats_[q];
  QueueMessage& m = messages_[del.message];
  del.processing = false;
  del.processed = true;
  c.current = none;
  bool ack_first = spec.consumers.ack == ConsumerAck::before_processing;
  if (ok) {
    ++c.processed;
    if (kinds_[q] == QueueKind::log) {
      // Ordering within a partition: a record processed after one with a higher offset (a replay after a
      // rebalance, or an old owner finishing a record after the new owner moved past it).
      QueuePartition& part = partitions_[q][m.partition];
      if (m.offset + 1 < part.processed_high) {
        ++part.out_of_order;
        ++st.out_of_order;
      }
      part.processed_high = std::max(part.processed_high, m.offset + 1);
    }
    if (spec.consumers.idempotent && m.applied > 0) {
      ++st.skipped_duplicates;   // the dedupe store knows this message id: no second side effect
    } else {
      ++m.applied;
      ++st.side_effects;
      if (m.applied > 1) ++st.duplicate_side_effects;
    }
    if (!ack_first) send_ack(ctx, delivery);
    else if (del.ack_arrived) free_delivery(ctx, delivery);
  } else {
    ++st.failures;
    del.failed = true;
    if (ack_first) {
      if (del.ack_arrived) free_delivery(ctx, delivery);   // acked, never processed: maybe_lost counts it
    } else {
      nack(ctx, delivery);
    }
  }
  kick(ctx, consumer);
}

// A processing failure when the ack follows processing: SQS leaves the message to reappear after its visibility
// timeout, AMQP requeues it (or dead-letters it at the delivery limit), a log consumer seeks back to it.
void Queues::nack(ModelContext& ctx, uint32_t delivery) {
  const QueueDelivery& del = deliveries_[delivery];
  const uint32_t consumer = del.consumer, slot = del.message, q = consumers_[consumer].queue;
  const QueueSpec& spec = specs[q];
  QueueMessage& m = messages_[slot];
  switch (kinds_[q]) {
    case QueueKind::sqs:
      // No delete: the message reappears when its visibility timeout ends.
      free_delivery(ctx, delivery);
      break;
    case QueueKind::amqp: {
      // basic.nack: requeue, unless the delivery limit is reached (then the dead-letter exchange).
      bool give_up = m.receive_count >= (uint32_t)spec.max_receives;
      free_delivery(ctx, delivery);
      if (give_up) give_up_message(ctx, q, slot, consumer);
      else requeue(ctx, slot, true);
      break;
    }
    case QueueKind::log: {
      QueuePartition& part = partitions_[q][m.partition];
      bool owned = part.assignment == del.assignment && part.owner == consumer;
      if (owned && m.receive_count >= (uint32_t)spec.max_receives) {
        // The error handler publishes the record to a dead-letter topic and moves past it.
        give_up_message(ctx, q, slot, consumer);
        part.consumed = std::max(part.consumed, m.offset + 1);
        free_delivery(ctx, delivery);
      } else if (owned) {
        // Seek back: the same record again, before anything fetched after it.
        deliver(ctx, consumer, slot, true);
        free_delivery(ctx, delivery);
      } else {
        free_delivery(ctx, delivery);   // the partition moved: its new owner replays from the commit
      }
      break;
    }
  }
}

void Queues::send_ack(ModelContext& ctx, uint32_t delivery) {
  QueueDelivery& del = deliveries_[delivery];
  del.ack_sent = true;
  double delay_ms = specs[consumers_[del.consumer].queue].consumers.ack_delay_ms;
  if (delay_ms <= 0) return ack_arrived(ctx, delivery);
  ctx.kernel.schedule_after(ms_to_ns(delay_ms), ev::queue_ack, delivery, del.generation);
}

void Queues::ack_arrived(ModelContext& ctx, uint32_t delivery) {
  QueueDelivery& del = deliveries_[delivery];
  del.ack_arrived = true;
  uint32_t consumer = del.consumer;
  uint32_t q = consumers_[consumer].queue;
  uint32_t slot = del.message;
  QueueMessage& m = messages_[slot];
  QueueStats& st = stats_[q];
  bool removed = false;
  if (kinds_[q] != QueueKind::log) {
    // SQS deletes with any receipt handle of a message still there; an AMQP delivery is the only holder.
    if (m.held) {
      m.acked = true;
      ++st.acked;
      ++st.interval_out;
      remove_held(ctx, slot);
      removed = true;
    }
  } else {
    QueuePartition& part = partitions_[q][m.partition];
    if (part.assignment == del.assignment && part.owner == consumer) {
      part.consumed = std::max(part.consumed, m.offset + 1);
      ++st.interval_out;
      removed = true;
    }
  }
  if (removed && !m.latency_recorded) {
    m.latency_recorded = true;
    st.end_to_end.record(ctx.now() - m.publish_ns);
  }
  if (del.processed) free_delivery(ctx, delivery);
  else release_slot(ctx, delivery);
  dispatch(ctx, q);
}

// The last delivery failed: to the dead-letter queue, or discarded (counted lost) when there is none.
void Queues::give_up_message(ModelContext& ctx, uint32_t queue, uint32_t slot, uint32_t consumer) {
  QueueStats& st = stats_[queue];
  if (specs[queue].dead_letter) {
    ++st.dead_lettered;
    note(dead_letter_notes_[queue], ctx, slot, consumer);
    if (st.dead_lettered <= dead_letter_log_max)
      ctx.log("queue " + specs[queue].name + ": message " + std::to_string(messages_[slot].seq) +
                " dead-lettered after " + std::to_string(messages_[slot].receive_count) + " deliveries");
  } else {
    ++st.lost_discarded;
  }
  remove_held(ctx, slot);
  maybe_free_message(slot);
}

void Queues::requeue(ModelContext& ctx, uint32_t slot, bool front) {
  QueueMessage& m = messages_[slot];
  if (!m.held || m.visible) return;
  QueueStats& st = stats_[m.queue];
  m.visible = true;
  ++st.waiting;
  st.waiting_tw.set(ctx.now(), (double)st.waiting);
  if (front) ready_[m.queue].push_front({slot, m.id});
  else ready_[m.queue].push_back({slot, m.id});
  dispatch(ctx, m.queue);
}

// Buffered deliveries go back to the broker (a consumer leaving, or a rebalance revoking its partitions).
void Queues::release_buffered(ModelContext& ctx, uint32_t consumer) {
  QueueConsumer& c = consumers_[consumer];
  std::vector<uint32_t> slots;
  while (!c.inbox.empty()) {
    uint32_t d = c.inbox.back();
    c.inbox.pop_back();
    slots.push_back(deliveries_[d].message);
    free_delivery(ctx, d);
  }
  // Back to the front, in their original order (RabbitMQ requeues to the original position when it can; an SQS
  // consumer sets the visibility timeout to 0). A log consumer just refetches from its position.
  if (kinds_[c.queue] != QueueKind::log)
    for (uint32_t slot : slots) requeue(ctx, slot, true);
}

void Queues::crash(ModelContext& ctx, uint32_t consumer, bool begin) {
  QueueConsumer& c = consumers_[consumer];
  uint32_t q = c.queue;
  if (begin) {
    if (c.crashed) return;
    c.crashed = true;
    ++c.epoch;
    ++c.crashes;
    c.poll_scheduled = false;
    ctx.log(consumer_name(consumer) + " crashed with " + std::to_string(c.outstanding.size()) +
              " unacked deliveries");
    // Everything the process held is gone, including acks not yet sent. The broker: SQS waits for the visibility
    // timeouts; AMQP requeues the unacked messages when the connection closes; the log rebalances.
    std::vector<uint32_t> held = c.outstanding;
    std::vector<uint32_t> requeue_slots;
    for (uint32_t d : held) {
      uint32_t slot = deliveries_[d].message;
      if (kinds_[q] == QueueKind::amqp && messages_[slot].held) requeue_slots.push_back(slot);
      free_delivery(ctx, d);
    }
    c.inbox.clear();
    c.current = none;
    for (size_t i = requeue_slots.size(); i-- > 0;) requeue(ctx, requeue_slots[i], true);
    if (kinds_[q] == QueueKind::log && c.member()) start_rebalance(ctx, q);
  } else {
    if (!c.crashed) return;
    c.crashed = false;
    c.paused_until_ns = 0;   // a fresh process
    c.expelled = false;
    ++c.epoch;
    c.poll_scheduled = false;
    ctx.log(consumer_name(consumer) + " restarted");
    if (kinds_[q] == QueueKind::log && c.member()) start_rebalance(ctx, q);
  }
  dispatch(ctx, q);
}

void Queues::pause(ModelContext& ctx, uint32_t consumer, time_ns until_ns) {
  QueueConsumer& c = consumers_[consumer];
  if (until_ns <= c.paused_until_ns) return;
  const bool begins = !c.paused(ctx.now());
  c.paused_until_ns = until_ns;
  const QueueSpec& spec = specs[c.queue];
  if (begins && kinds_[c.queue] == QueueKind::log && spec.session_timeout_ms > 0) {
    // The coordinator hears no heartbeat from the frozen process; its last one is taken to be the pause's start
    // (Kafka's comes up to heartbeat.interval.ms earlier).
    ++c.pause_number;
    ctx.kernel.schedule_after(ms_to_ns(spec.session_timeout_ms), ev::queue_session_check, consumer,
                              (uint64_t)c.epoch << 32 | c.pause_number);
  }
  ctx.log(consumer_name(consumer) + " paused for " +
            std::to_string((int64_t)ns_to_ms(until_ns - ctx.now())) + " ms");
  ctx.kernel.schedule(until_ns, ev::queue_resume, consumer, c.epoch);
}

void Queues::set_consumer_count(ModelContext& ctx, uint32_t queue, int count) {
  count = std::clamp(count, 0, consumers_max);
  std::vector<uint32_t>& list = queue_consumers_[queue];
  int members = 0;
  for (uint32_t c : list) members += consumers_[c].member() ? 1 : 0;
  bool changed = members != count;
  // Grow: bring back retiring or stopped consumers first (lowest index first), then start new ones.
  for (uint32_t c : list) {
    if (members >= count) break;
    QueueConsumer& k = consumers_[c];
    if (k.member()) continue;
    if (!k.active) {
      k.crashed = false;   // a fresh process
      k.paused_until_ns = 0;
      k.expelled = false;
      ++k.epoch;
      k.poll_scheduled = false;
    }
    k.active = true;
    k.retiring = false;
    ++members;
  }
  while (members < count) {
    QueueConsumer k;
    k.queue = queue;
    k.index = (uint32_t)list.size();
    k.active = true;
    consumers_.push_back(k);
    list.push_back((uint32_t)consumers_.size() - 1);
    ++members;
  }
  // Shrink: the highest indices stop taking messages, hand back what they buffered and finish what they process.
  for (size_t i = list.size(); i-- > 0 && members > count;) {
    uint32_t c = list[i];
    QueueConsumer& k = consumers_[c];
    if (!k.member()) continue;
    k.retiring = true;
    --members;
    release_buffered(ctx, c);
    if (k.outstanding.empty()) {
      k.retiring = false;
      k.active = false;
    }
  }
  if (!changed) return;
  if (kinds_[queue] == QueueKind::log && ctx.now() > 0) start_rebalance(ctx, queue);
  else if (kinds_[queue] == QueueKind::log) assign_partitions(ctx, queue);
  for (uint32_t c : list)
    if (consumers_[c].active) kick(ctx, c);
  dispatch(ctx, queue);
}

// ---- broker -------------------------------------------------------------------------------------------------------

void Queues::dispatch(ModelContext& ctx, uint32_t queue) {
  if (kinds_[queue] == QueueKind::log) return dispatch_log(ctx, queue);
  std::deque<std::pair<uint32_t, uint64_t>>& line = ready_[queue];
  const std::vector<uint32_t>& list = queue_consumers_[queue];
  const QueueSpec& spec = specs[queue];
  time_ns retention_ns = s_to_ns(spec.retention_s);
  QueueStats& st = stats_[queue];
  while (!line.empty()) {
    auto [slot, id] = line.front();
    if (!message_is(slot, id) || !messages_[slot].visible) {
      line.pop_front();   // acked, dead-lettered or redelivered since it was queued here
      continue;
    }
    QueueMessage& m = messages_[slot];
    if (kinds_[queue] == QueueKind::sqs && ctx.now() - m.publish_ns >= retention_ns) {
      line.pop_front();
      ++st.expired;
      remove_held(ctx, slot);
      maybe_free_message(slot);
      continue;
    }
    // Round robin over consumers with room (a long poll returns as soon as a message is visible). An AMQP broker
    // pushes to every consumer with prefetch credit: it cannot tell a consumer frozen in a GC pause from a busy
    // one, so a paused consumer keeps receiving up to its prefetch and those messages wait out the pause. An SQS
    // consumer pulls, and a paused one asks for nothing.
    const bool push = kinds_[queue] == QueueKind::amqp;
    uint32_t n = (uint32_t)list.size(), chosen = none;
    for (uint32_t k = 0; k < n; ++k) {
      uint32_t index = (round_robin_[queue] + k) % n;
      const QueueConsumer& c = consumers_[list[index]];
      if (c.member() && !c.crashed && (push || !c.paused(ctx.now())) &&
          c.unacked < (uint32_t)spec.consumers.prefetch) {
        chosen = index;
        break;
      }
    }
    if (chosen == none) return;
    round_robin_[queue] = (chosen + 1) % n;
    line.pop_front();
    m.visible = false;
    --st.waiting;
    st.waiting_tw.set(ctx.now(), (double)st.waiting);
    deliver(ctx, list[chosen], slot, false);
  }
}

void Queues::dispatch_log(ModelContext& ctx, uint32_t queue) {
  if (rebalancing_[queue] && !cooperative(queue)) return;   // eager: the whole group stops
  std::vector<QueuePartition>& parts = partitions_[queue];
  uint32_t prefetch = (uint32_t)specs[queue].consumers.prefetch;
  for (uint32_t consumer : queue_consumers_[queue]) {
    QueueConsumer& c = consumers_[consumer];
    if (!c.member() || c.crashed || c.paused(ctx.now()) || c.partitions.empty()) continue;
    while (c.unacked < prefetch) {
      // The next assigned partition (round robin) with a record to fetch.
      uint32_t n = (uint32_t)c.partitions.size(), found = none;
      for (uint32_t k = 0; k < n; ++k) {
        uint32_t p = c.partitions[(c.next_partition + k) % n];
        if (parts[p].fetch < parts[p].end_offset) {
          found = p;
          c.next_partition = (c.next_partition + k + 1) % n;
          break;
        }
      }
      if (found == none) break;
      QueuePartition& part = parts[found];
      uint32_t slot = part.records[(size_t)(part.fetch - part.base_offset)];
      ++part.fetch;
      if (!messages_[slot].held) continue;   // dead-lettered before a replay: not processed again
      deliver(ctx, consumer, slot, false);
    }
  }
}

void Queues::on_visibility_expired(ModelContext& ctx, uint32_t slot, uint64_t tag) {
  if (!messages_.occupied(slot)) return;
  QueueMessage& m = messages_[slot];
  if (visibility_tag(m.id, m.receipt) != tag || !m.held || m.visible) return;
  uint32_t q = m.queue;
  const QueueSpec& spec = specs[q];
  QueueStats& st = stats_[q];
  if (ctx.now() - m.publish_ns >= s_to_ns(spec.retention_s)) {
    ++st.expired;
    remove_held(ctx, slot);
    maybe_free_message(slot);
    return;
  }
  // SQS moves a message to the dead-letter queue when its receive count would exceed maxReceiveCount.
  if (spec.dead_letter && m.receive_count >= (uint32_t)spec.max_receives) {
    give_up_message(ctx, q, slot, none);
    return;
  }
  requeue(ctx, slot, false);
}

// Retention: messages past retention_s leave the front of the ready line (checked at each sample tick and at each
// receive; in-flight ones when their visibility timeout ends).
void Queues::expire_sweep(ModelContext& ctx, uint32_t queue) {
  if (kinds_[queue] != QueueKind::sqs) return;
  std::deque<std::pair<uint32_t, uint64_t>>& line = ready_[queue];
  time_ns retention_ns = s_to_ns(specs[queue].retention_s);
  while (!line.empty()) {
    auto [slot, id] = line.front();
    if (!message_is(slot, id) || !messages_[slot].visible) {
      line.pop_front();
      continue;
    }
    QueueMessage& m = messages_[slot];
    if (ctx.now() - m.publish_ns < retention_ns) break;
    line.pop_front();
    ++stats_[queue].expired;
    remove_held(ctx, slot);
    maybe_free_message(slot);
  }
}

void Queues::commit(ModelContext& ctx, uint32_t queue, uint32_t partition, uint64_t offset) {
  QueuePartition& part = partitions_[queue][partition];
  QueueStats& st = stats_[queue];
  offset = std::min(offset, part.end_offset);
  while (part.committed < offset) {
    uint32_t slot = part.records[(size_t)(part.committed - part.base_offset)];
    QueueMessage& m = messages_[slot];
    if (m.held) {
      m.acked = true;
      ++st.acked;
      remove_held(ctx, slot);
      maybe_lost(slot);
    }
    ++part.committed;
  }
  while (part.base_offset < part.committed) {
    uint32_t slot = part.records.front();
    part.records.pop_front();
    ++part.base_offset;
    messages_[slot].in_log = false;
    maybe_free_message(slot);
  }
}

void Queues::commit_tick(ModelContext& ctx, uint32_t queue) {
  QueueStats& st = stats_[queue];
  st.lag_max = std::max(st.lag_max, total_lag(queue));   // lag peaks just before a commit
  if (!rebalancing_[queue] || cooperative(queue)) {   // cooperative: the partitions that stay keep committing
    for (uint32_t p = 0; p < partitions_[queue].size(); ++p) {
      QueuePartition& part = partitions_[queue][p];
      if (part.owner == none) continue;
      const QueueConsumer& c = consumers_[part.owner];
      // Auto-commit runs inside poll(): a crashed or paused consumer commits nothing.
      if (c.crashed || c.paused(ctx.now())) continue;
      commit(ctx, queue, p, part.consumed);
    }
  }
  ctx.kernel.schedule_after(ms_to_ns(specs[queue].commit_interval_ms), ev::queue_commit, queue);
}

// An eager rebalance: every partition is revoked (live owners commit what they consumed), consumption stops for
// rebalance_ms, then the partitions are assigned round robin and consumption resumes from the committed offsets.
// A dead consumer's uncommitted records are therefore replayed by their new owner.
void Queues::start_rebalance(ModelContext& ctx, uint32_t queue) {
  if (cooperative(queue)) return start_cooperative_rebalance(ctx, queue);
  std::vector<QueuePartition>& parts = partitions_[queue];
  if (!rebalancing_[queue]) {
    for (uint32_t p = 0; p < parts.size(); ++p) {
      if (parts[p].owner == none) continue;
      const QueueConsumer& c = consumers_[parts[p].owner];
      // A member that left the group (frozen, or stuck in one record) cannot run its revocation commit.
      if (!c.crashed && !c.paused(ctx.now()) && !c.expelled) commit(ctx, queue, p, parts[p].consumed);
    }
  }
  for (QueuePartition& part : parts) {
    if (part.owner != none && part.unowned_since < 0) part.unowned_since = ctx.now();
    part.owner = none;
    ++part.assignment;
  }
  rebalancing_[queue] = true;
  ++stats_[queue].rebalances;
  for (uint32_t c : queue_consumers_[queue]) {
    consumers_[c].partitions.clear();
    release_buffered(ctx, c);
  }
  ctx.log("queue " + specs[queue].name + ": consumer group rebalancing (" +
            std::to_string((int64_t)specs[queue].rebalance_ms) + " ms pause)");
  ctx.kernel.schedule_after(ms_to_ns(specs[queue].rebalance_ms), ev::queue_rebalance_end, queue,
                              ++rebalance_generation_[queue]);
}

void Queues::assign_partitions(ModelContext& ctx, uint32_t queue) {
  rebalancing_[queue] = false;
  std::vector<uint32_t> members;
  for (uint32_t c : queue_consumers_[queue]) {
    consumers_[c].partitions.clear();
    consumers_[c].next_partition = 0;
    if (consumers_[c].member() && !consumers_[c].crashed && !consumers_[c].expelled) members.push_back(c);
  }
  std::vector<QueuePartition>& parts = partitions_[queue];
  for (uint32_t p = 0; p < parts.size(); ++p) {
    QueuePartition& part = parts[p];
    ++part.assignment;
    part.fetch = part.consumed = part.committed;
    part.owner = members.empty() ? none : members[p % members.size()];
    if (part.owner != none) consumers_[part.owner].partitions.push_back(p);
    if (part.owner != none && part.unowned_since >= 0) {
      stats_[queue].partition_pause_ns += ctx.now() - part.unowned_since;
      part.unowned_since = -1;
    }
  }
  dispatch(ctx, queue);
}

// Cooperative (incremental) rebalancing, Kafka's KIP-429: only the partitions whose owner changes are revoked
// (their live owners commit them first); the others keep being fetched, processed and committed. The revoked
// ones wait rebalance_ms (the follow-up rebalance that assigns them) and resume from their committed offsets.
void Queues::start_cooperative_rebalance(ModelContext& ctx, uint32_t queue) {
  std::vector<QueuePartition>& parts = partitions_[queue];
  std::vector<uint32_t> target = sticky_targets(queue);
  uint32_t moved = 0;
  for (uint32_t p = 0; p < parts.size(); ++p) {
    QueuePartition& part = parts[p];
    if (part.owner == none || part.owner == target[p]) continue;
    const uint32_t owner = part.owner;
    const QueueConsumer& c = consumers_[owner];
    if (!c.crashed && !c.paused(ctx.now()) && !c.expelled) commit(ctx, queue, p, part.consumed);
    set_owner(ctx, queue, p, none);
    release_buffered_partition(ctx, owner, p);
    ++moved;
  }
  rebalancing_[queue] = true;
  ++stats_[queue].rebalances;
  ctx.log("queue " + specs[queue].name + ": cooperative rebalance, " + std::to_string(moved) +
          " partitions revoked (" + std::to_string((int64_t)specs[queue].rebalance_ms) + " ms pause for them)");
  ctx.kernel.schedule_after(ms_to_ns(specs[queue].rebalance_ms), ev::queue_rebalance_end, queue,
                            ++rebalance_generation_[queue]);
}

std::vector<uint32_t> Queues::sticky_targets(uint32_t queue) const {
  const std::vector<QueuePartition>& parts = partitions_[queue];
  std::vector<uint32_t> members;   // global consumer indices, in index order
  for (uint32_t c : queue_consumers_[queue])
    if (consumers_[c].member() && !consumers_[c].crashed && !consumers_[c].expelled) members.push_back(c);
  std::vector<uint32_t> target(parts.size(), none);
  if (members.empty()) return target;
  const size_t m = members.size(), base = parts.size() / m;
  size_t extra = parts.size() % m;   // members that may hold base + 1
  std::vector<size_t> count(m, 0);
  auto member_of = [&](uint32_t consumer) -> size_t {
    for (size_t i = 0; i < m; ++i)
      if (members[i] == consumer) return i;
    return m;
  };
  // Keep: each member keeps its partitions up to base (lowest partition first), then `extra` members one more.
  for (int pass = 0; pass < 2; ++pass)
    for (uint32_t p = 0; p < parts.size(); ++p) {
      if (target[p] != none || parts[p].owner == none) continue;
      size_t i = member_of(parts[p].owner);
      if (i == m) continue;
      if (count[i] < base || (pass == 1 && count[i] == base && extra > 0)) {
        if (count[i] == base) --extra;
        target[p] = members[i];
        ++count[i];
      }
    }
  // Move: the rest to the member holding the fewest (lowest index on a tie).
  for (uint32_t p = 0; p < parts.size(); ++p) {
    if (target[p] != none) continue;
    size_t best = 0;
    for (size_t i = 1; i < m; ++i)
      if (count[i] < count[best]) best = i;
    target[p] = members[best];
    ++count[best];
  }
  return target;
}

void Queues::set_owner(ModelContext& ctx, uint32_t queue, uint32_t partition, uint32_t owner) {
  QueuePartition& part = partitions_[queue][partition];
  if (part.owner != none) {
    std::vector<uint32_t>& list = consumers_[part.owner].partitions;
    list.erase(std::remove(list.begin(), list.end(), partition), list.end());
    consumers_[part.owner].next_partition = 0;
  }
  ++part.assignment;
  if (owner == none) {
    if (part.unowned_since < 0) part.unowned_since = ctx.now();
  } else {
    part.fetch = part.consumed = part.committed;
    consumers_[owner].partitions.push_back(partition);
    if (part.unowned_since >= 0) {
      stats_[queue].partition_pause_ns += ctx.now() - part.unowned_since;
      part.unowned_since = -1;
    }
  }
  part.owner = owner;
}

// A revoked partition's records buffered by its old owner are dropped (the new owner fetches them again).
void Queues::release_buffered_partition(ModelContext& ctx, uint32_t consumer, uint32_t partition) {
  QueueConsumer& c = consumers_[consumer];
  std::vector<uint32_t> drop;
  for (uint32_t d : c.inbox)
    if (messages_[deliveries_[d].message].partition == partition) drop.push_back(d);
  for (uint32_t d : drop) {
    c.inbox.erase(std::find(c.inbox.begin(), c.inbox.end(), d));
    free_delivery(ctx, d);
  }
}

// The group coordinator removes a member: it sent no heartbeat for session.timeout.ms (a frozen process: its
// heartbeat thread stops too), or its heartbeat thread left because the application did not call poll() within
// max.poll.interval.ms (KIP-62). Its partitions go to the others from their committed offsets.
void Queues::leave_group(ModelContext& ctx, uint32_t consumer, bool session) {
  QueueConsumer& c = consumers_[consumer];
  const uint32_t q = c.queue;
  c.expelled = true;
  if (session) {
    ++stats_[q].session_timeouts;
    ctx.log(consumer_name(consumer) + " left the group: no heartbeat for " +
            std::to_string((int64_t)specs[q].session_timeout_ms) + " ms (session.timeout.ms)");
  } else {
    ++stats_[q].poll_interval_exits;
    ctx.log(consumer_name(consumer) + " left the group: no poll for " +
            std::to_string((int64_t)specs[q].max_poll_interval_ms) + " ms (max.poll.interval.ms)");
  }
  start_rebalance(ctx, q);
}

void Queues::on_session_check(ModelContext& ctx, uint32_t consumer, uint64_t tag) {
  QueueConsumer& c = consumers_[consumer];
  if (tag != ((uint64_t)c.epoch << 32 | c.pause_number)) return;
  // Still frozen in the pause that began session_timeout_ms ago (a longer pause may have extended it).
  if (!c.paused(ctx.now()) || !c.member() || c.crashed || c.expelled) return;
  leave_group(ctx, consumer, true);
}

void Queues::on_poll_check(ModelContext& ctx, uint32_t delivery, uint32_t generation) {
  if (!deliveries_.live(delivery, generation)) return;
  const QueueDelivery& del = deliveries_[delivery];
  if (!del.processing) return;   // it finished in time: the consumer polled again
  const QueueConsumer& c = consumers_[del.consumer];
  if (!c.member() || c.crashed || c.expelled) return;
  // A frozen process's heartbeat thread is frozen too: it notices the overdue poll when the pause ends.
  if (c.paused(ctx.now())) {
    ctx.kernel.schedule(c.paused_until_ns, ev::queue_poll_check, delivery, generation);
    return;
  }
  leave_group(ctx, del.consumer, false);
}

void Queues::end_rebalance(ModelContext& ctx, uint32_t queue, uint64_t generation) {
  if (generation != rebalance_generation_[queue] || !rebalancing_[queue]) return;
  if (cooperative(queue)) {
    // The follow-up rebalance: the revoked partitions go to their new owners; the others never stopped.
    std::vector<uint32_t> target = sticky_targets(queue);
    rebalancing_[queue] = false;
    for (uint32_t p = 0; p < partitions_[queue].size(); ++p)
      if (partitions_[queue][p].owner == none && target[p] != none) set_owner(ctx, queue, p, target[p]);
    ctx.log("queue " + specs[queue].name + ": rebalance done, moved partitions resume from their committed offsets");
    dispatch(ctx, queue);
    return;
  }
  assign_partitions(ctx, queue);
  ctx.log("queue " + specs[queue].name + ": rebalance done, partitions resume from their committed offsets");
}

void Queues::admit_blocked(ModelContext& ctx, uint32_t queue) {
  admit_scheduled_[queue] = false;
  QueueStats& st = stats_[queue];
  while (!blocked_[queue].empty() && st.held < specs[queue].max_length) {
    auto [flow, generation] = blocked_[queue].front();
    blocked_[queue].pop_front();
    if (!ctx.flow_live(flow, generation)) continue;
    ++st.published;
    new_message(ctx, queue, ctx.flow(flow).key);
    dispatch(ctx, queue);
    ctx.flow_continue(flow, false);
  }
}

// ---- the world's entry points -------------------------------------------------------------------------------------

void Queues::publish(ModelContext& ctx, uint32_t flow_id, uint32_t queue_id) {
  PG_ASSERT(queue_id < specs.size(), "publish: queue id out of range");
  PG_ASSERT(ctx.flow_exists(flow_id), "publish: the flow has ended");
  const QueueSpec& spec = specs[queue_id];
  QueueStats& st = stats_[queue_id];
  if (st.held >= spec.max_length) {
    if (spec.on_full == QueueOnFull::reject) {
      ++st.rejected;
      return ctx.flow_fail(flow_id, FailReason::queue_full);
    }
    if (spec.on_full == QueueOnFull::drop) {
      ++st.published;
      ++st.lost_dropped;
      ++st.interval_in;
      return ctx.flow_continue(flow_id, false);
    }
    // block: the publisher waits (backpressure) until an ack, dead letter or expiry makes room.
    if (st.blocked == 0) ctx.log("queue " + spec.name + " is full: publishers block");
    ++st.blocked;
    blocked_[queue_id].push_back({flow_id, ctx.flow(flow_id).generation});
    return;
  }
  ++st.published;
  new_message(ctx, queue_id, ctx.flow(flow_id).key);
  dispatch(ctx, queue_id);
  ctx.flow_continue(flow_id, false);
}

void Queues::handle(ModelContext& ctx, const Event& event) {
  auto delivery_live = [&](uint32_t d, uint64_t generation) { return deliveries_.live(d, (uint32_t)generation); };
  switch (event.kind) {
    case ev::queue_visibility: on_visibility_expired(ctx, event.a, event.b); break;
    case ev::queue_ack: {
      if (!delivery_live(event.a, event.b)) break;
      const QueueConsumer& c = consumers_[deliveries_[event.a].consumer];
      if (c.paused(ctx.now())) ctx.kernel.schedule(c.paused_until_ns, ev::queue_ack, event.a, event.b);
      else ack_arrived(ctx, event.a);
      break;
    }
    case ev::queue_poll:
      if (consumers_[event.a].epoch == (uint32_t)event.b) poll(ctx, event.a);
      break;
    case ev::queue_resume:
      if (consumers_[event.a].epoch == (uint32_t)event.b && !consumers_[event.a].paused(ctx.now())) {
        ctx.log(consumer_name(event.a) + " resumed");
        kick(ctx, event.a);
        dispatch(ctx, consumers_[event.a].queue);
      }
      break;
    case ev::queue_commit: commit_tick(ctx, event.a); break;
    case ev::queue_rebalance_end: end_rebalance(ctx, event.a, event.b); break;
    case ev::queue_done_ok:
    case ev::queue_done_fail:
      if (delivery_live(event.a, event.b)) processing_done(ctx, event.a, event.kind == ev::queue_done_ok);
      break;
    case ev::queue_admit: admit_blocked(ctx, event.a); break;
    case ev::queue_session_check: on_session_check(ctx, event.a, event.b); break;
    case ev::queue_poll_check: on_poll_check(ctx, event.a, (uint32_t)event.b); break;
    default: PG_ASSERT(false, "queue event kind without a handler");
  }
}

void Queues::apply_set(ModelContext& ctx, const ParameterRef& ref, const FaultSpec& fault) {
  const uint32_t q = ref.item;
  const std::string_view field = ref.info->path;
  if (field == "consumers/count") {
    // The group grows or shrinks through its members, not by writing the count.
    set_consumer_count(ctx, q, (int)clamp_to_field(*ref.info, fault.value));
  } else {
    set_field_number(queue_fields()[ref.field], specs[q], fault.value);   // applies to later receives
    if (field == "consumers/prefetch") dispatch(ctx, q);
  }
  ctx.log("set " + fault.path + " = " + std::to_string(fault.value));
}

PG_COLD_CODE bool Queues::apply_fault(ModelContext& ctx, const FaultSpec& fault, bool begin) {
  if (fault.kind != FaultKind::crash && fault.kind != FaultKind::pause) return false;
  // Targets: "QUEUE/consumer#i" or "QUEUE/consumers".
  size_t slash = fault.target.find('/');
  if (slash == std::string::npos) return false;
  uint32_t q = find(fault.target.substr(0, slash));
  if (q == none) return false;
  std::string who = fault.target.substr(slash + 1);
  std::vector<uint32_t> targets;
  if (who == "consumers") {
    targets = queue_consumers_[q];
  } else if (who.rfind("consumer#", 0) == 0) {
    std::string digits = who.substr(9);
    if (digits.empty() || digits.size() > 3 || digits.find_first_not_of("0123456789") != std::string::npos)
      return false;
    uint32_t index = (uint32_t)std::stoul(digits);
    if (index >= queue_consumers_[q].size()) {
      if (begin) ctx.log("fault target \"" + fault.target + "\": no such consumer (yet); ignored");
      return true;
    }
    targets.push_back(queue_consumers_[q][index]);
  } else {
    return false;
  }
  for (uint32_t c : targets) {
    if (fault.kind == FaultKind::crash) crash(ctx, c, begin);
    else if (begin) pause(ctx, c, ctx.now() + ms_to_ns(fault.for_ms));
  }
  return true;
}

// ---- metrics ------------------------------------------------------------------------------------------------------

time_ns Queues::oldest_age_ns(uint32_t queue, time_ns now) const {
  const auto& held = held_by_id_[queue];
  return held.empty() ? 0 : now - held.begin()->second;
}

uint64_t Queues::partition_lag(uint32_t queue, uint32_t partition) const {
  const QueuePartition& part = partitions_[queue][partition];
  return part.end_offset - part.committed;
}

uint64_t Queues::total_lag(uint32_t queue) const {
  uint64_t lag = 0;
  for (const QueuePartition& part : partitions_[queue]) lag += part.end_offset - part.committed;
  return lag;
}

bool Queues::group_fields_set(uint32_t queue) const {
  const QueueSpec& spec = specs[queue];
  return kinds_[queue] == QueueKind::log &&
         (spec.session_timeout_ms > 0 || spec.max_poll_interval_ms > 0 || cooperative(queue));
}

bool Queues::conservation_holds(uint32_t queue) const {
  const QueueStats& st = stats_[queue];
  uint64_t ended = st.acked + st.dead_lettered + st.expired + st.lost_dropped + st.lost_discarded;
  if (st.held < 0 || st.published != ended + (uint64_t)st.held) return false;
  int64_t counted = 0;
  for (const QueueMessage& m : messages_.slots())
    if (m.live && m.queue == queue && m.held) ++counted;
  if (counted != st.held || (int64_t)held_by_id_[queue].size() != st.held) return false;
  if (st.lost_unprocessed > st.acked) return false;
  return true;
}

void Queues::check_invariants(const ModelContext&) const {
  messages_.check_consistent();
  deliveries_.check_consistent();
  for (uint32_t q = 0; q < specs.size(); ++q)
    PG_ASSERT(conservation_holds(q), "queue conservation: published = acked + dead-lettered + expired + lost + held");
  for (const QueueConsumer& c : consumers_)
    PG_ASSERT(c.unacked <= c.outstanding.size(), "a consumer counts more prefetched deliveries than it holds");
}

void Queues::sample(ModelContext& ctx, time_ns interval_ns) {
  double seconds = ns_to_s(interval_ns);
  for (uint32_t q = 0; q < specs.size(); ++q) {
    expire_sweep(ctx, q);
    QueueStats& st = stats_[q];
    uint64_t lag = total_lag(q);
    st.lag_max = std::max(st.lag_max, lag);
    st.depth.push((double)st.held);
    st.waiting_series.push((double)st.waiting);
    st.lag.push((double)lag);
    st.throughput_in.push((double)st.interval_in / seconds);
    st.throughput_out.push((double)st.interval_out / seconds);
    st.oldest_age_ms.push(ns_to_ms(oldest_age_ns(q, ctx.now())));
    st.interval_in = st.interval_out = 0;
  }
}

PG_COLD_CODE nlohmann::json Queues::report(const ModelContext& ctx) const {
  nlohmann::json out = nlohmann::json::object();
  time_ns now = ctx.now();
  for (uint32_t q = 0; q < specs.size(); ++q) {
    const QueueStats& st = stats_[q];
    int members = 0;
    for (uint32_t c : queue_consumers_[q]) members += consumers_[c].member() ? 1 : 0;
    ReportObject lost_by;
    lost_by.put("dropped", st.lost_dropped).put("discarded", st.lost_discarded).put("unprocessed", st.lost_unprocessed);
    ReportObject r;
    r.put("kind", queue_kind_words[(int)specs[q].kind]).put("published", st.published).put("rejected", st.rejected);
    r.put("delivered", st.delivered).put("acked", st.acked).put("duplicates", st.duplicates);
    r.put("side_effects", st.side_effects).put("duplicate_side_effects", st.duplicate_side_effects);
    r.put("skipped_duplicates", st.skipped_duplicates).put("lost", st.lost()).put("lost_by", lost_by.take());
    r.put("dead_lettered", st.dead_lettered).put("expired", st.expired).put("redeliveries", st.redeliveries);
    r.put("failures", st.failures).put("held", st.held).put("blocked_publishers", blocked_[q].size());
    r.put("consumers", members).round("depth_mean", st.depth_tw.mean(0, now));
    r.put("depth_max", (int64_t)st.depth_tw.max_value);
    r.round("oldest_age_ms_max", ns_to_ms(std::max(st.oldest_age_max_ns, oldest_age_ns(q, now))));
    r.put("end_to_end_ms", histogram_ms_json(st.end_to_end));
    if (kinds_[q] != QueueKind::log) {
      // Visible messages waiting for a consumer (the queueing-theory Lq), and those delivered but not yet acked.
      r.put("waiting", st.waiting).round("waiting_mean", st.waiting_tw.mean(0, now)).put("in_flight", st.held - st.waiting);
    } else {
      nlohmann::json lags = nlohmann::json::array();
      for (uint32_t p = 0; p < partitions_[q].size(); ++p) lags.push_back(partition_lag(q, p));
      r.put("lag_max", std::max(st.lag_max, total_lag(q))).put("lag", total_lag(q)).put("lag_by_partition", std::move(lags));
      r.put("rebalances", st.rebalances);
      if (group_fields_set(q)) {
        nlohmann::json order = nlohmann::json::array();
        for (const QueuePartition& part : partitions_[q]) order.push_back(part.out_of_order);
        time_ns pause_ns = st.partition_pause_ns;
        for (const QueuePartition& part : partitions_[q])
          if (part.unowned_since >= 0) pause_ns += now - part.unowned_since;
        r.put("session_timeouts", st.session_timeouts).put("poll_interval_exits", st.poll_interval_exits);
        r.round("partition_pause_ms", ns_to_ms(pause_ns)).put("out_of_order", st.out_of_order);
        r.put("out_of_order_by_partition", std::move(order));
      }
    }
    out[specs[q].name] = r.take();
  }
  return out;
}

PG_COLD_CODE nlohmann::json Queues::series_report() const {
  nlohmann::json out = nlohmann::json::object();
  for (uint32_t q = 0; q < specs.size(); ++q) {
    const QueueStats& st = stats_[q];
    ReportObject s;
    s.put("depth", series_json(st.depth)).put("throughput_in_per_s", series_json(st.throughput_in));
    s.put("throughput_out_per_s", series_json(st.throughput_out)).put("oldest_age_ms", series_json(st.oldest_age_ms));
    if (kinds_[q] == QueueKind::log) s.put("lag", series_json(st.lag));
    else s.put("waiting", series_json(st.waiting_series));
    out[specs[q].name] = s.take();
  }
  return out;
}

}  // namespace pg
