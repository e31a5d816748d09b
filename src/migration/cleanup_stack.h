// The undo list of a migration: every artifact, when created, pushes the statement that removes
// it. Unwinding runs them newest first, so triggers (created after the shadow) are always dropped
// before the shadow they write into: a trigger left pointing at a missing table would break every
// write on the original (error 1146).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "util/status.h"

namespace shadowalter {

class CleanupStack {
 public:
  // `sql` removes an artifact and must be idempotent (DROP ... IF EXISTS).
  void Push(std::string what, std::string sql) {
    items_.push_back({std::move(what), {std::move(sql)}});
    ever_pushed_ = true;
  }
  // An undo that takes several statements on one session, run in the given order (e.g. setting
  // the session's sql_mode, then a CREATE that records it, then restoring it).
  void Push(std::string what, std::vector<std::string> statements) {
    items_.push_back({std::move(what), std::move(statements)});
    ever_pushed_ = true;
  }
  // Forget everything (after a successful swap the shadow is the table: never drop it).
  void Release() { items_.clear(); }
  bool empty() const { return items_.empty(); }
  // Whether anything was ever pushed (released or unwound since, or not): the run made or
  // adopted something, so "the original is unchanged" is worth saying after a cleanup.
  bool ever_pushed() const { return ever_pushed_; }
  // The undo statements in the order Unwind would run them, without running them.
  std::vector<std::string> Pending() const;

  // Runs every undo newest first through `run`, stopping at the first failure. Returns the
  // statements still needed, in the order they must run (empty: all clean).
  std::vector<std::string> Unwind(const std::function<Status(const std::string&)>& run);

 private:
  struct Item {
    std::string what;
    std::vector<std::string> sql;
  };
  std::vector<Item> items_;
  bool ever_pushed_ = false;
};

}  // namespace shadowalter
