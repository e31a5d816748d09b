#include "migration/trigger_cutover.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "cutover/background_statement.h"
#include "db/errors.h"
#include "db/quote.h"
#include "inspect/inspector.h"
#include "report/log.h"
#include "sql/blocker_queries.h"
#include "sql/cutover.h"
#include "sql/ddl.h"
#include "sql/inspect_queries.h"
#include "sql/triggers.h"
#include "util/crash_point.h"
#include "util/strings.h"

namespace shadowalter {

namespace {

// lock_wait_timeout of the queued statements. They wait only for our own other session, which
// releases as soon as it sees them queued; if anything goes wrong they are killed.
constexpr double kQueuedLockWaitSeconds = 60;

}  // namespace

TriggerCutover::TriggerCutover(CutoverPlan plan, Session& first, Session& second,
                               const DdlRetryPolicy& policy, const StopFlag& stop)
    : plan_(std::move(plan)), first_(first), second_(second), policy_(policy), stop_(stop) {}

Status TriggerCutover::Run() {
  Status s = ReadSessionContexts();
  if (s.ok()) s = LockAndTakeTriggersOff();
  if (s.ok()) s = HandLockToSecond();
  if (s.ok()) s = PutTriggersOnShadow();
  if (s.ok()) s = RenameBehindLock();
  if (!s.ok()) Undo();
  return s;
}

Status TriggerCutover::ReadSessionContexts() {
  SA_ASSIGN_OR_RETURN(ResultSet rs, first_.Query(SessionContextQuery()));
  if (rs.empty() || rs.rows[0].size() < 3) return InternalError("no session context returned");
  const auto& row = rs.rows[0];
  restore_ = RestoreSessionContext(row[0].value_or(""), row[1].value_or("utf8mb4"),
                                   row[2].value_or("utf8mb4_general_ci"));
  return Status::Ok();
}

std::vector<std::string> TriggerCutover::CreateStatements(const std::string& table,
                                                          const Trigger& t) const {
  return {TriggerContext(t), CreateTriggerOn(plan_.schema, table, t), restore_};
}

Status TriggerCutover::RunAll(Session& s, const std::vector<std::string>& statements) {
  Status failure;
  for (size_t i = 0; i < statements.size(); ++i) {
    // After a failure only the last statement runs: it restores the session's own context.
    const bool last = i + 1 == statements.size();
    if (!failure.ok() && !last) continue;
    Status r = s.Execute(statements[i]);
    if (!r.ok() && failure.ok()) failure = r;
  }
  return failure;
}

Status TriggerCutover::LockAndTakeTriggersOff() {
  const std::string table = QualifiedName(plan_.schema, plan_.table);
  holder_ = &first_;
  on_original_.Push("the write lock on " + table, UnlockTables());
  SA_RETURN_IF_ERROR(
      RunDdlWithRetry(first_, LockTableWrite(plan_.schema, plan_.table), policy_, stop_));
  locked_at_ = std::chrono::steady_clock::now();
  LogInfo("write lock on " + table + " taken: its readers and writers wait until the swap");
  SA_RETURN_IF_ERROR(RequireTriggersAsInspected());
  // On the other session: under LOCK TABLES the first may read only what it locked, and locking
  // more than t (the refusal log, say) made writers' multi-table UPDATEs back off and crash
  // MariaDB 10.11.19 (docs/server-crash-json-multi-update.md). With t write-locked no write is in
  // flight, so a fresh statement on any session sees everything committed.
  if (plan_.check_under_lock) SA_RETURN_IF_ERROR(plan_.check_under_lock(second_));
  table_ids_ = InnodbTableIds(second_, plan_.schema, plan_.table);
  shadow_ids_ = InnodbTableIds(second_, plan_.schema, plan_.shadow_table);
  CrashPoint("swap_checked");
  std::vector<Trigger> mirrors;
  if (plan_.restore_mirror_triggers) {
    SA_ASSIGN_OR_RETURN(mirrors, InspectTriggers(first_, plan_.schema, plan_.table));
  }
  // Ours first: from here no write reaches the new table, and none can happen meanwhile.
  for (const std::string& name : plan_.mirror_triggers) {
    SA_RETURN_IF_ERROR(first_.Execute(DropTriggerStatement(plan_.schema, name))
                           .With("dropping trigger " + QuoteIdentifier(name)));
    ++mirrors_dropped_;
    const auto same = [&](const Trigger& t) { return t.name == name; };
    if (auto it = std::find_if(mirrors.begin(), mirrors.end(), same); it != mirrors.end()) {
      // Nothing writes t while it is locked: put back under the lock, it misses no write.
      on_original_.Push("the gap left by dropping trigger " + QuoteIdentifier(name) +
                            " (recreated it)",
                        CreateStatements(plan_.table, *it));
    }
  }
  CrashPoint("mirror_triggers_dropped");
  // Theirs last first: what stays on t is then the first ones of each (timing, event), so the
  // undo, recreating the dropped ones first to last, appends them in their old order.
  for (auto it = plan_.own_triggers.rbegin(); it != plan_.own_triggers.rend(); ++it) {
    SA_RETURN_IF_ERROR(first_.Execute(DropTriggerStatement(plan_.schema, it->name))
                           .With("dropping trigger " + QuoteIdentifier(it->name)));
    on_original_.Push("the gap left by dropping trigger " + QuoteIdentifier(it->name) + " from " +
                          table + " (recreated it there)",
                      CreateStatements(plan_.table, *it));
    CrashPoint("own_trigger_dropped");
  }
  return Status::Ok();
}

Status TriggerCutover::RequireTriggersAsInspected() {
  // Someone may have added, dropped or replaced a trigger since the start: recreating the old
  // set would silently undo that. Compared in full (body, definer, modes, order), under the lock.
  SA_ASSIGN_OR_RETURN(std::vector<Trigger> now, InspectTriggers(first_, plan_.schema, plan_.table));
  std::erase_if(now, [&](const Trigger& t) {
    return std::find(plan_.mirror_triggers.begin(), plan_.mirror_triggers.end(), t.name) !=
           plan_.mirror_triggers.end();
  });
  // Our mirror triggers FOLLOW theirs, so their action order numbers are unchanged.
  if (now == plan_.own_triggers) return Status::Ok();
  std::vector<std::string> names;
  for (const Trigger& t : now) names.push_back(QuoteIdentifier(t.name));
  return AbortedError("the table's own triggers changed during the run (now: " +
                      (names.empty() ? std::string("none") : Join(names, ", ")) +
                      "); run again to carry over the current ones");
}

Status TriggerCutover::HandLockToSecond() {
  SA_RETURN_IF_ERROR(SetLockWaitTimeout(second_, kQueuedLockWaitSeconds));
  BackgroundStatement lock(second_, LockTableWrite(plan_.schema, plan_.table));
  SA_RETURN_IF_ERROR(WaitUntilQueued(first_, lock));
  // The queued LOCK TABLES is granted before any writer queued on t. t has no trigger now, so it
  // locks t alone, and the new table is free for the triggers and the RENAME.
  Status unlocked = first_.Execute(UnlockTables());
  Status granted = lock.Wait();
  holder_ = granted.ok() ? &second_ : &first_;
  if (!granted.ok()) {
    writes_unguarded_ = true;
    LogError("handing the write lock over failed (" + granted.message() +
             "); writes may have reached the table without its triggers until they are back");
    return granted.With("taking the write lock over");
  }
  CrashPoint("trigger_lock_handed_over");
  DelayPoint("trigger_lock_handed_over");
  SA_RETURN_IF_ERROR(unlocked.With("handing the write lock over"));
  return RequireTableUntouchedSinceLocked();
}

Status TriggerCutover::PutTriggersOnShadow() {
  const std::string shadow = QualifiedName(plan_.schema, plan_.shadow_table);
  for (const Trigger& t : plan_.own_triggers) {
    on_shadow_.Push("trigger " + QuoteIdentifier(t.name) + " on " + shadow,
                    DropTriggerStatement(plan_.schema, t.name));
    SA_RETURN_IF_ERROR(
        RunAll(first_, CreateStatements(plan_.shadow_table, t))
            .With("recreating trigger " + QuoteIdentifier(t.name) + " on " + shadow));
    CrashPoint("own_trigger_recreated");
  }
  for (const auto& [name, create] : plan_.shadow_triggers) {
    on_shadow_.Push("trigger " + QuoteIdentifier(name) + " on " + shadow,
                    DropTriggerStatement(plan_.schema, name));
    SA_RETURN_IF_ERROR(
        first_.Execute(create).With("creating trigger " + QuoteIdentifier(name) + " on " + shadow));
    CrashPoint("reverse_trigger_created");
  }
  if (plan_.before_rename) SA_RETURN_IF_ERROR(plan_.before_rename(first_));
  return Status::Ok();
}

Status TriggerCutover::RenameBehindLock() {
  // The RENAME checks its names only once it holds every lock, i.e. after the lock on t is
  // released: a name it can't use must be found now, while the undo can still run under the lock.
  SA_ASSIGN_OR_RETURN(bool taken, TableExists(first_, plan_.schema, plan_.old_table));
  if (taken) {
    return InternalError(QualifiedName(plan_.schema, plan_.old_table) +
                         " appeared during the run, and the RENAME needs that name");
  }
  SA_RETURN_IF_ERROR(WaitOutShadowHolders());
  SA_RETURN_IF_ERROR(SetLockWaitTimeout(first_, kQueuedLockWaitSeconds));
  BackgroundStatement rename(
      first_, SwapStatement(plan_.schema, plan_.table, plan_.old_table, plan_.shadow_table));
  SA_RETURN_IF_ERROR(WaitUntilQueued(second_, rename));
  SA_RETURN_IF_ERROR(RequireRenameHoldsShadow(rename));
  SA_RETURN_IF_ERROR(RequireShadowUntouched(rename));
  // The RENAME holds the new table and waits for t: released, t goes to it before any writer.
  Status unlocked = second_.Execute(UnlockTables());
  Status renamed = rename.Wait();
  // Only the session's later DDL waits longer than meant if this fails; the swap's result decides.
  SetLockWaitTimeout(first_, policy_.lock_wait_timeout_seconds).IgnoreError();
  if (renamed.ok()) {
    const auto held = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - locked_at_);
    LogInfo("the table was write-locked for " + std::to_string(held.count()) + " ms");
    holder_ = nullptr;
    on_original_.Release();
    on_shadow_.Release();
    return Status::Ok();
  }
  holder_ = unlocked.ok() ? &first_ : &second_;
  if (unlocked.ok()) {
    writes_unguarded_ = true;
    LogError("the RENAME failed after the lock was released (" + renamed.message() +
             "); writes may have reached the table without its triggers until they are back");
  }
  return renamed.With("swapping the tables");
}

Status TriggerCutover::RequireTableUntouchedSinceLocked() {
  // Read on the first session: the second holds the lock, and nothing can change t now.
  SA_ASSIGN_OR_RETURN(std::vector<Trigger> now, InspectTriggers(first_, plan_.schema, plan_.table));
  if (!now.empty()) {
    return AbortedError("trigger " + QuoteIdentifier(now.front().name) +
                        " was created on the table during the swap: run again to carry it over");
  }
  const std::string ids = InnodbTableIds(first_, plan_.schema, plan_.table);
  if (!table_ids_.empty() && !ids.empty() && ids != table_ids_) {
    return AbortedError(
        "the table was truncated or rebuilt during the swap (its InnoDB table id changed): not "
        "swapping that away; run again");
  }
  return Status::Ok();
}

StatusOr<std::vector<std::string>> TriggerCutover::OtherShadowHolders() {
  // Read on the second session, whose LOCK TABLES does not cover information_schema or
  // performance_schema.
  SA_ASSIGN_OR_RETURN(ResultSet holders, second_.Query(MetadataLockHoldersQuery(
                                             second_.flavor(), plan_.schema, plan_.shadow_table)));
  std::vector<std::string> others;
  for (const auto& row : holders.rows) {
    const std::string id = row.empty() ? "" : row[0].value_or("");
    if (!id.empty() && id != std::to_string(first_.connection_id())) others.push_back(id);
  }
  return others;
}

Status TriggerCutover::ShadowHeldError(const std::vector<std::string>& holders) {
  return Status(
      Code::kServer,
      "the new table is held by " +
          (holders.empty() ? std::string("another session") : "connection " + Join(holders, ", ")) +
          " (a read of it, or a transaction that read it): the swap waits for it",
      errnum::kLockWaitTimeout);
}

Status TriggerCutover::WaitOutShadowHolders() {
  // The first session is free here (the second holds t): taking the new table's write lock waits
  // for every session reading it (at most one lock wait), and new ones queue behind; released
  // right before the RENAME, the new table is free for it. Works without any lock introspection;
  // RequireRenameHoldsShadow then covers the instant in between where the server shows locks.
  SA_RETURN_IF_ERROR(SetLockWaitTimeout(first_, policy_.lock_wait_timeout_seconds));
  Status locked = first_.Execute(LockTableWrite(plan_.schema, plan_.shadow_table));
  if (!locked.ok()) {
    if (!IsLockConflict(locked)) return locked.With("waiting out the new table's readers");
    const StatusOr<std::vector<std::string>> holders = OtherShadowHolders();
    return ShadowHeldError(holders.ok() ? *holders : std::vector<std::string>{});
  }
  return first_.Execute(UnlockTables());
}

Status TriggerCutover::RequireRenameHoldsShadow(BackgroundStatement& rename) {
  // The RENAME takes the new table's lock before t's. Another session holding the new table (a
  // long read of it, a dump, an open transaction that read it) keeps the RENAME waiting there,
  // not yet for t: unlocking t then would let writers in while t has no triggers, and their
  // writes would stay behind in the old table. The lock holders say which: the RENAME's own
  // session must be the only one.
  StatusOr<std::vector<std::string>> others = OtherShadowHolders();
  if (!others.ok()) {
    LogWarning("can't see who holds the new table's metadata lock (" + others.status().message() +
               "): a session reading the new table at this instant would let writes slip past "
               "the swap (MariaDB: INSTALL SONAME 'metadata_lock_info')");
    return Status::Ok();
  }
  if (others->empty()) return Status::Ok();
  // Withdrawn, and the cut-over undone: the run stops with the original whole (the mirror
  // triggers are gone, so no later try could be trusted).
  WithdrawRename(rename);
  return ShadowHeldError(*others);
}

void TriggerCutover::WithdrawRename(BackgroundStatement& rename) {
  second_.Execute(KillQuery(first_.connection_id())).IgnoreError();
  rename.Wait().IgnoreError();  // withdrawn on purpose: the caller reports why
  // Only the session's later DDL waits longer than meant if this fails.
  SetLockWaitTimeout(first_, policy_.lock_wait_timeout_seconds).IgnoreError();
}

Status TriggerCutover::RequireShadowUntouched(BackgroundStatement& rename) {
  const std::string ids = InnodbTableIds(second_, plan_.schema, plan_.shadow_table);
  if (shadow_ids_.empty() || ids.empty() || ids == shadow_ids_) return Status::Ok();
  WithdrawRename(rename);
  return AbortedError(QualifiedName(plan_.schema, plan_.shadow_table) +
                      " was truncated or rebuilt during the swap (its InnoDB table id changed): "
                      "not swapping it in");
}

void TriggerCutover::Undo() {
  static const StopFlag kNeverStop;
  DdlRetryPolicy policy = policy_;
  policy.tries = std::max(policy.tries, 30u);
  auto on = [&](Session* s) {
    return [&policy, s](const std::string& sql) {
      return RunDdlWithRetry(*s, sql, policy, kNeverStop);
    };
  };
  // The copies on the new table go first: trigger names are unique per schema.
  leftovers_ = on_shadow_.Unwind(on(&first_));
  if (holder_ == nullptr) return;
  if (leftovers_.empty()) {
    leftovers_ = on_original_.Unwind(on(holder_));
    mirrors_restored_ = mirrors_dropped_ > 0 && plan_.restore_mirror_triggers && leftovers_.empty();
    return;
  }
  for (const std::string& sql : on_original_.Pending()) leftovers_.push_back(sql);
  on_original_.Release();
  holder_->Execute(UnlockTables()).IgnoreError();  // the leftovers are what is reported
}

}  // namespace shadowalter
