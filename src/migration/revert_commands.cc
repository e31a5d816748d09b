#include "migration/revert_commands.h"

#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cutover/refusal_log.h"
#include "db/ddl_retry.h"
#include "db/quote.h"
#include "hooks/hooks.h"
#include "inspect/artifacts.h"
#include "migration/command_session.h"
#include "migration/ddl_policies.h"
#include "migration/exit_codes.h"
#include "migration/revertible.h"
#include "migration/trigger_cutover.h"
#include "report/log.h"
#include "sql/ddl.h"
#include "sql/names.h"
#include "sql/triggers.h"
#include "state/checkpoint_store.h"
#include "util/clock.h"
#include "util/crash_point.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

// Where a revertible run stands, from its checkpoint and the tables themselves.
enum class RevertState {
  kNotSwapped,       // the run never swapped (or stopped before its RENAME)
  kSwapNotFinished,  // swapped, but stopped before putting the revertible state on record
  kRevertible,       // swapped, the old table kept: revert or finish
  kSwappedBack,      // a revert's RENAME happened; the new table is left to drop
  kEnding,           // neither kept table is left: a finish or revert stopped in its drops
};

struct RevertibleRun {
  Checkpoint checkpoint;
  ArtifactsFound found;
};

RevertState StateOf(const RevertibleRun& run) {
  const Checkpoint& c = run.checkpoint;
  const ArtifactsFound& f = run.found;
  const bool swapped = f.original && f.old_table && !f.new_table;
  if (c.phase == RunPhase::kReverting && f.original && f.new_table && !f.old_table) {
    return RevertState::kSwappedBack;
  }
  if (c.phase >= RunPhase::kRevertible && swapped) return RevertState::kRevertible;
  if (c.phase >= RunPhase::kRevertible && f.original && !f.old_table && !f.new_table) {
    return RevertState::kEnding;
  }
  if (c.phase >= RunPhase::kSwapping && swapped) return RevertState::kSwapNotFinished;
  return RevertState::kNotSwapped;
}

// What one command invocation works with.
struct Command {
  const Config& config;
  const StopFlag& stop;
  Session& s;
  ArtifactNames names;
  std::string dsn;
  std::string table;  // `db`.`t`, for messages
};

// The table's run on record, if any; refused when it is not a --revertible one.
StatusOr<std::optional<RevertibleRun>> LookUp(Command& cmd) {
  const std::string& schema = cmd.config.conn.database;
  SA_ASSIGN_OR_RETURN(std::optional<Checkpoint> c,
                      CheckpointStore(schema, cmd.names.checkpoint_table).Load(cmd.s));
  SA_ASSIGN_OR_RETURN(ArtifactsFound found,
                      FindArtifacts(cmd.s, schema, cmd.config.conn.table, cmd.names));
  if (!c) return std::optional<RevertibleRun>();
  if (!IsRevertibleRun(*c)) {
    return RefusedError("the run on record for " + cmd.table +
                        " was not started with --revertible: `shadowalter status " + cmd.dsn +
                        "` says what to do with it");
  }
  return std::optional<RevertibleRun>(RevertibleRun{std::move(*c), std::move(found)});
}

// Everything the swap put on record still holds (migration/revertible.h), so the old table holds
// every write made since. Run before anything changes, and again under the table's write lock.
Status RequireStillRevertible(Session& s, const Command& cmd, const Checkpoint& c) {
  const std::string& schema = cmd.config.conn.database;
  const std::string& table = cmd.config.conn.table;
  const std::string keep = "; `shadowalter finish " + cmd.dsn +
                           "` keeps the table as it is (its writes are all there) and drops the "
                           "old one";
  StatusOr<std::string> triggers = ReverseTriggersFingerprint(s, schema, table, cmd.names);
  if (!triggers.ok()) return RefusedError("not reverting: " + triggers.status().message() + keep);
  if (*triggers != c.triggers_fingerprint) {
    return RefusedError(
        "not reverting: the reverse triggers were changed, or dropped and made again, since "
        "the swap, so the old table may have missed writes" +
        keep);
  }
  StatusOr<std::string> ids = TableIdsFingerprint(s, schema, table, cmd.names.old_table);
  if (!ids.ok()) return RefusedError("not reverting: " + ids.status().message() + keep);
  if (*ids != c.new_table_fingerprint) {
    return RefusedError(
        "not reverting: the table or the old table was truncated or rebuilt since the swap "
        "(TRUNCATE fires no trigger)" +
        keep);
  }
  SA_ASSIGN_OR_RETURN(std::string definitions, DefinitionsFingerprint(s, schema, table, cmd.names));
  if (definitions != c.original_fingerprint) {
    return RefusedError("not reverting: the table or the old table was altered since the swap" +
                        keep);
  }
  SA_ASSIGN_OR_RETURN(RefusalSummary refused,
                      RefusalLog(schema, cmd.names.reverse_refusals_table).Uncovered(s));
  if (refused.uncovered > 0) {
    return RefusedError("not reverting: " + std::to_string(refused.uncovered) +
                        " write(s) made since the swap were refused by the old table (" +
                        Join(refused.first, "; ") + "), and swapping back would lose them" + keep);
  }
  return Status::Ok();
}

// Runs the statements in order; when one fails, `not_run` gets it and those after it.
Status RunInOrder(Command& cmd, const std::vector<std::string>& statements,
                  std::vector<std::string>& not_run) {
  DdlRetryPolicy policy;
  policy.lock_wait_timeout_seconds = cmd.config.lock_wait_timeout;
  policy.tries = cmd.config.tries;
  policy = CleanupPolicy(policy, cmd.config);
  for (size_t i = 0; i < statements.size(); ++i) {
    Status done = RunDdlWithRetry(cmd.s, statements[i], policy, cmd.stop);
    if (!done.ok()) {
      not_run.assign(statements.begin() + i, statements.end());
      return done;
    }
    CrashPoint("end_step");
  }
  return Status::Ok();
}

void Print(const std::string& what, const std::vector<std::string>& statements) {
  std::cout << what << " would run, in this order:\n";
  for (const std::string& sql : statements) {
    std::cout << "  " << sql << (sql.rfind("--", 0) == 0 ? "" : ";") << "\n";
  }
  std::cout << std::flush;
}

std::vector<std::string> ReverseTriggerDrops(const Command& cmd) {
  const std::string& schema = cmd.config.conn.database;
  return {DropTriggerStatement(schema, cmd.names.reverse_insert_trigger),
          DropTriggerStatement(schema, cmd.names.reverse_update_trigger),
          DropTriggerStatement(schema, cmd.names.reverse_delete_trigger)};
}

// Appends the drops every end of the run has last: the logs, the heartbeat table, the
// checkpoint.
void AppendRunTableDrops(const Command& cmd, std::vector<std::string>& out) {
  for (const std::string* t : {&cmd.names.reverse_refusals_table, &cmd.names.refusals_table,
                               &cmd.names.heartbeat_table, &cmd.names.checkpoint_table}) {
    out.push_back(DropTableStatement(cmd.config.conn.database, *t));
  }
}

// What is left once the table is the original again: the swapped-away new table, then the rest.
std::vector<std::string> StatementsAfterRevert(const Command& cmd) {
  std::vector<std::string> out = {
      DropTableStatement(cmd.config.conn.database, cmd.names.shadow_table)};
  AppendRunTableDrops(cmd, out);
  return out;
}

// What is left once neither kept table is: the reverse triggers (a finish may have stopped
// before dropping them all), then the rest.
std::vector<std::string> StatementsToEnd(const Command& cmd) {
  std::vector<std::string> out = ReverseTriggerDrops(cmd);
  AppendRunTableDrops(cmd, out);
  return out;
}

Status EndWhatIsLeft(Command& cmd, std::vector<std::string>& not_run) {
  if (cmd.config.cleanup_dry_run) {
    Print("the end of the run on " + cmd.table, StatementsToEnd(cmd));
    return Status::Ok();
  }
  SA_RETURN_IF_ERROR(RunInOrder(cmd, StatementsToEnd(cmd), not_run).With("ending the run"));
  LogInfo("ended what was left of the run on " + cmd.table +
          " (neither the old nor the new table was left); the table is as it is now");
  return Status::Ok();
}

// After a failed swap back: when the reverse triggers are as they were (never dropped, or put
// back under the lock with no write in between), the run is on record as revertible again;
// otherwise it says why not. The sentence to add to the failure.
std::string AfterFailedSwapBack(Command& cmd, const TriggerCutover& cutover) {
  const std::string& schema = cmd.config.conn.database;
  CheckpointStore store(schema, cmd.names.checkpoint_table);
  if (!cutover.mirror_triggers_kept()) {
    return "; the reverse triggers are gone, so the old table may miss writes from now on: "
           "`shadowalter finish " +
           cmd.dsn + "` ends the run (revert refuses from now on)";
  }
  if (cutover.mirror_triggers_recreated()) {
    // Put back under the lock: only their creation times are new.
    StatusOr<std::string> triggers =
        ReverseTriggersFingerprint(cmd.s, schema, cmd.config.conn.table, cmd.names);
    if (!triggers.ok() || !store.SetTriggersFingerprint(cmd.s, *triggers).ok()) {
      return "; the reverse triggers are back, but recording them failed: revert may refuse";
    }
  }
  if (!store.SetPhase(cmd.s, RunPhase::kRevertible).ok()) return "";
  return "; nothing was changed and the run is still revertible: try again";
}

Status CompleteRevert(Command& cmd, std::vector<std::string>& not_run) {
  SA_RETURN_IF_ERROR(RunInOrder(cmd, StatementsAfterRevert(cmd), not_run)
                         .With("dropping the new table after swapping back"));
  LogInfo("reverted: " + cmd.table +
          " has its original definition again, with every write made since the swap; the new "
          "table is dropped");
  return Status::Ok();
}

Status SwapBack(Command& cmd, const RevertibleRun& run, std::vector<std::string>& not_run) {
  const std::string& schema = cmd.config.conn.database;
  SA_RETURN_IF_ERROR(RequireStillRevertible(cmd.s, cmd, run.checkpoint));
  if (cmd.config.cleanup_dry_run) {
    std::vector<std::string> all = {
        "-- under the table's write lock, handed over to the RENAME as the swap did:"};
    for (std::string& sql : ReverseTriggerDrops(cmd)) all.push_back(std::move(sql));
    all.push_back(
        SwapStatement(schema, cmd.config.conn.table, cmd.names.shadow_table, cmd.names.old_table));
    for (std::string& sql : StatementsAfterRevert(cmd)) all.push_back(std::move(sql));
    Print("revert of " + cmd.table, all);
    return Status::Ok();
  }
  SA_RETURN_IF_ERROR(
      CheckpointStore(schema, cmd.names.checkpoint_table).SetPhase(cmd.s, RunPhase::kReverting));
  CrashPoint("reverting");
  SA_ASSIGN_OR_RETURN(std::unique_ptr<Session> second, ConnectForCommand(cmd.config));
  DdlRetryPolicy policy;
  policy.lock_wait_timeout_seconds = cmd.config.lock_wait_timeout;
  policy.tries = cmd.config.tries;
  // The swap backwards: the old table takes the new one's place in the hand-over, and the new
  // table gets the name the old one had before the swap.
  CutoverPlan plan{schema,
                   cmd.config.conn.table,
                   cmd.names.old_table,
                   cmd.names.shadow_table,
                   {cmd.names.reverse_insert_trigger, cmd.names.reverse_update_trigger,
                    cmd.names.reverse_delete_trigger},
                   {},
                   [&](Session& s) { return RequireStillRevertible(s, cmd, run.checkpoint); }};
  plan.restore_mirror_triggers = true;
  TriggerCutover cutover(std::move(plan), cmd.s, *second,
                         PolicyFor(policy, cmd.config, DdlOperation::kSwapTables), cmd.stop);
  Status swapped = cutover.Run();
  if (!swapped.ok()) {
    not_run = cutover.leftovers();
    const Status failed = swapped.With("swapping the old table back");
    return Status(failed.code(), failed.message() + AfterFailedSwapBack(cmd, cutover),
                  failed.server_errno());
  }
  CrashPoint("reverted");
  return CompleteRevert(cmd, not_run);
}

Status Revert(Command& cmd, std::optional<RevertibleRun>& run, std::vector<std::string>& not_run) {
  SA_ASSIGN_OR_RETURN(run, LookUp(cmd));
  if (!run) return RefusedError("no revertible run on record for " + cmd.table);
  switch (StateOf(*run)) {
    case RevertState::kSwappedBack:
      LogInfo("a revert had swapped the old table back already: finishing it");
      if (cmd.config.cleanup_dry_run) {
        Print("revert of " + cmd.table, StatementsAfterRevert(cmd));
        return Status::Ok();
      }
      return CompleteRevert(cmd, not_run);
    case RevertState::kSwapNotFinished:
      return RefusedError("the run stopped right after its swap: `shadowalter resume " + cmd.dsn +
                          "` finishes the swap's last steps and keeps it revertible; then revert");
    case RevertState::kNotSwapped:
      return RefusedError("the run on record for " + cmd.table +
                          " has not swapped the tables: nothing to revert (`shadowalter status " +
                          cmd.dsn + "` says what to do with it)");
    case RevertState::kEnding:
      if (run->checkpoint.phase == RunPhase::kReverting) {
        LogInfo("a revert had swapped the old table back and dropped the new one: ending it");
        return EndWhatIsLeft(cmd, not_run);
      }
      return RefusedError("the old table " + QuoteIdentifier(cmd.names.old_table) +
                          " is gone: nothing to swap back; `shadowalter finish " + cmd.dsn +
                          "` ends the run");
    case RevertState::kRevertible:
      break;
  }
  return SwapBack(cmd, *run, not_run);
}

Status Finish(Command& cmd, std::optional<RevertibleRun>& run, std::vector<std::string>& not_run) {
  const std::string& schema = cmd.config.conn.database;
  SA_ASSIGN_OR_RETURN(run, LookUp(cmd));
  std::vector<std::string> statements;
  if (!run) {
    // Idempotent: a finish run again after it completed finds nothing on record.
    LogInfo("nothing to finish for " + cmd.table + ": no run on record");
    return Status::Ok();
  }
  switch (StateOf(*run)) {
    case RevertState::kSwappedBack:
      LogInfo("a revert had swapped the old table back already: finishing the revert");
      statements = StatementsAfterRevert(cmd);
      break;
    case RevertState::kNotSwapped:
      return RefusedError("the run on record for " + cmd.table +
                          " has not swapped the tables: nothing to finish (`shadowalter status " +
                          cmd.dsn + "` says what to do with it)");
    case RevertState::kEnding:
      return EndWhatIsLeft(cmd, not_run);
    case RevertState::kSwapNotFinished:
    case RevertState::kRevertible:
      // The reverse triggers first: they write into the old table.
      statements = ReverseTriggerDrops(cmd);
      if (cmd.config.drop_old_table) {
        statements.push_back(DropTableStatement(schema, cmd.names.old_table));
      }
      AppendRunTableDrops(cmd, statements);
      break;
  }
  if (cmd.config.cleanup_dry_run) {
    Print("finish of " + cmd.table, statements);
    return Status::Ok();
  }
  SA_RETURN_IF_ERROR(RunInOrder(cmd, statements, not_run).With("finishing"));
  LogInfo(StateOf(*run) == RevertState::kSwappedBack
              ? "reverted: " + cmd.table + " has its original definition again"
              : "finished: " + cmd.table + " keeps its new definition; " +
                    (cmd.config.drop_old_table
                         ? "the old table and the reverse triggers are dropped"
                         : "the reverse triggers are dropped, the old table is kept as " +
                               QuoteIdentifier(cmd.names.old_table)));
  return Status::Ok();
}

using CommandBody = Status (*)(Command&, std::optional<RevertibleRun>&, std::vector<std::string>&);

// Connects, takes the run lock, runs `body`, and reports: the log, one `done` event, and the
// hooks (`hook_on_success`, else `failure`; none for --dry-run).
int RunCommand(const Config& config, const StopFlag& stop, EventSink& events, const char* name,
               const char* hook_on_success, const char* description, CommandBody body) {
  const auto start = Clock::now();
  events.Phase(name, description);
  std::vector<std::string> not_run;
  std::optional<RevertibleRun> run;
  const std::string table = QualifiedName(config.conn.database, config.conn.table);
  Status outcome = [&]() -> Status {
    SA_ASSIGN_OR_RETURN(std::unique_ptr<Session> session, ConnectForCommand(config));
    SA_RETURN_IF_ERROR(TakeCommandRunLock(*session, config));
    Command cmd{
        config, stop, *session, NamesFor(config.conn.table), config.conn.DsnWithoutPassword(),
        table};
    return body(cmd, run, not_run);
  }();
  if (run && !run->checkpoint.run_id.empty()) events.SettleRunId(run->checkpoint.run_id);
  int code = CommandExit(outcome);
  if (!not_run.empty()) {
    LogError("still to run, in this order:");
    for (const std::string& sql : not_run) LogError("  " + sql + ";");
    code = kExitLeftBehind;
  }
  DoneEvent done;
  done.status = outcome.ok()                           ? "success"
                : outcome.code() == Code::kRefused     ? "refused"
                : outcome.code() == Code::kUnreachable ? "unreachable"
                : outcome.code() == Code::kAborted     ? "aborted"
                                                       : "failed";
  done.exit_code = code;
  done.elapsed_seconds = SecondsSince(start);
  done.message = outcome.ok() ? std::string(name) + " done: " + table : outcome.message();
  // A refused revert changed nothing: the swap still waits for revert or finish.
  done.revertible =
      outcome.code() == Code::kRefused && run && StateOf(*run) == RevertState::kRevertible;
  const std::map<std::string, std::string> env = {
      {"SHADOWALTER_HOOK", outcome.ok() ? hook_on_success : "failure"},
      {"SHADOWALTER_PHASE", name},
      {"SHADOWALTER_SCHEMA", config.conn.database},
      {"SHADOWALTER_TABLE", config.conn.table},
      {"SHADOWALTER_CONNECTION", config.conn.Redacted()},
      {"SHADOWALTER_RUN_ID", run ? run->checkpoint.run_id : std::string()},
      {"SHADOWALTER_MODE", name},
      {"SHADOWALTER_EXIT_CODE", std::to_string(code)},
      {"SHADOWALTER_STATUS", done.status},
      {"SHADOWALTER_MESSAGE", done.message},
      {"SHADOWALTER_REVERTIBLE", done.revertible ? "1" : "0"},
  };
  if (!config.cleanup_dry_run) {
    Status hook =
        Hooks(config.hook_dir, stop).Run(outcome.ok() ? hook_on_success : "failure", env, false);
    if (!hook.ok()) LogWarning(hook.message());
  }
  events.Done(done);
  return code;
}

}  // namespace

int RunRevertCommand(const Config& config, const StopFlag& stop, EventSink& events) {
  return RunCommand(config, stop, events, "revert", "reverted", "swapping the old table back",
                    Revert);
}

int RunFinishCommand(const Config& config, const StopFlag& stop, EventSink& events) {
  return RunCommand(config, stop, events, "finish", "finished", "dropping the old table", Finish);
}

}  // namespace shadowalter
