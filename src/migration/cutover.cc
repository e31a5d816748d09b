// The cut-over's waiting, its swap (behind the write lock, or drop_swap) and the steps after it.
// The foreign-key parts are in cutover_foreign_keys.cc.
#include "migration/cutover.h"

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <thread>
#include <tuple>

#include "cutover/swap_guard.h"
#include "db/errors.h"
#include "db/quote.h"
#include "inspect/artifacts.h"
#include "inspect/inspector.h"
#include "migration/connect.h"
#include "migration/ddl_policies.h"
#include "migration/trigger_cutover.h"
#include "report/log.h"
#include "report/progress.h"
#include "sql/cluster_queries.h"
#include "sql/cutover.h"
#include "sql/ddl.h"
#include "sql/foreign_keys.h"
#include "sql/triggers.h"
#include "throttle/panic_file.h"
#include "util/clock.h"
#include "util/crash_point.h"

namespace shadowalter {

Cutover::Cutover(const Config& config, const ArtifactNames& names, const TableInfo& original,
                 const TableInfo& shadow, const RefusalLog& refusals, const RunRecord& record,
                 CleanupStack& cleanup, const DdlRetryPolicy& policy, const StopFlag& stop)
    : config_(config),
      names_(names),
      original_(original),
      shadow_(shadow),
      refusals_(refusals),
      record_(record),
      cleanup_(cleanup),
      policy_(policy),
      stop_(stop) {}

Status Cutover::WaitForFile(const std::function<Status()>& verify_again,
                            const std::function<Session*()>& session) const {
  const std::string& file = config_.postpone_cutover_file;
  const auto released = [&] { return live_ && live_->cutover_released(); };
  if (access(file.c_str(), F_OK) != 0) return Status::Ok();
  if (released()) {
    LogInfo("cut-over not postponed although " + file +
            " exists: it was released on the control socket");
    return Status::Ok();
  }
  LogInfo("cut-over postponed while " + file +
          " exists; the triggers keep the new table "
          "current meanwhile");
  const auto start = Clock::now();
  for (int round = 1; access(file.c_str(), F_OK) == 0 && !released(); ++round) {
    if (stop_.requested()) return AbortedError("stopped by " + stop_.Describe());
    SA_RETURN_IF_ERROR(CheckPanicFile(config_.panic_file));
    if (session && round % 4 == 0) {
      if (Session* s = session(); s != nullptr) {
        SwapGuardPlan plan;
        plan.schema = config_.conn.database;
        plan.table = config_.conn.table;
        plan.original_create = original_.create_statement;
        SA_RETURN_IF_ERROR(SwapGuard(std::move(plan), refusals_).CheckOriginalDefinition(*s));
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  LogInfo(std::string(released() ? "the cut-over was released on the control socket"
                                 : file + " is gone") +
          " after " + Fixed(SecondsSince(start), 1) + " s");
  if (!config_.verify) return Status::Ok();
  // The triggers kept the new table current while the swap waited; prove it again rather than
  // trust it (the refusal log and the swap's checks cover the rest of the way).
  LogInfo("verifying again: the cut-over waited since the verification");
  return verify_again();
}

Status Cutover::CheckWindow(std::optional<double> seconds_left,
                            const std::function<Status()>& verify_again) const {
  const ClockWindow& window = *config_.cutover_window;
  const std::optional<double> wait =
      SecondsToWaitForWindow(window, std::time(nullptr), seconds_left);
  if (wait && *wait == 0) return Status::Ok();
  if (!wait) {
    return ParkedError("outside the cut-over window " + ToString(window) +
                       (seconds_left ? ", which opens after the run's time limit" : "") +
                       ": the new table is complete and the triggers keep it current; the swap "
                       "waits for a run inside the window");
  }
  LogInfo("outside the cut-over window " + ToString(window) + ": waiting " + Fixed(*wait / 60, 1) +
          " min for it to open (before the run's time limit); the triggers keep the new table "
          "current meanwhile");
  const auto start = Clock::now();
  while (!InWindow(window, std::time(nullptr))) {
    if (stop_.requested()) return AbortedError("stopped by " + stop_.Describe());
    SA_RETURN_IF_ERROR(CheckPanicFile(config_.panic_file));
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  LogInfo("the cut-over window opened after " + Fixed(SecondsSince(start), 0) + " s");
  if (!config_.verify) return Status::Ok();
  LogInfo("verifying again: the cut-over waited since the verification");
  return verify_again();
}

Status Cutover::Swap(Session& ddl, bool heartbeat_table) {
  SA_RETURN_IF_ERROR(record_.RecordPhase(ddl, RunPhase::kSwapping));
  CrashPoint("before_swap");
  DelayPoint("before_swap");
  if (fk_method_ == ForeignKeyMethod::kDropSwap) {
    SA_RETURN_IF_ERROR(DropAndRename(ddl));
    if (heartbeat_table) QueueTableDrop("heartbeat table", names_.heartbeat_table);
    // The triggers and the old table went with the original.
    QueueTableDrop("refusal log", names_.refusals_table);
    return QueueOwnNameRestores();
  }
  if (reverse_) {
    // Before the reverse triggers, which record into it; the swap's undo drops it with the rest.
    cleanup_.Push("reverse refusal log " + QuoteIdentifier(names_.reverse_refusals_table),
                  DropTableStatement(config_.conn.database, names_.reverse_refusals_table));
    // One left by a stopped run's swap that never got to its triggers holds nothing.
    SA_RETURN_IF_ERROR(RunDdlWithRetry(
        ddl, DropTableStatement(config_.conn.database, names_.reverse_refusals_table), policy_,
        stop_));
    SA_RETURN_IF_ERROR(RunDdlWithRetry(ddl, reverse_->refusal_log_create, policy_, stop_)
                           .With("creating the reverse refusal log"));
  }
  SA_RETURN_IF_ERROR(total_order_ ? SwapBehindFence(ddl) : SwapBehindLock(ddl));
  BecomeTheTable();
  CrashPoint("after_swap");
  // Best effort: a checkpoint still saying "swapping" is read from the tables themselves.
  if (Status s = record_.RecordPhase(ddl, RunPhase::kSwapped); !s.ok()) LogWarning(s.message());
  LogInfo("swapped: " + QualifiedName(config_.conn.database, config_.conn.table) +
          " is the new table");
  if (reverse_) {
    // The old table, the reverse triggers and the checkpoint stay for `revert` or `finish`.
    if (heartbeat_table) QueueTableDrop("heartbeat table", names_.heartbeat_table);
    QueueTableDrop("refusal log", names_.refusals_table);
    return Status::Ok();
  }
  // Bottom of the list: the checkpoint goes last, once everything else is done.
  if (record_.on_record()) QueueTableDrop("checkpoint table", names_.checkpoint_table);
  if (heartbeat_table) QueueTableDrop("heartbeat table", names_.heartbeat_table);
  // Newest first in the list: the children's names, then the old table, then the table's own
  // foreign key names (free only once the old table is gone).
  if (config_.drop_old_table) {
    SA_RETURN_IF_ERROR(QueueOwnNameRestores());
    if (fk_method_ == ForeignKeyMethod::kNone) {
      LogWarning(
          "--alter-foreign-keys-method none: the child tables' foreign keys followed the "
          "old table; it is dropped with foreign_key_checks=0, so they now reference a "
          "missing table (writes to the children fail, deletes here no longer reach them)");
      after_swap_.Push("old table " + QuoteIdentifier(names_.old_table),
                       DropTableWithoutForeignKeyChecks(config_.conn.database, names_.old_table));
    } else {
      QueueTableDrop("old table", names_.old_table);
    }
  } else {
    if (fk_method_ == ForeignKeyMethod::kNone) {
      LogWarning(
          "--alter-foreign-keys-method none: the child tables' foreign keys reference the "
          "kept old table " +
          QuoteIdentifier(names_.old_table) + ", not the new table");
    }
    if (!original_.foreign_keys.empty()) {
      LogInfo(
          "the table's own foreign keys keep their toggled names: the kept old table holds "
          "the original ones");
    }
  }
  if (fk_method_ == ForeignKeyMethod::kRebuildConstraints) {
    SA_RETURN_IF_ERROR(QueueChildNameRestores());
  }
  // The run's triggers are gone already: the swap drops them under the table's write lock before
  // the RENAME (migration/trigger_cutover.h says why). On a cluster the fences left with the old
  // table: dropped first (newest in the list), whether or not the old table is kept.
  QueueTableDrop("refusal log", names_.refusals_table);
  if (total_order_) {
    for (const std::string* t : {&names_.insert_trigger, &names_.update_trigger,
                                 &names_.delete_trigger, &names_.fence_insert_trigger,
                                 &names_.fence_update_trigger, &names_.fence_delete_trigger}) {
      after_swap_.Push("trigger " + QuoteIdentifier(*t),
                       DropTriggerStatement(config_.conn.database, *t));
    }
  }
  return Status::Ok();
}

void Cutover::BecomeTheTable() {
  // From here on the new table is the table: nothing may drop it.
  swapped_ = true;
  cleanup_.Release();
}

Status Cutover::SwapBehindLock(Session& ddl) {
  // Before anything is dropped: after a crash inside the cut-over, this is the only copy left of
  // a trigger that is on neither table. The cut-over checks, under its lock, that the table still
  // has exactly these.
  if (CarriesOwnTriggers()) {
    SA_RETURN_IF_ERROR(record_.RecordOwnTriggers(ddl, original_.triggers));
  }
  SA_ASSIGN_OR_RETURN(std::unique_ptr<Session> second, OpenPrimarySession(config_));
  CutoverPlan plan{config_.conn.database,
                   config_.conn.table,
                   names_.shadow_table,
                   names_.old_table,
                   {names_.insert_trigger, names_.update_trigger, names_.delete_trigger},
                   original_.triggers,
                   [this](Session& s) { return CheckBeforeSwap(s); }};
  if (reverse_) {
    plan.shadow_triggers = reverse_->triggers;
    plan.before_rename = [this](Session& s) { return RecordReverseSide(s); };
  }
  TriggerCutover cutover(std::move(plan), ddl, *second,
                         PolicyFor(policy_, config_, DdlOperation::kSwapTables), stop_);
  Status s = cutover.Run();
  if (s.ok()) {
    if (!original_.triggers.empty()) {
      LogInfo("moved the table's " + std::to_string(original_.triggers.size()) +
              " own triggers to the new table under the write lock");
    }
    return s;
  }
  if (!cutover.leftovers().empty()) {
    // The table's triggers are not back where they were: dropping the new table now could take
    // the last copy of one with it. Nothing more runs; every statement still needed is listed
    // (Park lists those that put the triggers back, as the checkpoint stays).
    leftovers_ = cutover.leftovers();
    for (const std::string& sql : cleanup_.Pending()) leftovers_.push_back(sql);
    cleanup_.Release();
  }
  return s;
}

Status Cutover::SwapBehindFence(Session& ddl) {
  // The fences and the RENAME must reach every node in the same order: the session's settings
  // decide that (--set-vars, or a global changed since the preflight, could have turned it off).
  SA_ASSIGN_OR_RETURN(ResultSet mode, ddl.Query(GaleraSessionQuery()));
  const std::string on = mode.empty() ? "" : mode.rows[0][0].value_or("");
  const std::string osu =
      mode.empty() || mode.rows[0].size() < 2 ? "" : mode.rows[0][1].value_or("");
  if ((on != "1" && on != "ON") || osu != "TOI") {
    return AbortedError("the swap's session is not in the cluster's total order (wsrep_on " + on +
                        ", wsrep_OSU_method " + osu + "): not swapping on this node alone");
  }
  // The fenced moment is short: one try of each statement; between tries the fences are down.
  DdlRetryPolicy once = PolicyFor(policy_, config_, DdlOperation::kSwapTables);
  const unsigned tries = std::max(1u, once.tries);
  once.tries = 1;
  Status last;
  for (unsigned attempt = 1; attempt <= tries; ++attempt) {
    if (attempt > 1) {
      for (int slice = 0; slice < 10 && !stop_.requested(); ++slice) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      if (stop_.requested()) return AbortedError("stopped by " + stop_.Describe());
    }
    bool fences_down = false;
    last = FenceAndRename(ddl, once, fences_down);
    if (last.ok() || !fences_down || !IsLockConflict(last)) return last;
    LogWarning("swap try " + std::to_string(attempt) + " of " + std::to_string(tries) +
               " failed (" + last.message() + "); the fences are down again");
  }
  return last;
}

Status Cutover::FenceAndRename(Session& ddl, const DdlRetryPolicy& once, bool& fences_down) {
  const std::string& schema = config_.conn.database;
  const std::string& table = config_.conn.table;
  const std::pair<const std::string*, const char*> fences[] = {
      {&names_.fence_insert_trigger, "INSERT"},
      {&names_.fence_update_trigger, "UPDATE"},
      {&names_.fence_delete_trigger, "DELETE"},
  };
  CleanupStack unfence;
  bool rename_sent = false;
  const auto start = Clock::now();
  Status swapped = [&]() -> Status {
    for (const auto& [name, event] : fences) {
      unfence.Push("fence trigger " + QuoteIdentifier(*name), DropTriggerStatement(schema, *name));
      SA_RETURN_IF_ERROR(
          RunDdlWithRetry(ddl, FenceTriggerStatement(schema, table, *name, event), once, stop_)
              .With("fencing the table's writes (" + QuoteIdentifier(*name) + ")"));
    }
    CrashPoint("fenced");
    // No write of the table can happen on any node now, and the mirror triggers are untouched:
    // the full checks are final.
    SA_RETURN_IF_ERROR(CheckBeforeSwap(ddl));
    rename_sent = true;
    return RunDdlWithRetry(ddl, SwapStatement(schema, table, names_.old_table, names_.shadow_table),
                           once, stop_)
        .With("swapping the tables");
  }();
  if (swapped.ok()) {
    unfence.Release();
    LogInfo("the table's writes were fenced for " +
            std::to_string(static_cast<int>(SecondsSince(start) * 1000)) +
            " ms on every node (failed with 1205, to be retried)");
    return swapped;
  }
  // A session lost on the way: a fresh one finds out and undoes.
  std::unique_ptr<Session> fresh;
  Session* live = &ddl;
  if (!ddl.Execute("DO 1").ok()) {
    StatusOr<std::unique_ptr<Session>> opened = OpenPrimarySession(config_);
    if (opened.ok()) {
      fresh = std::move(opened).value();
      live = fresh.get();
    }
  }
  if (rename_sent) {
    // The RENAME's answer may be lost while it happened: then the table is the new one.
    StatusOr<bool> old_there = TableExists(*live, schema, names_.old_table);
    StatusOr<bool> new_there = TableExists(*live, schema, names_.shadow_table);
    StatusOr<bool> table_there = TableExists(*live, schema, table);
    if (old_there.ok() && new_there.ok() && table_there.ok() && *old_there && !*new_there &&
        *table_there) {
      unfence.Release();
      LogWarning("the RENAME answered " + swapped.message() + ", but the tables are swapped");
      return Status::Ok();
    }
  }
  // Not swapped: the fences come down, the mirror triggers never stopped.
  static const StopFlag kNeverStop;
  DdlRetryPolicy undo = once;
  undo.tries = 30;
  const std::vector<std::string> left = unfence.Unwind(
      [&](const std::string& sql) { return RunDdlWithRetry(*live, sql, undo, kNeverStop); });
  fences_down = left.empty();
  if (!left.empty()) {
    LogError("the table's writes fail (1205) until its fence triggers are dropped: run");
    for (const std::string& sql : left) LogError("  " + sql + ";");
    leftovers_ = left;
  }
  return swapped;
}

Status Cutover::RecordReverseSide(Session& s) {
  // Under the lock, before the RENAME (which keeps trigger creation times and table ids): what
  // the swap leaves is then known before anyone else can touch it, and RecordRevertible checks
  // it, the table ids following the RENAME (the new table's become the table's).
  const std::string& schema = config_.conn.database;
  SA_ASSIGN_OR_RETURN(std::string triggers,
                      ReverseTriggersFingerprint(s, schema, names_.shadow_table, names_));
  SA_ASSIGN_OR_RETURN(std::string ids,
                      TableIdsFingerprint(s, schema, names_.shadow_table, config_.conn.table));
  // The forward run can't continue past this point (its mirror triggers are gone), so these
  // fields are free for the reverse side.
  SA_RETURN_IF_ERROR(record_.RecordTriggersFingerprint(s, triggers));
  return record_.RecordNewTableFingerprint(s, ids);
}

Status Cutover::DropAndRename(Session& ddl) {
  // The children are write-locked too: a child row written while the table is missing would be
  // accepted here but stop every replica, where the table is missing at that point as well.
  SA_RETURN_IF_ERROR(
      RunDdlWithRetry(ddl,
                      LockTablesForDropSwap(config_.conn.database, config_.conn.table,
                                            names_.shadow_table, original_.referenced_by),
                      PolicyFor(policy_, config_, DdlOperation::kSwapTables), stop_));
  // Under the lock no write is in flight: the last chance to find that something changed.
  if (Status checked = CheckBeforeSwap(ddl); !checked.ok()) {
    ddl.Execute(UnlockTables()).IgnoreError();  // `checked` is the failure to report
    return checked;
  }
  LogWarning(
      "--alter-foreign-keys-method drop_swap: dropping the original table now; until the "
      "new table is renamed to its name the table does not exist (queries on it fail), "
      "and once it is dropped there is no rollback");
  Status dropped_status =
      ddl.Execute(DropTableWithoutForeignKeyChecks(config_.conn.database, config_.conn.table));
  if (!dropped_status.ok()) {
    ddl.Execute(UnlockTables()).IgnoreError();  // the failed DROP is what to report
    return dropped_status;
  }
  const auto dropped = Clock::now();
  // The original and its triggers are gone: the new table holds the only copy of the data.
  BecomeTheTable();
  if (record_.on_record()) QueueTableDrop("checkpoint table", names_.checkpoint_table);
  const std::string rename =
      RenameTableStatement(config_.conn.database, names_.shadow_table, config_.conn.table);
  Status renamed = ddl.Execute(rename);
  Status unlocked = ddl.Execute(UnlockTables());
  if (!renamed.ok()) {
    leftovers_.push_back(rename);
    return renamed.With("the original table is dropped and the data is in " +
                        QuoteIdentifier(names_.shadow_table));
  }
  SA_RETURN_IF_ERROR(unlocked);
  LogInfo(
      "swapped by drop and rename: " + QualifiedName(config_.conn.database, config_.conn.table) +
      " is the new table; it was missing for " + Fixed(SecondsSince(dropped), 3) +
      " s (the child tables were write-locked meanwhile); the child foreign keys reference it "
      "again");
  return Status::Ok();
}

Status Cutover::CheckBeforeSwap(Session& s) const {
  SwapGuardPlan plan{config_.conn.database,
                     config_.conn.table,
                     names_.shadow_table,
                     original_.create_statement,
                     shadow_.create_statement,
                     {names_.insert_trigger, names_.update_trigger, names_.delete_trigger},
                     mirror_fingerprint_,
                     original_.triggers,
                     table_ids_,
                     mirror_created_};
  if (total_order_) {
    plan.fence_triggers = {names_.fence_insert_trigger, names_.fence_update_trigger,
                           names_.fence_delete_trigger};
  }
  return SwapGuard(std::move(plan), refusals_).Check(s);
}

void Cutover::QueueStoppedRunsSteps() {
  // The RENAME happened: the table is the new one. What the stopped run had left to do is
  // dropping its triggers (now on the old table) and the old table, then the checkpoint.
  // A revertible run keeps its checkpoint and old table for `revert` or `finish`.
  if (!finishing_revertible_) QueueTableDrop("checkpoint table", names_.checkpoint_table);
  QueueTableDrop("heartbeat table", names_.heartbeat_table);
  if (config_.drop_old_table && !finishing_revertible_) {
    QueueTableDrop("old table", names_.old_table);
  }
  QueueTableDrop("refusal log", names_.refusals_table);
  for (const std::string* t :
       {&names_.insert_trigger, &names_.update_trigger, &names_.delete_trigger}) {
    after_swap_.Push("trigger " + QuoteIdentifier(*t),
                     DropTriggerStatement(config_.conn.database, *t));
  }
}

Status Cutover::Finish(const std::function<std::vector<std::string>(CleanupStack&)>& unwind) {
  // The normal end of the job, not a failure: triggers, then the old table, the checkpoint last.
  leftovers_ = unwind(after_swap_);
  if (!leftovers_.empty()) {
    return InternalError(
        "the swap succeeded, but finishing after it (triggers, foreign key "
        "names, the old table) failed");
  }
  if (!config_.drop_old_table && !revertible()) {
    LogInfo("kept the old table as " + QualifiedName(config_.conn.database, names_.old_table));
  }
  return Status::Ok();
}

void Cutover::QueueTableDrop(const std::string& what, const std::string& table) {
  after_swap_.Push(what + " " + QuoteIdentifier(table),
                   DropTableStatement(config_.conn.database, table));
}

}  // namespace shadowalter
