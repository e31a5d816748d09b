#include "cutover/guarded_swap.h"

#include <chrono>

#include "cutover/background_statement.h"
#include "db/quote.h"
#include "inspect/inspector.h"
#include "report/log.h"
#include "sql/cutover.h"
#include "sql/ddl.h"
#include "sql/triggers.h"
#include "util/crash_point.h"

namespace shadowalter {
namespace {

// lock_wait_timeout of the queued RENAME. It waits only for our own holder, which releases as
// soon as it sees it queued; if anything goes wrong it is killed.
constexpr double kQueuedLockWaitSeconds = 60;

}  // namespace

Status GuardedSwap::Run() {
  const auto start = std::chrono::steady_clock::now();
  SA_RETURN_IF_ERROR(RunDdlWithRetry(
      holder_, LockTablesWrite(plan_.schema, {plan_.table, plan_.refusals_table}), policy_, stop_));
  Status swapped = CheckedRename();
  // Unlocking twice is harmless; after a RENAME it has released the lock already.
  (void)holder_.Execute(UnlockTables());
  if (swapped.ok()) {
    const auto held = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    LogInfo("the table was write-locked for the checks and the swap for " +
            std::to_string(held.count()) + " ms");
  }
  return swapped;
}

Status GuardedSwap::CheckedRename() {
  SA_RETURN_IF_ERROR(check_(holder_));
  CrashPoint("swap_checked");
  // The RENAME checks its names only once it holds every lock: a name it can't use must be found
  // now, while nothing has happened.
  SA_ASSIGN_OR_RETURN(bool taken, TableExists(holder_, plan_.schema, plan_.old_table));
  if (taken) {
    return InternalError(QualifiedName(plan_.schema, plan_.old_table) +
                         " appeared during the run, and the RENAME needs that name");
  }
  SA_RETURN_IF_ERROR(SetLockWaitTimeout(renamer_, kQueuedLockWaitSeconds));
  for (const std::string& name : plan_.mirror_triggers) {
    SA_RETURN_IF_ERROR(holder_.Execute(DropTriggerStatement(plan_.schema, name))
                           .With("dropping trigger " + QuoteIdentifier(name) +
                                 " under the write lock (the new table is no longer current)"));
  }
  CrashPoint("swap_triggers_dropped");
  Status renamed;
  {
    BackgroundStatement rename(
        renamer_, SwapStatement(plan_.schema, plan_.table, plan_.old_table, plan_.shadow_table));
    SA_RETURN_IF_ERROR(WaitUntilQueued(holder_, rename));
    // The RENAME waits for t: released, t goes to it before any writer queued meanwhile.
    SA_RETURN_IF_ERROR(holder_.Execute(UnlockTables()).With("releasing the write lock"));
    renamed = rename.Wait();
  }
  (void)SetLockWaitTimeout(renamer_, policy_.lock_wait_timeout_seconds);
  return renamed.With("swapping the tables");
}

}  // namespace shadowalter
