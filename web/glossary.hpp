// The glossary: the words of the trade the page uses (TTL, fencing token, visibility timeout, vnode ...), one row per
// term: a stable id (window.playground.glossary(), the tests' rectangles), its name and one-sentence explanation in
// the string table (web/i18n/strings_glossary.inc, both languages), and the main-view tab that shows it. Where a term
// appears in the page, the code marks the item drawn (App::mark_term, web/panels/glossary.cpp): a dotted underline,
// the explanation on hover, and on a click or a tap a card with a button to that view. Help > Glossary lists them all.
// No ImGui here: the table is plain data, and which field of a scenario names which term is decided here too.
#pragma once
#include <cstddef>
#include <string_view>

#include "web/strings.hpp"

namespace pgweb {

enum class Term : uint8_t {
  ttl, lease, fencing, redlock, quorum,                          // locks
  visibility, dlq, group, prefetch, backlog, idempotent,         // queues
  vnode, zipf,                                                   // the ring and the keys
  p99, backoff,                                                  // services
  count
};

struct TermInfo {
  const char* id;     // "ttl", "fencing" ...: the same in every language
  StrId name;
  StrId explanation;
  const char* view;   // the main-view tab that shows it, by its English name (App::select_view)
};

inline constexpr TermInfo glossary_terms[] = {
    {"ttl", StrId::term_ttl, StrId::term_ttl_text, "Locks"},
    {"lease", StrId::term_lease, StrId::term_lease_text, "Locks"},
    {"fencing", StrId::term_fencing, StrId::term_fencing_text, "Locks"},
    {"redlock", StrId::term_redlock, StrId::term_redlock_text, "Locks"},
    {"quorum", StrId::term_quorum, StrId::term_quorum_text, "Locks"},
    {"visibility", StrId::term_visibility, StrId::term_visibility_text, "Queues"},
    {"dlq", StrId::term_dlq, StrId::term_dlq_text, "Queues"},
    {"group", StrId::term_group, StrId::term_group_text, "Queues"},
    {"prefetch", StrId::term_prefetch, StrId::term_prefetch_text, "Queues"},
    {"backlog", StrId::term_backlog, StrId::term_backlog_text, "Queues"},
    {"idempotent", StrId::term_idempotent, StrId::term_idempotent_text, "Queues"},
    {"vnode", StrId::term_vnode, StrId::term_vnode_text, "Ring"},
    {"zipf", StrId::term_zipf, StrId::term_zipf_text, "Ring"},
    {"p99", StrId::term_p99, StrId::term_p99_text, "Charts"},
    {"backoff", StrId::term_backoff, StrId::term_backoff_text, "Architecture"},
};
static_assert(sizeof glossary_terms / sizeof glossary_terms[0] == (size_t)Term::count, "one row per term");

inline const TermInfo& term_info(Term term) { return glossary_terms[(size_t)term]; }

// The term a scenario field's label names (its path within its item, "ttl_ms", "consumers/prefetch"); false if none.
inline bool term_for_field(std::string_view path, Term& term) {
  struct Pair {
    std::string_view path;
    Term term;
  };
  static constexpr Pair pairs[] = {
      {"ttl_ms", Term::ttl},          {"watchdog/renew_every_ms", Term::lease},
      {"fencing", Term::fencing},
      {"ensemble", Term::quorum},     {"visibility_timeout_ms", Term::visibility},
      {"max_receives", Term::dlq},    {"dead_letter", Term::dlq},
      {"rebalance_ms", Term::group},  {"consumers/prefetch", Term::prefetch},
      {"max_length", Term::backlog},  {"consumers/idempotent", Term::idempotent},
      {"placement/vnodes", Term::vnode}, {"keys/zipf_exponent", Term::zipf},
      {"retries/backoff_ms", Term::backoff},
  };
  for (const Pair& pair : pairs)
    if (pair.path == path) {
      term = pair.term;
      return true;
    }
  return false;
}

}  // namespace pgweb
