// The phases that make a run resumable: the checkpoint it keeps on the primary, finding and
// checking a stopped run's artifacts before continuing it, the time limit and parking.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <thread>

#include "check/stopped_run.h"
#include "cli/version.h"
#include "db/errors.h"
#include "db/quote.h"
#include "inspect/artifacts.h"
#include "inspect/inspector.h"
#include "migration/exit_codes.h"
#include "migration/migration.h"
#include "migration/saved_triggers.h"
#include "report/log.h"
#include "sql/ddl.h"
#include "sql/triggers.h"
#include "state/run_identity.h"
#include "util/clock.h"
#include "util/crash_point.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

std::string StartedBy() {
  char host[256] = "?";
  gethostname(host, sizeof host - 1);
  return std::string(host) + " pid " + std::to_string(getpid());
}

std::string DescribePosition(const Checkpoint& c) {
  if (!c.position) return "from the first key";
  return "after key (" + Join(*c.position, ", ") + ")";
}

}  // namespace

void Migration::StartRunLimit() {
  std::string why;
  std::optional<double> seconds = SecondsToLimit(config_, std::time(nullptr), &why);
  if (!seconds || config_.mode != RunMode::kExecute) return;
  // Stop early enough that the chunk in flight ends before the limit.
  const double margin = std::min(config_.chunk_time + 1.0, *seconds / 10);
  limit_ = std::make_unique<RunLimit>(*seconds, margin, why, stop_);
  LogInfo("time limit: " + why + " (in " + Fixed(*seconds, 0) + " s); then the run " +
          (config_.on_limit == LimitAction::kPark ? "parks (resume continues it)"
                                                  : "aborts and cleans up"));
}

Status Migration::RecordPhase(RunPhase phase) {
  if (!record_.on_record()) return Status::Ok();
  SA_RETURN_IF_ERROR(sessions_.EnsureDdl());
  return record_.RecordPhase(sessions_.ddl(), phase);
}

Status Migration::RecordNewTable() {
  if (!record_.on_record()) return Status::Ok();
  SA_ASSIGN_OR_RETURN(std::string create, CreateTableText(sessions_.ddl(), config_.conn.database,
                                                          plan_.names.shadow_table));
  SA_RETURN_IF_ERROR(
      record_.RecordNewTableFingerprint(sessions_.ddl(), DefinitionFingerprint(create)));
  CrashPoint("new_table");
  return RecordPhase(RunPhase::kNewTable);
}

Status Migration::RecordTriggers() {
  SA_RETURN_IF_ERROR(sessions_.EnsureDdl());
  SA_ASSIGN_OR_RETURN(std::string text,
                      TriggerDefinitionsText(sessions_.ddl(), config_.conn.database, plan_.names));
  // The swap checks them against this (cutover/swap_guard.h).
  cutover_.set_mirror_fingerprint(Fingerprint(text));
  cutover_.set_table_ids(
      InnodbTableIds(sessions_.ddl(), config_.conn.database, config_.conn.table));
  cutover_.set_mirror_created(
      TriggersCreatedText(sessions_.ddl(), config_.conn.database, plan_.names));
  if (!record_.on_record()) return Status::Ok();
  SA_RETURN_IF_ERROR(
      record_.RecordTriggersFingerprint(sessions_.ddl(), cutover_.mirror_fingerprint()));
  return RecordPhase(RunPhase::kCopying);
}

void Migration::SettleRunId(const Checkpoint* stopped) {
  record_.SettleRunId(stopped);
  events_.SettleRunId(record_.run_id());
}

Status Migration::FindStoppedRun() {
  StatusOr<std::optional<Checkpoint>> loaded = record_.Load(sessions_.ddl());
  // Whatever comes next (continuing, starting afresh, a refusal), this invocation belongs to the
  // stopped run it found. A checkpoint that can't be read leaves the run its own id.
  SettleRunId(loaded.ok() && loaded->has_value() ? &**loaded : nullptr);
  if (!loaded.ok()) return loaded.status();
  std::optional<Checkpoint> stopped = std::move(loaded).value();
  if (stopped && stopped->phase >= RunPhase::kRevertible) {
    const std::string dsn = config_.conn.DsnWithoutPassword();
    return RefusedError("the table's last run swapped and is revertible (phase " +
                        std::string(RunPhaseName(stopped->phase)) + "): `shadowalter revert " +
                        dsn + "` swaps the old table back, `shadowalter finish " + dsn +
                        "` drops it; run again after either");
  }
  StoppedRunContext checks{sessions_.ddl(), config_, plan_.names, stopped ? &*stopped : nullptr};
  SA_RETURN_IF_ERROR(RunStoppedRunChecks(checks, StoppedRunStage::kCheckpointRead));
  if (!stopped) {
    if (config_.alter.empty()) return UsageError("missing --alter: say what to change");
    return Status::Ok();
  }
  const std::string what = DescribeStoppedRun(*stopped, config_);
  SA_RETURN_IF_ERROR(AdoptStoppedRun(*stopped));
  // A cluster swap killed while fenced: its fences fail every write of the table, and the mirror
  // triggers behind them never stopped, so they simply come down.
  for (const std::string* t : {&plan_.names.fence_insert_trigger, &plan_.names.fence_update_trigger,
                               &plan_.names.fence_delete_trigger}) {
    SA_RETURN_IF_ERROR(
        RunDdl(DropTriggerStatement(config_.conn.database, *t), DdlOperation::kDropTriggers));
  }
  if (stopped->tool_version != CurrentBuildInfo().version) {
    LogWarning("the stopped run was started by shadowalter " + stopped->tool_version +
               ", this is " + CurrentBuildInfo().version);
  }
  SA_ASSIGN_OR_RETURN(ArtifactsFound found, FindArtifacts(sessions_.ddl(), config_.conn.database,
                                                          config_.conn.table, plan_.names));
  checks.found = &found;
  SA_RETURN_IF_ERROR(RunStoppedRunChecks(checks, StoppedRunStage::kOwnTriggersBack));
  if (config_.preserve_triggers && stopped->phase >= RunPhase::kSwapping) {
    SA_ASSIGN_OR_RETURN(bool afresh, PutOwnTriggersBack(*stopped, found));
    if (afresh) {
      LogWarning(what +
                 " stopped inside the trigger cut-over, after dropping its triggers: writes "
                 "since then never reached the new table. The table's own triggers are back on "
                 "it; starting afresh");
      return DropStoppedRun();
    }
  }
  if (stopped->phase >= RunPhase::kSwapping && found.new_table && !found.old_table &&
      found.triggers.empty()) {
    // The swap drops the triggers under the table's write lock right before the RENAME: killed
    // in between, the table took writes the new table never saw.
    LogWarning(what +
               " stopped inside the swap, after dropping its triggers and before the RENAME: "
               "writes since then never reached the new table; starting afresh");
    return DropStoppedRun();
  }
  if (stopped->phase >= RunPhase::kSwapping && found.original && found.old_table &&
      !found.new_table) {
    cutover_.StoppedRunSwapped();
    if (config_.revertible) cutover_.StoppedRunWasRevertible();
    SA_RETURN_IF_ERROR(record_.Finish(sessions_.ddl(), std::move(*stopped)));
    LogInfo(what + " had swapped the tables: finishing it (its triggers, then the old table)");
    return Status::Ok();
  }
  if (stopped->phase == RunPhase::kStarted) {
    // Nothing but the checkpoint is certain: remove what there is and start afresh.
    LogInfo(what + " had not finished making its new table: starting afresh");
    SA_RETURN_IF_ERROR(RunDdl(DropTableStatement(config_.conn.database, plan_.names.shadow_table)));
    return RunDdl(DropTableStatement(config_.conn.database, plan_.names.checkpoint_table));
  }
  SA_RETURN_IF_ERROR(RunStoppedRunChecks(checks, StoppedRunStage::kContinuing));
  LogInfo("resuming " + what + ": " + DescribePosition(*stopped) + ", " +
          std::to_string(stopped->rows_copied) + " rows copied" +
          (stopped->note.empty() ? std::string() : "; it " + stopped->note));
  record_.Resume(std::move(*stopped));
  return Status::Ok();
}

StatusOr<bool> Migration::PutOwnTriggersBack(const Checkpoint& stopped,
                                             const ArtifactsFound& found) {
  const bool swapped = found.original && found.old_table && !found.new_table;
  const bool mirrors = found.triggers.size() == 3;
  // A checkpoint of an earlier build kept them in memory only: CheckOwnTriggersOnRecord let it
  // through only when the cut-over had not begun or the RENAME was done, nothing to put back.
  if (!stopped.own_triggers) return false;
  // No triggers of its own: the plain swap, which keeps ours until after the RENAME.
  if (stopped.own_triggers->empty()) return false;
  SavedTriggers saved(config_.conn.database, config_.conn.table, plan_.names,
                      *stopped.own_triggers);
  SA_ASSIGN_OR_RETURN(std::vector<TriggerPlace> places, saved.Locate(sessions_.ddl()));
  const std::vector<std::string> missing = saved.MissingFrom(places);
  const bool afresh = !swapped && !(mirrors && missing.empty());
  if (afresh) {
    // Ours go first: they must never fire before the table's own AFTER triggers.
    for (const std::string* t :
         {&plan_.names.insert_trigger, &plan_.names.update_trigger, &plan_.names.delete_trigger}) {
      SA_RETURN_IF_ERROR(
          RunDdl(DropTriggerStatement(config_.conn.database, *t), DdlOperation::kDropTriggers));
    }
  }
  if (missing.empty()) return afresh;
  SA_ASSIGN_OR_RETURN(std::vector<std::string> plan, saved.PlanRestore(sessions_.ddl()));
  for (const std::string& sql : plan) {
    SA_RETURN_IF_ERROR(RunDdl(sql).With("putting the table's own triggers back"));
  }
  std::vector<std::string> quoted;
  for (const std::string& name : missing) quoted.push_back(QuoteIdentifier(name));
  LogInfo("put the table's own trigger" + std::string(missing.size() == 1 ? " " : "s ") +
          Join(quoted, ", ") + " back on " +
          QualifiedName(config_.conn.database, config_.conn.table) +
          " from the checkpoint, in their order");
  return afresh;
}

Status Migration::DropStoppedRun() {
  for (const std::string* t :
       {&plan_.names.insert_trigger, &plan_.names.update_trigger, &plan_.names.delete_trigger}) {
    SA_RETURN_IF_ERROR(
        RunDdl(DropTriggerStatement(config_.conn.database, *t), DdlOperation::kDropTriggers));
  }
  for (const std::string* t : {&plan_.names.refusals_table, &plan_.names.reverse_refusals_table,
                               &plan_.names.shadow_table, &plan_.names.heartbeat_table,
                               &plan_.names.trigger_check_table, &plan_.names.checkpoint_table}) {
    SA_RETURN_IF_ERROR(RunDdl(DropTableStatement(config_.conn.database, *t)));
  }
  return Status::Ok();
}

Status Migration::AdoptStoppedRun(const Checkpoint& stopped) {
  if (config_.alter.empty()) {
    config_.alter = stopped.alter;
    SA_RETURN_IF_ERROR(AnalyzeAlterText());
  }
  StatusOr<RunIdentity> identity = RunIdentity::Decode(stopped.identity);
  if (!identity.ok()) return identity.status().With("reading the stopped run's checkpoint");
  StoppedRunContext checks{sessions_.ddl(), config_, plan_.names, &stopped};
  checks.identity = &*identity;
  SA_RETURN_IF_ERROR(RunStoppedRunChecks(checks, StoppedRunStage::kAlterAdopted));
  if (config_.foreign_keys_method == ForeignKeyMethod::kUnset) {
    if (std::optional<ForeignKeyMethod> m = ParseForeignKeyMethod(identity->foreign_keys_method)) {
      config_.foreign_keys_method = *m;
    }
  }
  config_.preserve_triggers = identity->preserve_triggers;
  if (config_.revertible && !identity->revertible) {
    return RefusedError(
        "the stopped run was not started with --revertible: resume it without, or remove it "
        "(`shadowalter cleanup`) and start again");
  }
  config_.revertible = identity->revertible;
  if (config_.revertible) config_.attempt_instant = false;
  return Status::Ok();
}

Status Migration::RecordCheckpoint() {
  Checkpoint c;
  c.tool_version = CurrentBuildInfo().version;
  c.alter = config_.alter;
  c.identity = RunIdentity{ForeignKeyMethodName(config_.foreign_keys_method),
                           config_.preserve_triggers, config_.revertible}
                   .Encode();
  c.new_table = plan_.names.shadow_table;
  c.old_table = plan_.names.old_table;
  c.insert_trigger = plan_.names.insert_trigger;
  c.update_trigger = plan_.names.update_trigger;
  c.delete_trigger = plan_.names.delete_trigger;
  c.rows_estimated = plan_.original.estimated_rows;
  c.original_fingerprint = DefinitionFingerprint(plan_.original.create_statement);
  c.started_by = StartedBy();
  c.run_id = record_.run_id();
  // With --preserve-triggers always (none is a known answer too); the cut-over saves them again.
  if (config_.preserve_triggers) c.own_triggers = plan_.original.triggers;
  // The chunk key is known once the new table exists: PlanCopy records it.
  PushTableDrop("checkpoint table", plan_.names.checkpoint_table);
  return record_.Create(sessions_.ddl(), c);
}

Status Migration::CheckStoppedRun() {
  const Checkpoint& c = *record_.stopped();
  const std::string key = ChunkKeyText(SourceKeyNames(plan_.copy.key));
  StoppedRunContext checks{sessions_.ddl(), config_, plan_.names, &c};
  checks.original = &plan_.original;
  checks.new_table = &plan_.shadow;
  checks.chunk_key = key;
  SA_RETURN_IF_ERROR(RunStoppedRunChecks(checks, StoppedRunStage::kCopyPlanned));
  SA_ASSIGN_OR_RETURN(ArtifactsFound found, FindArtifacts(sessions_.ddl(), config_.conn.database,
                                                          config_.conn.table, plan_.names));
  checks.found = &found;
  SA_RETURN_IF_ERROR(RunStoppedRunChecks(checks, StoppedRunStage::kArtifactsFound));
  if (c.phase >= RunPhase::kCopying) {
    cutover_.set_mirror_fingerprint(c.triggers_fingerprint);
    // From now on: what happened while no run watched is for the resumed run's verification.
    cutover_.set_table_ids(
        InnodbTableIds(sessions_.ddl(), config_.conn.database, config_.conn.table));
    cutover_.set_mirror_created(
        TriggersCreatedText(sessions_.ddl(), config_.conn.database, plan_.names));
  }
  // Everything checks out: the stopped run's artifacts are this run's now, undone in the
  // usual order (triggers, then the new table, then the checkpoint) if it fails.
  SA_RETURN_IF_ERROR(record_.Adopt(sessions_.ddl()));
  PushTableDrop("checkpoint table", plan_.names.checkpoint_table);
  PushTableDrop("new table", plan_.names.shadow_table);
  if (found.heartbeat_table) {
    PushTableDrop("heartbeat table", plan_.names.heartbeat_table);
  }
  if (found.trigger_check_table) {
    SA_RETURN_IF_ERROR(
        RunDdl(DropTableStatement(config_.conn.database, plan_.names.trigger_check_table)));
  }
  if (found.refusals_table) PushTableDrop("refusal log", plan_.names.refusals_table);
  for (const std::string& t : found.triggers) {
    PushTriggerDrop(t);
  }
  if (c.chunk_key.empty()) SA_RETURN_IF_ERROR(record_.RecordChunkKey(sessions_.ddl(), key));
  return Status::Ok();
}

StatusOr<std::unique_ptr<Session>> Migration::Reconnect(const Status& lost) {
  LogWarning("lost the connection to the primary (" + lost.message() +
             "); reconnecting for up to " + Fixed(config_.reconnect_timeout, 0) + " s");
  const auto start = Clock::now();
  SA_ASSIGN_OR_RETURN(std::unique_ptr<Session> copy,
                      sessions_.Reconnect(config_.reconnect_timeout, stop_));
  SA_ASSIGN_OR_RETURN(std::unique_ptr<Session> throttle_session, sessions_.Open());
  throttler_->ReplacePrimary(std::move(throttle_session));
  SA_ASSIGN_OR_RETURN(ArtifactsFound found, FindArtifacts(sessions_.ddl(), config_.conn.database,
                                                          config_.conn.table, plan_.names));
  if (!found.new_table || found.triggers.size() != 3) {
    return InternalError(
        "after reconnecting, the new table or one of the triggers is "
        "gone: the copy can't be trusted");
  }
  LogInfo("reconnected after " + Fixed(SecondsSince(start), 1) + " s; carrying on");
  return copy;
}

int Migration::Park(const Status& why, const char* phase) {
  if (heartbeat_) heartbeat_->Stop();
  report_.outcome().status = "parked";
  const std::string reason =
      stop_.time_limit_reached() && limit_ ? limit_->why() + " reached" : why.message();
  report_.outcome().message = (*phase != '\0' ? std::string(phase) + ": " : std::string()) + reason;
  const std::string dsn = config_.conn.DsnWithoutPassword();
  if (!record_.on_record()) {
    // Nothing on record yet: whatever exists is undone, and the next run starts afresh.
    std::vector<std::string> left = Cleanup();
    LogInfo("stopped while " + std::string(phase) + " (" + reason +
            ") before anything resumable existed; the next run starts afresh");
    if (!left.empty()) {
      LogError("cleanup is incomplete; run these statements, in this order:");
      for (const auto& sql : left) LogError("  " + sql + ";");
      return kExitLeftBehind;
    }
    return kExitParked;
  }
  // The trigger cut-over could not undo itself (the connection is gone): its own mirror
  // triggers are gone, and the table's own ones may be off the table.
  const bool own_triggers_off = cutover_.has_leftovers() && cutover_.CarriesOwnTriggers();
  if (!IsConnectionLost(why)) {
    Status noted = sessions_.EnsureDdl();
    if (noted.ok())
      noted =
          record_.RecordNote(sessions_.ddl(), "parked while " + std::string(phase) + ": " + reason);
    if (!noted.ok()) LogWarning("could not note the parking in the checkpoint: " + noted.message());
  }
  if (own_triggers_off) {
    LogError("parked while " + std::string(phase) + ": " + reason + ". The table's own triggers " +
             "may be missing from " + QualifiedName(config_.conn.database, config_.conn.table) +
             " until they are back: `shadowalter resume " + dsn +
             "` puts them back from the checkpoint and starts afresh, `shadowalter cleanup " + dsn +
             "` puts them back and removes the run; by hand, run, in this order:");
    SavedTriggers saved(config_.conn.database, config_.conn.table, plan_.names,
                        plan_.original.triggers);
    for (const std::string& sql : saved.ByHand()) LogError("  " + sql + ";");
    return kExitParked;
  }
  LogInfo("parked while " + std::string(phase) + ": " + reason +
          ". The triggers keep the new table current meanwhile. Continue with `shadowalter "
          "resume " +
          dsn +
          "` (or the same command with --resume); remove everything with "
          "`shadowalter cleanup " +
          dsn + "`");
  return kExitParked;
}

}  // namespace shadowalter
