// The edit history's two bounded stacks (see undo.hpp).
#include "web/editor/undo.hpp"

namespace pgweb {

void UndoHistory::push(std::vector<std::string>& stack, std::string state) {
  bytes_ += state.size();
  stack.push_back(std::move(state));
  trim();
}

// Forgets the oldest states (undo's first: they are the furthest from now) until both bounds hold; the newest state
// of each stack is always kept.
void UndoHistory::trim() {
  auto drop_front = [this](std::vector<std::string>& stack) {
    bytes_ -= stack.front().size();
    stack.erase(stack.begin());
  };
  while (undo_.size() > max_states) drop_front(undo_);
  while (redo_.size() > max_states) drop_front(redo_);
  while (bytes_ > max_bytes && undo_.size() > 1) drop_front(undo_);
  while (bytes_ > max_bytes && redo_.size() > 1) drop_front(redo_);
}

void UndoHistory::record(std::string before) {
  for (const std::string& state : redo_) bytes_ -= state.size();
  redo_.clear();
  push(undo_, std::move(before));
}

bool UndoHistory::move(std::vector<std::string>& from, std::vector<std::string>& to, const std::string& current,
                       std::string& out) {
  while (!from.empty() && from.back() == current) {   // an edit that changed nothing
    bytes_ -= from.back().size();
    from.pop_back();
  }
  if (from.empty()) return false;
  out = std::move(from.back());
  bytes_ -= out.size();
  from.pop_back();
  push(to, current);
  return true;
}

bool UndoHistory::undo(const std::string& current, std::string& out) { return move(undo_, redo_, current, out); }

bool UndoHistory::redo(const std::string& current, std::string& out) { return move(redo_, undo_, current, out); }

void UndoHistory::drop_last_record() {
  if (undo_.empty()) return;
  bytes_ -= undo_.back().size();
  undo_.pop_back();
}

void UndoHistory::clear() {
  undo_.clear();
  redo_.clear();
  bytes_ = 0;
}

}  // namespace pgweb
