// The phases that finish the job: waiting for the cut-over to be allowed, the atomic swap, and
// dropping the old table.
#include <unistd.h>

#include <chrono>
#include <thread>

#include "db/quote.h"
#include "migration/migration.h"
#include "report/log.h"
#include "report/progress.h"
#include "sql/ddl.h"
#include "sql/foreign_keys.h"
#include "util/clock.h"
#include "util/crash_point.h"

namespace shadowalter {

Status Migration::WaitForCutover() {
  const std::string& file = config_.postpone_cutover_file;
  if (access(file.c_str(), F_OK) != 0) return Status::Ok();
  LogInfo("cut-over postponed while " + file +
          " exists; the triggers keep the new table "
          "current meanwhile");
  const auto start = Clock::now();
  while (access(file.c_str(), F_OK) == 0) {
    if (stop_.requested()) return AbortedError("stopped by " + stop_.Describe());
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  LogInfo(file + " is gone after " + Fixed(SecondsSince(start), 1) + " s");
  if (!config_.verify) return Status::Ok();
  // The triggers kept the new table current while the swap waited; prove it again rather than
  // trust it (the refusal log and the swap's checks cover the rest of the way).
  LogInfo("verifying again: the cut-over waited since the verification");
  return VerifyTables();
}

Status Migration::Swap() {
  SA_RETURN_IF_ERROR(RecordPhase(RunPhase::kSwapping));
  CrashPoint("before_swap");
  DelayPoint("before_swap");
  if (fk_method_ == ForeignKeyMethod::kDropSwap) return DropAndRename();
  SA_RETURN_IF_ERROR(SwapBehindLock());
  // From here on the new table is the table: nothing may drop it.
  swapped_ = true;
  cleanup_.Release();
  CrashPoint("after_swap");
  // Best effort: a checkpoint still saying "swapping" is read from the tables themselves.
  if (Status s = RecordPhase(RunPhase::kSwapped); !s.ok()) LogWarning(s.message());
  // Bottom of the stack: the checkpoint goes last, once everything else is done.
  if (record_.on_record()) {
    PushTableDrop("checkpoint table", names_.checkpoint_table);
  }
  LogInfo("swapped: " + QualifiedName(config_.conn.database, config_.conn.table) +
          " is the new table");
  if (heartbeat_) {
    PushTableDrop("heartbeat table", names_.heartbeat_table);
  }
  // Newest first on the stack: triggers, then the children's names, then the old table, then
  // the table's own foreign key names (free only once the old table is gone).
  if (config_.drop_old_table) {
    SA_RETURN_IF_ERROR(PushOwnNameRestores());
    if (fk_method_ == ForeignKeyMethod::kNone) {
      LogWarning(
          "--alter-foreign-keys-method none: the child tables' foreign keys followed the "
          "old table; it is dropped with foreign_key_checks=0, so they now reference a "
          "missing table (writes to the children fail, deletes here no longer reach them)");
      cleanup_.Push("old table " + QuoteIdentifier(names_.old_table),
                    DropTableWithoutForeignKeyChecks(config_.conn.database, names_.old_table));
    } else {
      PushTableDrop("old table", names_.old_table);
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
  if (fk_method_ == ForeignKeyMethod::kRebuildConstraints)
    SA_RETURN_IF_ERROR(PushChildNameRestores());
  // The run's triggers are gone already: the swap drops them under the table's write lock before
  // the RENAME (migration/trigger_cutover.h says why).
  PushTableDrop("refusal log", names_.refusals_table);
  return Status::Ok();
}

Status Migration::CheckBeforeSwap(Session& s) const {
  SwapGuardPlan plan{config_.conn.database,
                     config_.conn.table,
                     names_.shadow_table,
                     original_.create_statement,
                     shadow_.create_statement,
                     {names_.insert_trigger, names_.update_trigger, names_.delete_trigger},
                     mirror_fingerprint_,
                     original_.triggers};
  return SwapGuard(std::move(plan), refusals_).Check(s);
}

Status Migration::DropOldTable() {
  // Unwinding here is the normal end of the job, not a failure: triggers, then the old table.
  leftover_sql_ = Cleanup();
  if (!leftover_sql_.empty()) {
    return InternalError(
        "the swap succeeded, but finishing after it (triggers, foreign key "
        "names, the old table) failed");
  }
  if (!config_.drop_old_table) {
    LogInfo("kept the old table as " + QualifiedName(config_.conn.database, names_.old_table));
  }
  return Status::Ok();
}

}  // namespace shadowalter
