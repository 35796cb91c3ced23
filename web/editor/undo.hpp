// The edit history of the page's scenario (undo and redo), without ImGui: the states are the scenario's canonical
// JSON text (pg::scenario_to_text(s, -1)), so undoing gives back exactly the scenario before the edit. The session
// (web/session.hpp) records the state before each edit and restores one on undo; this class only keeps the two
// stacks, bounded by a count and by bytes (the oldest states are forgotten first). docs/editor.md, "Undo".
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace pgweb {

class UndoHistory {
 public:
  static constexpr size_t max_states = 100;               // per stack
  static constexpr size_t max_bytes = 8u * 1024 * 1024;   // both stacks together (a document is at most 1 MiB)

  // An edit is about to change the scenario from `before`: a new undo state; the redo states are forgotten.
  void record(std::string before);
  // Undo: the state to go back to, with `current` kept for redo. False (and nothing changes) when there is none.
  // States equal to `current` (an edit that changed nothing) are skipped.
  bool undo(const std::string& current, std::string& out);
  bool redo(const std::string& current, std::string& out);
  // The last record() did not happen after all (the edit was refused or cancelled): its state is dropped.
  void drop_last_record();
  void clear();
  bool can_undo() const { return !undo_.empty(); }
  bool can_redo() const { return !redo_.empty(); }
  size_t undo_count() const { return undo_.size(); }
  size_t redo_count() const { return redo_.size(); }
  size_t bytes() const { return bytes_; }

 private:
  bool move(std::vector<std::string>& from, std::vector<std::string>& to, const std::string& current,
            std::string& out);
  void push(std::vector<std::string>& stack, std::string state);
  void trim();

  std::vector<std::string> undo_, redo_;   // oldest first
  size_t bytes_ = 0;
};

}  // namespace pgweb
