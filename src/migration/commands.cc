#include "migration/commands.h"

#include <algorithm>
#include <iostream>

#include "check/stopped_run.h"
#include "db/ddl_retry.h"
#include "db/errors.h"
#include "db/quote.h"
#include "inspect/artifacts.h"
#include "migration/command_session.h"
#include "migration/connect.h"
#include "migration/ddl_policies.h"
#include "migration/exit_codes.h"
#include "migration/revertible.h"
#include "migration/saved_triggers.h"
#include "report/log.h"
#include "report/run_status.h"
#include "sql/ddl.h"
#include "sql/names.h"
#include "sql/triggers.h"
#include "state/checkpoint_store.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

// What is known about the table's run: the checkpoint, the artifacts, and the view of both.
struct RunLook {
  std::optional<Checkpoint> checkpoint;
  ArtifactsFound found;
  RunStatusView view;
};

// The artifacts found, as the status lists them: our triggers, then the tables.
void ListArtifacts(const ArtifactNames& names, const ArtifactsFound& f, RunStatusView& v) {
  const std::pair<bool, std::string> tables[] = {
      {f.new_table, "new table " + QuoteIdentifier(names.shadow_table)},
      {f.old_table, "old table " + QuoteIdentifier(names.old_table)},
      {f.heartbeat_table, "heartbeat table " + QuoteIdentifier(names.heartbeat_table)},
      {f.refusals_table, "refusal log " + QuoteIdentifier(names.refusals_table)},
      {f.trigger_check_table, "scratch table " + QuoteIdentifier(names.trigger_check_table)},
      {f.reverse_refusals_table,
       "reverse refusal log " + QuoteIdentifier(names.reverse_refusals_table)},
      {f.checkpoint_table, "checkpoint table " + QuoteIdentifier(names.checkpoint_table)},
  };
  for (const std::string& t : f.triggers) v.artifacts.push_back("trigger " + QuoteIdentifier(t));
  for (const std::string& t : f.reverse_triggers) {
    v.artifacts.push_back("reverse trigger " + QuoteIdentifier(t));
  }
  for (const std::string& t : f.fence_triggers) {
    v.artifacts.push_back("fence trigger " + QuoteIdentifier(t) + " (the table's writes fail)");
  }
  for (const auto& [exists, what] : tables) {
    if (exists) v.artifacts.push_back(what);
  }
  v.triggers_present = static_cast<unsigned>(f.triggers.size());
}

// What the checkpoint `c` records about the run, and whether the new table, our triggers and the
// table's own saved triggers are still as it recorded them.
Status DescribeCheckpoint(Session& s, const Config& config, const ArtifactNames& names,
                          const Checkpoint& c, const ArtifactsFound& f, RunStatusView& v) {
  const std::string& schema = config.conn.database;
  v.run_id = c.run_id;
  v.alter = c.alter;
  v.phase = RunPhaseName(c.phase);
  v.position = c.position ? "after key (" + Join(*c.position, ", ") + ")"
                          : std::string("from the first key");
  v.rows_copied = c.rows_copied;
  v.rows_estimated = c.rows_estimated;
  v.started_at = c.started_at;
  v.started_by = c.started_by;
  v.advanced_at = c.advanced_at;
  v.seconds_since_advanced = c.seconds_since_advanced;
  v.note = c.note;
  // From kRevertible on, the fingerprints describe the revertible state (migration/revertible.h).
  const bool revertible_state = c.phase >= RunPhase::kRevertible;
  if (f.new_table && !c.new_table_fingerprint.empty() && !revertible_state) {
    SA_ASSIGN_OR_RETURN(std::string create, CreateTableText(s, schema, names.shadow_table));
    v.new_table_intact = DefinitionFingerprint(create) == c.new_table_fingerprint;
  }
  if (c.phase >= RunPhase::kCopying && !v.swapped && !revertible_state) {
    SA_ASSIGN_OR_RETURN(std::string text, TriggerDefinitionsText(s, schema, names));
    v.triggers_intact = f.triggers.size() == 3 && Fingerprint(text) == c.triggers_fingerprint;
  }
  if (c.own_triggers && !c.own_triggers->empty()) {
    SavedTriggers saved(schema, config.conn.table, names, *c.own_triggers);
    SA_ASSIGN_OR_RETURN(std::vector<TriggerPlace> places, saved.Locate(s));
    for (const Trigger& t : saved.saved()) v.own_triggers_saved.push_back(DescribeTrigger(t));
    v.own_triggers_missing = saved.MissingFrom(places);
  }
  return Status::Ok();
}

// What to do about a stopped run (one with a checkpoint that no run is working on); `dsn` is the
// table's, to paste back.
// What to do about a stopped run; `resumable` tells whether `resume` can take it on.
std::string NextForStoppedRun(const RunLook& look, const std::string& dsn, bool& resumable) {
  const ArtifactsFound& f = look.found;
  const Checkpoint& c = *look.checkpoint;
  const RunStatusView& v = look.view;
  const bool broken =
      v.new_table_intact == false || v.triggers_intact == false || (!f.new_table && !v.swapped);
  resumable = true;
  if (!v.own_triggers_missing.empty() && !v.swapped) {
    return "it stopped inside the trigger cut-over: `shadowalter resume " + dsn +
           "` puts the table's own triggers back and starts the copy afresh; `shadowalter "
           "cleanup " +
           dsn + "` puts them back and removes the run";
  }
  if (v.swapped) {
    return "`shadowalter cleanup " + dsn + "` or `shadowalter resume " + dsn + "` finishes it (" +
           (v.own_triggers_missing.empty() ? "" : "puts the table's own triggers back, ") +
           "drops the triggers and the old table)";
  }
  if (c.phase >= RunPhase::kSwapping && f.new_table && !f.old_table && f.triggers.empty()) {
    return "it stopped inside the swap, after dropping its triggers: `shadowalter resume " + dsn +
           "` starts the copy afresh; `shadowalter cleanup " + dsn + "` removes it";
  }
  if (broken) {
    resumable = false;
    return "it can't be resumed (an artifact is missing or changed); `shadowalter cleanup " + dsn +
           "` removes it";
  }
  return "`shadowalter resume " + dsn + "` continues it; `shadowalter cleanup " + dsn +
         "` removes it";
}

// A --revertible run that swapped (or was swapping back): what `revert` and `finish` do now.
std::string NextForRevertibleRun(const RunLook& look, const std::string& dsn) {
  const Checkpoint& c = *look.checkpoint;
  const ArtifactsFound& f = look.found;
  const std::string revert = "`shadowalter revert " + dsn + "`";
  const std::string finish = "`shadowalter finish " + dsn + "`";
  if (c.phase >= RunPhase::kRevertible && !f.new_table && !f.old_table) {
    return "neither the old nor the new table is left (a finish or revert stopped part way): " +
           finish + " ends what is left";
  }
  if (c.phase == RunPhase::kReverting && f.new_table && !f.old_table) {
    return "a revert swapped the old table back and stopped before dropping the new one: " +
           revert + " or " + finish + " completes it";
  }
  if (c.phase == RunPhase::kReverting) {
    return "a revert stopped before swapping back: " + revert +
           " tries again (refused if the reverse triggers are gone), " + finish +
           " keeps the new table and drops the old one";
  }
  if (c.phase < RunPhase::kRevertible) {
    return "it stopped right after the swap: `shadowalter resume " + dsn +
           "` finishes the swap's last steps and keeps it revertible; " + finish +
           " drops the old table";
  }
  return revert + " swaps the old table back (every write since the swap included), " + finish +
         " drops it";
}

// Whether the run on record is a --revertible one that swapped, or is swapping back.
bool InRevertibleState(const RunLook& look) {
  const std::optional<Checkpoint>& c = look.checkpoint;
  return c && IsRevertibleRun(*c) && (c->phase >= RunPhase::kRevertible || look.view.swapped);
}

// The run's state (running, stopped, revertible, leftovers, or none) and what to do next.
void SayWhatNext(const Config& config, RunLook& look) {
  const ArtifactsFound& f = look.found;
  RunStatusView& v = look.view;
  const std::string dsn = config.conn.DsnWithoutPassword();
  if (f.run_lock_holder) {
    v.state = "running";
    v.running_connection = f.run_lock_holder;
    v.next =
        "wait for it to finish, or stop it (SIGINT or SIGTERM cleans up unless --on-signal "
        "park; SIGHUP parks)";
  } else if (InRevertibleState(look)) {
    v.state = "revertible";
    v.next = NextForRevertibleRun(look, dsn);
  } else if (look.checkpoint) {
    v.state = "stopped";
    v.next = NextForStoppedRun(look, dsn, v.resumable);
  } else if (f.any()) {
    v.state = "leftovers";
    v.next = "`shadowalter cleanup " + dsn + "` removes them";
  }
}

StatusOr<RunLook> LookAtRun(Session& s, const Config& config, const ArtifactNames& names) {
  const std::string& schema = config.conn.database;
  RunLook look;
  SA_ASSIGN_OR_RETURN(look.found, FindArtifacts(s, schema, config.conn.table, names));
  const ArtifactsFound& f = look.found;
  if (f.checkpoint_table) {
    SA_ASSIGN_OR_RETURN(look.checkpoint, CheckpointStore(schema, names.checkpoint_table).Load(s));
  }
  RunStatusView& v = look.view;
  v.schema = schema;
  v.table = config.conn.table;
  ListArtifacts(names, f, v);
  const std::optional<Checkpoint>& c = look.checkpoint;
  v.swapped = c && c->phase >= RunPhase::kSwapping && f.original && f.old_table && !f.new_table;
  if (c) SA_RETURN_IF_ERROR(DescribeCheckpoint(s, config, names, *c, f, v));
  SayWhatNext(config, look);
  return look;
}

// The statements that put the table's own triggers (--preserve-triggers) back from the
// checkpoint, if the run stopped inside the trigger cut-over; none otherwise (the checks of
// kBeforeCleanup refused a run whose triggers can't be put back).
StatusOr<std::vector<std::string>> OwnTriggerRestoreStatements(Session& s, const Config& config,
                                                               const ArtifactNames& names,
                                                               const RunLook& look) {
  const std::optional<Checkpoint>& c = look.checkpoint;
  if (!c || !c->own_triggers) return std::vector<std::string>();
  SavedTriggers saved(config.conn.database, config.conn.table, names, *c->own_triggers);
  StatusOr<std::vector<std::string>> plan = saved.PlanRestore(s);
  if (!plan.ok()) return plan.status().With("planning to put the table's own triggers back");
  return plan;
}

// Prints the run's status; `verdict` says what a script may do about it.
Status ShowRunStatus(const Config& config, RunVerdict& verdict) {
  SA_ASSIGN_OR_RETURN(std::unique_ptr<Session> s, ConnectForCommand(config));
  StatusOr<RunLook> look = LookAtRun(*s, config, NamesFor(config.conn.table));
  if (!look.ok()) return look.status().With("looking at the run");
  std::cout << (config.output == OutputFormat::kJson ? FormatRunStatusJson(look->view)
                                                     : FormatRunStatusText(look->view))
            << std::flush;
  verdict = VerdictOf(look->view);
  return Status::Ok();
}

// Refuses a cleanup that would lose the table's data or its own triggers, or leave a foreign key
// pointing at a table it drops (check/stopped_run.h).
Status CheckCleanupIsSafe(Session& s, const Config& config, const ArtifactNames& names,
                          const RunLook& look) {
  const std::optional<Checkpoint>& c = look.checkpoint;
  StoppedRunContext checks{s, config, names, c ? &*c : nullptr};
  checks.found = &look.found;
  return RunStoppedRunChecks(checks, StoppedRunStage::kBeforeCleanup);
}

// The statements that remove the run, in the order to run them: our triggers, the table's own
// triggers put back, the new (or, once swapped, the old) table, then the scratch, heartbeat,
// refusal log and checkpoint tables.
StatusOr<std::vector<std::string>> CleanupStatements(Session& s, const Config& config,
                                                     const ArtifactNames& names,
                                                     const RunLook& look) {
  const ArtifactsFound& f = look.found;
  const std::string& schema = config.conn.database;
  SA_ASSIGN_OR_RETURN(std::vector<std::string> restore,
                      OwnTriggerRestoreStatements(s, config, names, look));
  std::vector<std::string> statements;
  // A --revertible run's reverse triggers, wherever they are (on the new table before its
  // RENAME; on the table itself once a checkpoint is lost): they write into the old table.
  // A cluster swap's fences first: they fail every write of the table.
  for (const std::string& t : f.fence_triggers)
    statements.push_back(DropTriggerStatement(schema, t));
  for (const std::string& t : f.reverse_triggers) {
    statements.push_back(DropTriggerStatement(schema, t));
  }
  for (const std::string* t :
       {&names.insert_trigger, &names.update_trigger, &names.delete_trigger}) {
    if (std::find(f.triggers.begin(), f.triggers.end(), *t) != f.triggers.end()) {
      statements.push_back(DropTriggerStatement(schema, *t));
    }
  }
  // After ours (which must not fire before the table's own AFTER triggers), before the new table
  // goes (it may carry some of them).
  for (std::string& sql : restore) statements.push_back(std::move(sql));
  if (look.view.swapped) {
    LogInfo("the stopped run had swapped the tables: " + QualifiedName(schema, config.conn.table) +
            " is the new table; finishing the run");
    if (config.drop_old_table) statements.push_back(DropTableStatement(schema, names.old_table));
  } else {
    // A --revertible swap that stopped before its RENAME: the reverse triggers go with it.
    if (f.new_table) statements.push_back(DropTableStatement(schema, names.shadow_table));
    if (f.reverse_refusals_table) {
      statements.push_back(DropTableStatement(schema, names.reverse_refusals_table));
    }
    if (f.old_table) {
      LogWarning("left " + QualifiedName(schema, names.old_table) +
                 " alone: no run on record swapped it in, so it may be an old table kept on "
                 "purpose (--no-drop-old-table); drop it yourself if it is not needed");
    }
  }
  if (f.trigger_check_table) {
    statements.push_back(DropTableStatement(schema, names.trigger_check_table));
  }
  if (f.heartbeat_table) statements.push_back(DropTableStatement(schema, names.heartbeat_table));
  // After the triggers, which write into it.
  if (f.refusals_table) statements.push_back(DropTableStatement(schema, names.refusals_table));
  if (f.checkpoint_table) statements.push_back(DropTableStatement(schema, names.checkpoint_table));
  return statements;
}

// Runs the statements in order. When one fails, `not_run` gets it and those after it.
Status RunCleanupStatements(Session& s, const Config& config, const StopFlag& stop,
                            const std::vector<std::string>& statements,
                            std::vector<std::string>& not_run) {
  DdlRetryPolicy policy;
  policy.lock_wait_timeout_seconds = config.lock_wait_timeout;
  policy.tries = config.tries;
  policy = PolicyFor(policy, config, DdlOperation::kDropTriggers);
  for (size_t i = 0; i < statements.size(); ++i) {
    Status done = RunDdlWithRetry(s, statements[i], policy, stop);
    if (!done.ok()) {
      not_run.assign(statements.begin() + i, statements.end());
      return done.With("cleanup stopped");
    }
  }
  return Status::Ok();
}

// The cleanup up to the edge: a failure that left statements to run fills `not_run`.
Status CleanUp(const Config& config, const StopFlag& stop, std::vector<std::string>& not_run) {
  const std::string table = QualifiedName(config.conn.database, config.conn.table);
  SA_ASSIGN_OR_RETURN(std::unique_ptr<Session> session, ConnectForCommand(config));
  Session& s = *session;
  const ArtifactNames names = NamesFor(config.conn.table);
  SA_RETURN_IF_ERROR(TakeCommandRunLock(s, config));
  StatusOr<RunLook> look = LookAtRun(s, config, names);
  if (!look.ok()) return look.status().With("looking at the run");
  if (!look->found.any()) {
    LogInfo("nothing to clean up for " + table);
    return Status::Ok();
  }
  if (InRevertibleState(*look)) {
    return RefusedError(
        "the run swapped and is revertible, and cleanup never drops its old "
        "table: " +
        look->view.next);
  }
  SA_RETURN_IF_ERROR(CheckCleanupIsSafe(s, config, names, *look));
  SA_ASSIGN_OR_RETURN(std::vector<std::string> statements,
                      CleanupStatements(s, config, names, *look));
  if (config.cleanup_dry_run) {
    std::cout << "cleanup of " << table << " would run, in this order:\n";
    for (const std::string& sql : statements) std::cout << "  " << sql << ";\n";
    std::cout << std::flush;
    return Status::Ok();
  }
  SA_RETURN_IF_ERROR(RunCleanupStatements(s, config, stop, statements, not_run));
  LogInfo(
      "cleaned up " + table + ": " + Join(look->view.artifacts, ", ") +
      (look->view.swapped ? "; the run is finished" : "; the table is as it was before the run"));
  return Status::Ok();
}

}  // namespace

int RunStatusCommand(const Config& config) {
  RunVerdict verdict = RunVerdict::kNothing;
  const Status shown = ShowRunStatus(config, verdict);
  if (!shown.ok()) return CommandExit(shown);
  switch (verdict) {
    case RunVerdict::kNothing:
      return kExitDone;
    case RunVerdict::kRunning:
      return kExitRunning;
    case RunVerdict::kResumable:
      return kExitParked;
    case RunVerdict::kNeedsAPerson:
      return kExitLeftBehind;
    case RunVerdict::kRevertible:
      return kExitRevertible;
  }
  return kExitFailed;
}

int RunCleanupCommand(const Config& config, const StopFlag& stop) {
  std::vector<std::string> not_run;
  const Status done = CleanUp(config, stop, not_run);
  if (not_run.empty()) return CommandExit(done);
  // Stopped part way: what is left is listed in the order to run it.
  LogError(done.message() + "; still to run, in this order:");
  for (const std::string& sql : not_run) LogError("  " + sql + ";");
  return kExitLeftBehind;
}

}  // namespace shadowalter
