#include "migration/migration.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <sstream>
#include <string_view>

#include "check/preflight.h"
#include "copy/copier.h"
#include "db/errors.h"
#include "db/quote.h"
#include "inspect/inspector.h"
#include "migration/connect.h"
#include "migration/exit_codes.h"
#include "migration/stop_action.h"
#include "migration/trigger_cutover.h"
#include "report/log.h"
#include "report/progress.h"
#include "sql/column_map.h"
#include "sql/ddl.h"
#include "sql/triggers.h"
#include "util/clock.h"
#include "util/strings.h"
#include "verify/verifier.h"

namespace shadowalter {

Migration::Migration(Config config, StopFlag& stop, EventSink& events, std::string run_id,
                     LiveSettings* live)
    : config_(std::move(config)),
      stop_(stop),
      events_(events),
      hooks_(config_.hook_dir, stop),
      report_(events),
      sessions_(RunLockName(config_.conn.database, config_.conn.table),
                [this] { return OpenPrimarySession(config_); }),
      refusals_(config_.conn.database, NamesFor(config_.conn.table).refusals_table),
      record_(config_.conn.database, NamesFor(config_.conn.table).checkpoint_table,
              std::move(run_id)),
      cutover_(config_, plan_.names, plan_.original, plan_.shadow, refusals_, record_, cleanup_,
               ddl_policy_, stop_),
      live_(live) {
  cutover_.UseLiveSettings(live_);
  ddl_policy_.lock_wait_timeout_seconds = config_.lock_wait_timeout;
  ddl_policy_.tries = config_.tries;
  ddl_policy_.describe_blockers = [this] { return Blockers(); };
  plan_.names = NamesFor(config_.conn.table);
}

// --revertible, or a run that may continue a stopped one, which learns only then whether that one
// was revertible.
bool Migration::MayBeRevertible(const Config& config) {
  return config.revertible || config.resume != ResumePolicy::kRefuse;
}

// `shadowalter verify`: compares a run's tables and changes nothing.
std::vector<Migration::Phase> Migration::VerifyPhases() {
  return {
      {"analyze", "analyzing the ALTER", &Migration::AnalyzeAlterText},
      {"connect", "connecting", &Migration::Connect},
      {"inspect", "inspecting the table", &Migration::InspectOriginal},
      {"find_new_table", "finding the new table", &Migration::RequireShadow},
      {"plan_comparison", "planning the comparison", &Migration::PlanCopy},
      {"verify", "verifying", &Migration::VerifyTables},
  };
}

// The job, top to bottom. A dry run stops after reporting the plan; cleanup then drops the shadow.
std::vector<Migration::Phase> Migration::PhasesFor(const Config& config) {
  if (config.mode == RunMode::kVerify) return VerifyPhases();
  const bool execute = config.mode == RunMode::kExecute;
  std::vector<Phase> phases = {
      {"analyze", "analyzing the ALTER", &Migration::AnalyzeAlterText, kEvery},
      {"connect", "connecting", &Migration::Connect, kEvery},
      {"run_lock", "taking the run lock", &Migration::TakeRunLock, kEvery},
  };
  if (execute) {
    // Decides what kind of run this is: fresh, resuming a checkpoint, or finishing a swap.
    phases.push_back(
        {"find_stopped_run", "looking for a stopped run", &Migration::FindStoppedRun, kEvery});
  }
  phases.insert(phases.end(),
                {
                    {"inspect", "inspecting the table", &Migration::InspectOriginal},
                    {"find_replicas", "finding replicas", &Migration::FindReplicasToWatch},
                    {"preflight", "preflight checks", &Migration::Preflight, kFresh | kResumed, "",
                     "validated"},
                });
  if (execute) {
    // First of the artifacts, so that every later one is on record.
    phases.push_back(
        {"record_checkpoint", "recording the checkpoint", &Migration::RecordCheckpoint, kFresh});
  }
  phases.insert(
      phases.end(),
      {
          {"create_new_table", "creating the new table", &Migration::CreateShadow, kFresh},
          {"alter_new_table", "altering the new table", &Migration::AlterShadow, kFresh},
          {"compare_definitions", "comparing the definitions", &Migration::CompareDefinitions,
           kFresh},
          {"check_new_table", "checking the new table", &Migration::CheckNewTable, kFresh},
          {"plan_copy", "planning the copy", &Migration::PlanCopy},
          {"check_stopped_run", "checking the stopped run's artifacts", &Migration::CheckStoppedRun,
           kResumed},
          {"check_unique_keys", "checking new unique keys", &Migration::CheckNewUniqueKeys, kFresh},
      });
  if (config.preserve_triggers) {
    phases.push_back(
        {"check_own_triggers", "checking the table's own triggers", &Migration::CheckOwnTriggers});
  }
  // Also listed for a run that may continue a stopped one, which may have been --revertible
  // (a no-op when it was not).
  if (MayBeRevertible(config)) {
    phases.push_back({"plan_revert", "planning the reverse triggers", &Migration::PlanRevert,
                      kFresh | kResumed});
  }
  if (config.mode == RunMode::kDryRun) {
    phases.push_back({"report_plan", "reporting the plan", &Migration::ReportPlan});
    return phases;
  }
  // Ends the run early, with no copy, when the server changes the original in place.
  phases.push_back(
      {"alter_instantly", "trying the ALTER instantly", &Migration::AlterInstantly, kFresh});
  if (config.heartbeat)
    phases.push_back({"start_heartbeat", "starting the heartbeat", &Migration::StartHeartbeat});
  phases.push_back({"create_triggers", "creating triggers", &Migration::CreateTriggers});
  phases.push_back(
      {"copy", "copying rows", &Migration::CopyRows, kFresh | kResumed, "before-copy"});
  if (config.verify) phases.push_back({"verify", "verifying", &Migration::VerifyTables});
  AppendCutoverPhases(config, phases);
  return phases;
}

// From the postponed cut-over to the old table's drop (migration/cutover.h).
void Migration::AppendCutoverPhases(const Config& config, std::vector<Phase>& phases) {
  if (!config.swap_tables) {
    // --no-swap-tables: no cut-over at all. With --no-drop-triggers the run parks here; else it
    // ends as a rehearsal (Succeed drops the triggers and the new table).
    if (!config.drop_triggers) {
      phases.push_back(
          {"stop_before_swap", "stopping before the swap", &Migration::StopBeforeSwap});
    }
    return;
  }
  if (!config.postpone_cutover_file.empty()) {
    phases.push_back({"wait_for_cutover", "waiting for the cut-over", &Migration::WaitForCutover});
  }
  if (config.cutover_window) {
    phases.push_back(
        {"cutover_window", "checking the cut-over window", &Migration::CheckCutoverWindow});
  }
  // The cut-over starts with the children's foreign keys when they are repointed, else the swap.
  const ForeignKeyMethod fk = config.foreign_keys_method;
  const bool repoints =
      fk == ForeignKeyMethod::kRebuildConstraints || fk == ForeignKeyMethod::kAuto;
  if (repoints) {
    // Last before the swap: the window in which children reference the new table is short.
    phases.push_back({"repoint_foreign_keys", "repointing child foreign keys",
                      &Migration::RepointChildForeignKeys, kFresh | kResumed, "before-cutover"});
  }
  phases.push_back({"swap", "swapping tables", &Migration::Swap, kFresh | kResumed,
                    repoints ? "" : "before-cutover"});
  phases.push_back({"finish_swap", "finishing the stopped run's swap", &Migration::FinishSwappedRun,
                    kFinishing});
  phases.push_back({"drop_old_table", "dropping the old table", &Migration::DropOldTable, kEvery});
  if (MayBeRevertible(config)) {
    phases.push_back({"keep_revertible", "keeping the old table revertible",
                      &Migration::KeepRevertible, kEvery});
  }
}

int Migration::Run() {
  const auto start = Clock::now();
  // A run that can't continue a stopped one knows its id now; one that can, once it has looked
  // (find_stopped_run).
  const std::vector<Phase> phases = PhasesFor(config_);
  if (std::none_of(phases.begin(), phases.end(),
                   [](const Phase& p) { return std::string_view(p.id) == "find_stopped_run"; })) {
    SettleRunId(nullptr);
  }
  StartRunLimit();
  // Every warning, wherever logged, becomes an event and is counted; only for this run.
  SetWarningObserver([this](const std::string& message) {
    report_.CountWarning();
    events_.Warning(message);
  });
  const int code = RunPhases(start);
  // The outcome is decided and cleanup is done; these hooks can only report.
  const bool success = code == kExitDone;
  limit_.reset();
  Status hook = RunHook(success               ? "success"
                        : code == kExitParked ? "parked"
                                              : "failure",
                        report_.outcome().phase.c_str(), code);
  if (!hook.ok()) LogWarning(hook.message());
  if (config_.statistics) {
    report_.PrintStatistics(QualifiedName(config_.conn.database, config_.conn.table));
  }
  SetWarningObserver(nullptr);
  report_.Done(code, SecondsSince(start), config_.statistics);
  return code;
}

int Migration::RunPhases(Clock::time_point start) {
  report_.outcome().phase = "startup";
  if (Status s = RunHook("startup", "startup"); !s.ok()) return Finish(s, "running hook startup");
  for (const Phase& phase : PhasesFor(config_)) {
    if ((phase.runs & record_.kind()) == 0) continue;
    if (stop_.requested()) {
      report_.outcome().phase = phase.id;
      return Finish(AbortedError("stopped by " + stop_.Describe()), phase.name);
    }
    report_.outcome().phase = phase.id;
    if (*phase.hook_before != '\0') {
      if (Status s = RunHook(phase.hook_before, phase.id); !s.ok()) {
        return Finish(
            s.code() == Code::kHook && std::string_view(phase.hook_before) == "before-cutover"
                ? Status(s.code(), s.message() + "; not swapping")
                : s,
            phase.name);
      }
    }
    LogDebug("phase: " + std::string(phase.name));
    events_.Phase(phase.id, phase.name);
    const auto phase_start = Clock::now();
    Status s;
    try {
      s = (this->*phase.run)();
    } catch (const std::exception& e) {
      // Library exceptions stop here, so cleanup still runs.
      s = InternalError(std::string("unexpected error: ") + e.what());
    }
    report_.PhaseTook(phase.id, phase.name, SecondsSince(phase_start));
    if (!s.ok()) return Finish(s, phase.name);
    if (*phase.hook_after != '\0') {
      if (Status h = RunHook(phase.hook_after, phase.id); !h.ok()) return Finish(h, phase.name);
    }
    if (plan_.altered_instantly || plan_.already_done) break;
  }
  return Succeed(start);
}

int Migration::EndRehearsal(Clock::time_point start) {
  // The copy and the verification are what --no-swap-tables came for: undo the rest as an abort
  // would (triggers first, then the new table and the checkpoint), the table as it was.
  std::vector<std::string> left = Cleanup();
  if (!left.empty()) {
    LogError("cleanup is incomplete; run these statements, in this order:");
    for (const auto& sql : left) LogError("  " + sql + ";");
    report_.outcome().message = "not swapped (--no-swap-tables); cleanup is incomplete";
    return kExitLeftBehind;
  }
  const double total = SecondsSince(start);
  report_.outcome().message =
      "done without swapping (--no-swap-tables): " +
      std::to_string(report_.copy_progress().rows_copied) + " rows copied" +
      (config_.verify ? " and verified" : "") + " in " + Fixed(total, 1) +
      " s; the triggers and the new table were dropped, the table is unchanged";
  LogInfo(report_.outcome().message);
  LogInfo(report_.PhaseShares(total));
  return kExitDone;
}

int Migration::Succeed(Clock::time_point start) {
  report_.outcome().phase = "done";
  const std::string table = QualifiedName(config_.conn.database, config_.conn.table);
  if (config_.mode == RunMode::kVerify) {
    report_.outcome().message = "verify done: the tables agree; nothing was changed";
    LogInfo(report_.outcome().message);
    return kExitDone;
  }
  if (plan_.already_done) return NothingToDo();
  if (!config_.swap_tables && config_.mode == RunMode::kExecute) return EndRehearsal(start);
  if (config_.mode == RunMode::kDryRun) {
    std::vector<std::string> left = Cleanup();
    if (!left.empty()) return Finish(InternalError("could not drop the dry run's new table"), "");
    report_.outcome().message = "dry run done: nothing was changed; run with --execute to do it";
    LogInfo(report_.outcome().message);
    return kExitDone;
  }
  if (plan_.altered_instantly) {
    // Only the empty new table is left to drop; the original already has its new definition.
    if (std::optional<int> left = DropWhatIsLeft("the ALTER is done")) return *left;
    report_.outcome().message =
        "done: " + table + " altered instantly in " + Fixed(SecondsSince(start), 1) + " s";
    LogInfo(report_.outcome().message +
            " (ALGORITHM=INSTANT: metadata only, no copy, nothing for replicas to catch up)");
    return kExitDone;
  }
  const double total = SecondsSince(start);
  report_.outcome().message = "done: " + table + " altered in " + Fixed(total, 1) + " s";
  if (cutover_.revertible()) {
    report_.outcome().revertible = true;
    const std::string dsn = config_.conn.DsnWithoutPassword();
    report_.outcome().message += "; revertible: `shadowalter revert " + dsn +
                                 "` swaps the old table back, `shadowalter finish " + dsn +
                                 "` drops it (every write is applied to both until then)";
  }
  LogInfo(report_.outcome().message);
  LogInfo(report_.PhaseShares(total));
  return kExitDone;
}

std::optional<int> Migration::DropWhatIsLeft(const std::string& outcome) {
  std::vector<std::string> left = Cleanup();
  if (left.empty()) return std::nullopt;
  const std::string failed = outcome + ", but dropping the run's new table failed";
  LogError(failed + "; run:");
  for (const auto& sql : left) LogError("  " + sql + ";");
  report_.outcome().status = "failed";
  report_.outcome().message = failed;
  return kExitLeftBehind;
}

int Migration::NothingToDo() {
  const std::string table = QualifiedName(config_.conn.database, config_.conn.table);
  if (std::optional<int> left = DropWhatIsLeft("nothing to do")) return *left;
  report_.outcome().message =
      "nothing to do: " + table + " already has the definition this ALTER gives it";
  LogInfo(report_.outcome().message + "; nothing was changed");
  return kExitDone;
}

Status Migration::RunHook(const char* hook, const char* phase, std::optional<int> exit_code) {
  if (config_.hook_dir.empty()) return Status::Ok();
  // Documented in docs/operations.md (Hooks); never a credential.
  std::map<std::string, std::string> env = {
      {"SHADOWALTER_HOOK", hook},
      {"SHADOWALTER_PHASE", phase},
      {"SHADOWALTER_SCHEMA", config_.conn.database},
      {"SHADOWALTER_TABLE", config_.conn.table},
      {"SHADOWALTER_CONNECTION", config_.conn.Redacted()},
      // Empty until settled: the startup hook of a run that may continue a stopped one.
      {"SHADOWALTER_RUN_ID", record_.run_id_settled() ? record_.run_id() : std::string()},
      {"SHADOWALTER_ALTER", config_.alter},
      {"SHADOWALTER_MODE", config_.mode == RunMode::kExecute  ? "execute"
                           : config_.mode == RunMode::kDryRun ? "dry-run"
                                                              : "verify"},
      {"SHADOWALTER_ROWS_COPIED", std::to_string(report_.copy_progress().rows_copied)},
      {"SHADOWALTER_ROWS_ESTIMATED", std::to_string(plan_.original.estimated_rows)},
      {"SHADOWALTER_REVERTIBLE", report_.outcome().revertible ? "1" : "0"},
  };
  if (exit_code) {
    env["SHADOWALTER_EXIT_CODE"] = std::to_string(*exit_code);
    env["SHADOWALTER_STATUS"] = report_.outcome().status;
    env["SHADOWALTER_MESSAGE"] = report_.outcome().message;
  }
  return hooks_.Run(hook, env, /*stoppable=*/!exit_code.has_value());
}

int Migration::Finish(const Status& failure, const char* phase) {
  // A limit reached with --on-limit park, or a connection lost once the checkpoint exists: the
  // artifacts stay, on record, for resume (cleaning up could not reach the server anyway).
  if (record_.ParksOn(failure, StopParks(stop_.signal_number(), config_), cutover_.swapped())) {
    return Park(failure, phase);
  }
  report_.outcome().status = failure.code() == Code::kRefused       ? "refused"
                             : failure.code() == Code::kUnreachable ? "unreachable"
                             : failure.code() == Code::kAborted     ? "aborted"
                                                                    : "failed";
  report_.outcome().message =
      (*phase != '\0' ? std::string(phase) + ": " : std::string()) + failure.message();
  // The cause first, in one line; then what cleanup did.
  if (failure.code() == Code::kAborted) {
    LogError("aborted while " + std::string(phase) + ": " + failure.message());
  } else {
    LogError(std::string(phase) + ": " + failure.message());
  }
  if (failure.code() == Code::kDataLoss && !config_.drop_new_table && !cleanup_.empty()) {
    // --no-drop-new-table: keep the evidence. The triggers keep the new table current meanwhile.
    LogError(
        "kept the new table and the triggers for inspection (--no-drop-new-table); "
        "compare again with `shadowalter verify`, remove them with, in this order:");
    for (const auto& sql : cleanup_.Pending()) LogError("  " + sql + ";");
    report_.outcome().message += "; kept the new table and the triggers (--no-drop-new-table)";
    return kExitLeftBehind;
  }
  std::vector<std::string> left = cutover_.TakeLeftovers();
  for (std::string& sql : Cleanup()) left.push_back(std::move(sql));
  if (!left.empty()) {
    LogError("cleanup is incomplete; run these statements, in this order:");
    for (const auto& sql : left) LogError("  " + sql + ";");
    report_.outcome().message += "; cleanup is incomplete: the log lists the statements to run";
    return kExitLeftBehind;
  }
  if (cleanup_.ever_pushed() && !cutover_.swapped()) {
    LogInfo("everything was cleaned up; the original table is unchanged");
  }
  return ExitCodeFor(failure.code());
}

std::vector<std::string> Migration::Cleanup() {
  std::vector<std::string> left = Unwind(cleanup_);
  CleanupStack& after_swap = cutover_.steps_after_swap();
  if (left.empty()) return Unwind(after_swap);
  for (std::string& sql : after_swap.Pending()) left.push_back(std::move(sql));
  after_swap.Release();
  return left;
}

std::vector<std::string> Migration::Unwind(CleanupStack& stack) {
  if (heartbeat_) heartbeat_->Stop();  // before its table goes
  if (stack.empty()) return {};
  std::unique_ptr<Session> fresh;
  Session* session = sessions_.LiveForCleanup(fresh);
  if (session == nullptr)
    return stack.Unwind([](const std::string&) {
      return Status(Code::kConnection, "no connection to the server");
    });
  // Cleanup must finish even after a stop request: use a stop flag nobody sets.
  static const StopFlag kNeverStop;
  const DdlRetryPolicy policy = CleanupPolicy(ddl_policy_, config_);
  return stack.Unwind(
      [&](const std::string& sql) { return RunDdlWithRetry(*session, sql, policy, kNeverStop); });
}

Status Migration::WaitForCutover() {
  return cutover_.WaitForFile(
      [this] { return VerifyTables(); },
      [this]() -> Session* { return sessions_.EnsureDdl().ok() ? &sessions_.ddl() : nullptr; });
}

Status Migration::CheckCutoverWindow() {
  std::optional<double> seconds_left;
  if (limit_) seconds_left = limit_->SecondsLeft();
  return cutover_.CheckWindow(seconds_left, [this] { return VerifyTables(); });
}

Status Migration::StopBeforeSwap() {
  return ParkedError(
      std::string("not swapping (--no-swap-tables --no-drop-triggers): the new table is ") +
      (config_.verify ? "complete and verified" : "complete") +
      " and the triggers keep it current; `shadowalter resume` swaps it in (verifying again), "
      "`shadowalter cleanup` drops both");
}

Status Migration::RepointChildForeignKeys() {
  SA_RETURN_IF_ERROR(sessions_.EnsureDdl());
  return cutover_.RepointChildForeignKeys(sessions_.ddl());
}

Status Migration::Swap() {
  SA_RETURN_IF_ERROR(sessions_.EnsureDdl());
  return cutover_.Swap(sessions_.ddl(), heartbeat_ != nullptr);
}

Status Migration::FinishSwappedRun() {
  cutover_.QueueStoppedRunsSteps();
  return Status::Ok();
}

Status Migration::DropOldTable() {
  return cutover_.Finish([this](CleanupStack& steps) { return Unwind(steps); });
}

void Migration::PushTableDrop(const std::string& what, const std::string& table) {
  cleanup_.Push(what + " " + QuoteIdentifier(table),
                DropTableStatement(config_.conn.database, table));
}

void Migration::PushTriggerDrop(const std::string& trigger) {
  cleanup_.Push("trigger " + QuoteIdentifier(trigger),
                DropTriggerStatement(config_.conn.database, trigger));
}

Status Migration::RunDdl(const std::string& sql, DdlOperation operation) {
  SA_RETURN_IF_ERROR(sessions_.EnsureDdl());
  return RunDdlWithRetry(sessions_.ddl(), sql, PolicyFor(ddl_policy_, config_, operation), stop_);
}

}  // namespace shadowalter
