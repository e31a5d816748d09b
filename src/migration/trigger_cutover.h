// The swap, for every table: the run's mirror triggers come off and the table's own triggers
// (--preserve-triggers; often none) move from the original to the new table, and the write lock
// that covers this is handed over to the RENAME, so no application write lands on the table
// while it lacks them, and none fires them twice (they never exist on the new table while our
// mirror triggers write into it). Right after the lock is taken, `check_under_lock` (the run's
// SwapGuard) sees whether anything it proved has changed.
//
// Why two sessions and a hand-over, on MariaDB 10.11 (verified on the server):
//  - RENAME TABLE is refused under LOCK TABLES (error 1192), and ALTER TABLE ... RENAME under
//    LOCK TABLES frees the table's name until the second rename: waiting writers then fail with
//    1146. So the RENAME must run unlocked, queued behind a lock that holds the writers off.
//  - LOCK TABLES t WRITE also locks every table t's triggers use, for as long as it is held; while
//    our mirror triggers exist that includes the new table, so the session that dropped them can
//    neither create triggers on the new table nor let a RENAME lock it.
//  - A pending exclusive metadata lock (RENAME) or LOCK TABLES ... WRITE request is granted before
//    the writers queued on the same table, even writers that queued earlier.
//  - The RENAME takes its locks one name at a time, the new table's before t's. Queued while the
//    first session still holds the new table (implicitly, through the triggers it locked with t),
//    it waits on the new table, not yet on t: once unlocked, queued writers took t ahead of it,
//    and with our triggers already dropped their writes never reached the new table (seen on the
//    sandbox). Hence the hand-over even when the table has no triggers of its own.
//  - A RENAME taking the new table while our triggers on t still name it crashed MariaDB 10.11.19
//    under concurrent multi-table UPDATEs of t (docs/server-crash-json-multi-update.md): they are
//    dropped first, under the lock.
// So: session A locks t (and implicitly the new table), drops our mirror triggers, then the
// table's own triggers. Session B queues LOCK TABLES t WRITE; A unlocks and B gets t, which now
// has no triggers, so B locks t alone. A creates the triggers on the new table, in their order,
// and issues the RENAME, which takes the new table and queues on t. B unlocks: the RENAME runs
// before any writer, and every writer then opens the new table with the triggers in place.
// Every step is undone on failure: the triggers go back on t (in their order) under the lock,
// and only then is the lock released. A crash or a lost connection can't undo anything: the
// run's checkpoint holds the definitions, saved before the cut-over starts, and `resume` and
// `cleanup` put them back (migration/saved_triggers.h). Crash points mark every step at which
// the triggers are off the table (mirror_triggers_dropped, own_trigger_dropped:<n>,
// trigger_lock_handed_over, own_trigger_recreated:<n>).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "cutover/background_statement.h"
#include "db/ddl_retry.h"
#include "db/session.h"
#include "migration/cleanup_stack.h"
#include "schema/table.h"
#include "util/status.h"
#include "util/stop_flag.h"

namespace shadowalter {

struct CutoverPlan {
  std::string schema;
  std::string table;                         // the original
  std::string shadow_table;                  // becomes `table`
  std::string old_table;                     // the original's name afterwards
  std::vector<std::string> mirror_triggers;  // ours on the original, dropped first
  std::vector<Trigger> own_triggers;         // the table's, in firing order per timing and event
  // Run on the second session while the first holds the write lock, before anything is dropped;
  // its failure stops the cut-over with nothing changed (cutover/swap_guard.h). Optional.
  std::function<Status(Session&)> check_under_lock;
  // --revertible: (name, CREATE TRIGGER statement) created on the new table after its own, under
  // the lock, so that from the RENAME on every write reaches the old table too.
  std::vector<std::pair<std::string, std::string>> shadow_triggers = {};
  // Run on the first session once `shadow_triggers` exist, still under the lock, right before the
  // RENAME is queued: what must be on record before the swap can happen. Optional.
  std::function<Status(Session&)> before_rename = nullptr;
  // `revert`: a failure puts the dropped mirror triggers back (under the lock, as they were), so
  // that a failed swap back changes nothing.
  bool restore_mirror_triggers = false;
};

class TriggerCutover {
 public:
  // `first` and `second` are two sessions of their own; `policy` paces the first LOCK TABLES.
  TriggerCutover(CutoverPlan plan, Session& first, Session& second, const DdlRetryPolicy& policy,
                 const StopFlag& stop);

  // Swaps. On failure everything it did is undone (t has its triggers, no lock is held) unless
  // leftovers() lists statements still to run, in order.
  Status Run();
  const std::vector<std::string>& leftovers() const { return leftovers_; }
  // After a failed Run: the mirror triggers are on t as before (never dropped, or put back by
  // the undo), and no write reached t without them (none slipped through a failed hand-over).
  bool mirror_triggers_kept() const {
    return !writes_unguarded_ && leftovers_.empty() && (mirrors_dropped_ == 0 || mirrors_restored_);
  }
  bool mirror_triggers_recreated() const { return mirrors_restored_; }

 private:
  Status ReadSessionContexts();
  Status LockAndTakeTriggersOff();
  Status RequireTriggersAsInspected();
  Status HandLockToSecond();
  Status PutTriggersOnShadow();
  Status RenameBehindLock();
  // After the hand-over, nothing ran on t between the two locks: a DDL queued ahead of the
  // second session's LOCK TABLES (a TRUNCATE, a CREATE TRIGGER) would otherwise be swapped away.
  Status RequireTableUntouchedSinceLocked();
  // Waits out the sessions that hold the new table (readers of it) right before the RENAME is
  // queued, so that it takes the new table at once and waits for t alone (see the .cc).
  Status WaitOutShadowHolders();
  // The sessions other than the first that hold the new table's metadata lock (an error when the
  // server can't show them), and the lock conflict that names them ("another session" if none).
  StatusOr<std::vector<std::string>> OtherShadowHolders();
  static Status ShadowHeldError(const std::vector<std::string>& holders);
  // The queued RENAME holds the new table's lock, so it waits for t alone (see the .cc).
  Status RequireRenameHoldsShadow(BackgroundStatement& rename);
  // Once the queued RENAME holds the new table, nothing can change it any more: it is still the
  // table the checks under the first lock saw (its InnoDB ids), or the RENAME is withdrawn. Covers
  // a TRUNCATE or rebuild of it queued behind the first lock, which the hand-over let through.
  Status RequireShadowUntouched(BackgroundStatement& rename);
  // Kills the queued RENAME and waits for it to end.
  void WithdrawRename(BackgroundStatement& rename);
  // The session's sql_mode and character set for the trigger, the CREATE, then its own again.
  std::vector<std::string> CreateStatements(const std::string& table, const Trigger& t) const;
  Status RunAll(Session& s, const std::vector<std::string>& statements);
  void Undo();

  CutoverPlan plan_;
  Session& first_;
  Session& second_;
  DdlRetryPolicy policy_;
  const StopFlag& stop_;
  std::string restore_;        // the sessions' own sql_mode and character set (both alike)
  Session* holder_ = nullptr;  // the session holding LOCK TABLES t WRITE, if any
  std::chrono::steady_clock::time_point locked_at_;  // for the log: how long writers waited
  CleanupStack on_original_;  // unlock, and the triggers to put back on t: run by the holder
  CleanupStack on_shadow_;    // the triggers created on the new table: dropped by `first_`
  std::vector<std::string> leftovers_;
  std::string table_ids_;  // t's InnoDB table ids under the first lock ("" when unknown)
  std::string shadow_ids_;  // the new table's, likewise
  size_t mirrors_dropped_ = 0;
  bool mirrors_restored_ = false;
  bool writes_unguarded_ = false;  // a failed hand-over may have let writes in without triggers
};

}  // namespace shadowalter
