#include "migration/migration.h"

#include <unistd.h>

#include <chrono>
#include <iostream>
#include <sstream>
#include <string_view>
#include <thread>

#include "check/preflight.h"
#include "copy/copier.h"
#include "db/errors.h"
#include "db/quote.h"
#include "inspect/blockers.h"
#include "inspect/inspector.h"
#include "migration/connect.h"
#include "migration/exit_codes.h"
#include "migration/trigger_cutover.h"
#include "report/log.h"
#include "report/progress.h"
#include "sql/column_map.h"
#include "sql/cutover.h"
#include "sql/ddl.h"
#include "sql/foreign_keys.h"
#include "sql/shadow_ddl.h"
#include "sql/triggers.h"
#include "util/clock.h"
#include "util/crash_point.h"
#include "util/strings.h"
#include "verify/verifier.h"

namespace shadowalter {
namespace {

// Registers a session with the throttler's keep-alive for the life of this object.
class KeptAlive {
 public:
  KeptAlive(Throttler* t, Session* s) : throttler_(t), session_(s) {
    if (throttler_) throttler_->KeepAlive(session_);
  }
  ~KeptAlive() {
    if (throttler_) throttler_->StopKeepingAlive(session_);
  }
  KeptAlive(const KeptAlive&) = delete;
  KeptAlive& operator=(const KeptAlive&) = delete;

 private:
  Throttler* throttler_;
  Session* session_;
};

}  // namespace

Migration::Migration(Config config, StopFlag& stop, EventSink& events)
    : config_(std::move(config)),
      stop_(stop),
      events_(events),
      hooks_(config_.hook_dir, stop),
      checkpoint_(config_.conn.database, NamesFor(config_.conn.table).checkpoint_table) {
  ddl_policy_.lock_wait_timeout_seconds = config_.lock_wait_timeout;
  ddl_policy_.tries = config_.tries;
  ddl_policy_.describe_blockers = [this] { return Blockers(); };
  names_ = NamesFor(config_.conn.table);
}

// The job, top to bottom. A dry run stops after reporting the plan; cleanup then drops the shadow.
std::vector<Migration::Phase> Migration::Phases() const {
  if (config_.mode == RunMode::kVerify) {
    return {
        {"analyze", "analyzing the ALTER", &Migration::AnalyzeAlterText},
        {"connect", "connecting", &Migration::Connect},
        {"inspect", "inspecting the table", &Migration::InspectOriginal},
        {"find_new_table", "finding the new table", &Migration::RequireShadow},
        {"plan_comparison", "planning the comparison", &Migration::PlanCopy},
        {"verify", "verifying", &Migration::VerifyTables},
    };
  }
  const bool execute = config_.mode == RunMode::kExecute;
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
                    {"preflight", "preflight checks", &Migration::Preflight},
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
          {"plan_copy", "planning the copy", &Migration::PlanCopy},
          {"check_stopped_run", "checking the stopped run's artifacts", &Migration::CheckStoppedRun,
           kResumed},
          {"check_unique_keys", "checking new unique keys", &Migration::CheckNewUniqueKeys, kFresh},
      });
  if (config_.preserve_triggers) {
    phases.push_back(
        {"check_own_triggers", "checking the table's own triggers", &Migration::CheckOwnTriggers});
  }
  if (config_.mode == RunMode::kDryRun) {
    phases.push_back({"report_plan", "reporting the plan", &Migration::ReportPlan});
    return phases;
  }
  // Ends the run early, with no copy, when the server changes the original in place.
  phases.push_back(
      {"alter_instantly", "trying the ALTER instantly", &Migration::AlterInstantly, kFresh});
  if (config_.heartbeat)
    phases.push_back({"start_heartbeat", "starting the heartbeat", &Migration::StartHeartbeat});
  phases.push_back({"create_triggers", "creating triggers", &Migration::CreateTriggers});
  phases.push_back({"copy", "copying rows", &Migration::CopyRows});
  if (config_.verify) phases.push_back({"verify", "verifying", &Migration::VerifyTables});
  if (!config_.postpone_cutover_file.empty()) {
    phases.push_back({"wait_for_cutover", "waiting for the cut-over", &Migration::WaitForCutover});
  }
  if (config_.cutover_window) {
    phases.push_back(
        {"cutover_window", "checking the cut-over window", &Migration::CheckCutoverWindow});
  }
  const ForeignKeyMethod fk = config_.foreign_keys_method;
  if (fk == ForeignKeyMethod::kRebuildConstraints || fk == ForeignKeyMethod::kAuto) {
    // Last before the swap: the window in which children reference the new table is short.
    phases.push_back({"repoint_foreign_keys", "repointing child foreign keys",
                      &Migration::RepointChildForeignKeys});
  }
  phases.push_back({"swap", "swapping tables", &Migration::Swap});
  phases.push_back({"finish_swap", "finishing the stopped run's swap", &Migration::FinishSwappedRun,
                    kFinishing});
  phases.push_back({"drop_old_table", "dropping the old table", &Migration::DropOldTable, kEvery});
  return phases;
}

int Migration::Run() {
  const auto start = Clock::now();
  StartRunLimit();
  // Every warning, wherever logged, becomes an event and is counted; only for this run.
  SetWarningObserver([this](const std::string& message) {
    ++warnings_;
    events_.Warning(message);
  });
  const int code = RunPhases(start);
  // The outcome is decided and cleanup is done; these hooks can only report.
  const bool success = code == kExitDone;
  limit_.reset();
  Status hook = RunHook(success               ? "success"
                        : code == kExitParked ? "parked"
                                              : "failure",
                        outcome_.phase.c_str(), code);
  if (!hook.ok()) LogWarning(hook.message());
  const RunStatistics stats = Statistics();
  if (config_.statistics) PrintStatistics(stats);
  SetWarningObserver(nullptr);

  DoneEvent done;
  done.status = outcome_.status;
  done.exit_code = code;
  done.elapsed_seconds = SecondsSince(start);
  for (const PhaseTime& p : phase_seconds_) done.phase_seconds.emplace_back(p.id, p.seconds);
  done.throttled_seconds = throttler_ ? throttler_->throttled_seconds() : 0;
  done.message = outcome_.message;
  if (config_.statistics) done.statistics = stats;
  events_.Done(done);
  return code;
}

int Migration::RunPhases(Clock::time_point start) {
  outcome_.phase = "startup";
  if (Status s = RunHook("startup", "startup"); !s.ok()) return Finish(s, "running hook startup");
  for (const Phase& phase : Phases()) {
    if ((phase.runs & CurrentRunKind()) == 0) continue;
    if (stop_.requested()) {
      outcome_.phase = phase.id;
      return Finish(AbortedError("stopped by " + stop_.Describe()), phase.name);
    }
    outcome_.phase = phase.id;
    if (const char* hook = HookBefore(phase.id); *hook != '\0') {
      if (Status s = RunHook(hook, phase.id); !s.ok()) {
        return Finish(s.code() == Code::kHook && std::string(hook) == "before-cutover"
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
    phase_seconds_.push_back({phase.id, phase.name, SecondsSince(phase_start)});
    if (!s.ok()) return Finish(s, phase.name);
    if (std::string_view(phase.id) == "preflight") {
      if (Status h = RunHook("validated", phase.id); !h.ok()) return Finish(h, phase.name);
    }
    if (altered_instantly_) break;
  }
  outcome_.phase = "done";
  const std::string table = QualifiedName(config_.conn.database, config_.conn.table);
  if (config_.mode == RunMode::kVerify) {
    outcome_.message = "verify done: the tables agree; nothing was changed";
    LogInfo(outcome_.message);
    return kExitDone;
  }
  if (config_.mode == RunMode::kDryRun) {
    std::vector<std::string> left = Cleanup();
    if (!left.empty()) return Finish(InternalError("could not drop the dry run's new table"), "");
    outcome_.message = "dry run done: nothing was changed; run with --execute to do it";
    LogInfo(outcome_.message);
    return kExitDone;
  }
  if (altered_instantly_) {
    // Only the empty new table is left to drop; the original already has its new definition.
    std::vector<std::string> left = Cleanup();
    if (!left.empty()) {
      LogError("the ALTER is done, but dropping the unused new table failed; run:");
      for (const auto& sql : left) LogError("  " + sql + ";");
      outcome_.status = "failed";
      outcome_.message = "the ALTER is done, but dropping the unused new table failed";
      return kExitLeftBehind;
    }
    outcome_.message =
        "done: " + table + " altered instantly in " + Fixed(SecondsSince(start), 1) + " s";
    LogInfo(outcome_.message +
            " (ALGORITHM=INSTANT: metadata only, no copy, nothing for replicas to catch up)");
    return kExitDone;
  }
  const double total = SecondsSince(start);
  outcome_.message = "done: " + table + " altered in " + Fixed(total, 1) + " s";
  LogInfo(outcome_.message);
  std::vector<std::string> shares;
  for (const PhaseTime& p : phase_seconds_) {
    if (p.seconds < 0.05) continue;
    shares.push_back(std::string(p.name) + " " + Fixed(p.seconds, 1) + " s (" +
                     Fixed(total > 0 ? 100 * p.seconds / total : 0, 0) + "%)");
  }
  LogInfo("time by phase: " + Join(shares, ", "));
  return kExitDone;
}

const char* Migration::HookBefore(const char* id) {
  const std::string_view phase(id);
  if (phase == "copy") return "before-copy";
  // The cut-over starts with the children's foreign keys when they are repointed, else the swap.
  if ((phase == "repoint_foreign_keys" || phase == "swap") && !cutover_hook_done_) {
    cutover_hook_done_ = true;
    return "before-cutover";
  }
  return "";
}

Status Migration::RunHook(const char* hook, const char* phase, std::optional<int> exit_code) {
  if (config_.hook_dir.empty()) return Status::Ok();
  // Documented in the README (Hooks); never a credential.
  std::map<std::string, std::string> env = {
      {"SHADOWALTER_HOOK", hook},
      {"SHADOWALTER_PHASE", phase},
      {"SHADOWALTER_SCHEMA", config_.conn.database},
      {"SHADOWALTER_TABLE", config_.conn.table},
      {"SHADOWALTER_CONNECTION", config_.conn.Redacted()},
      {"SHADOWALTER_ALTER", config_.alter},
      {"SHADOWALTER_MODE", config_.mode == RunMode::kExecute  ? "execute"
                           : config_.mode == RunMode::kDryRun ? "dry-run"
                                                              : "verify"},
      {"SHADOWALTER_ROWS_COPIED", std::to_string(copy_progress_.rows_copied)},
      {"SHADOWALTER_ROWS_ESTIMATED", std::to_string(original_.estimated_rows)},
  };
  if (exit_code) {
    env["SHADOWALTER_EXIT_CODE"] = std::to_string(*exit_code);
    env["SHADOWALTER_STATUS"] = outcome_.status;
    env["SHADOWALTER_MESSAGE"] = outcome_.message;
  }
  return hooks_.Run(hook, env, /*stoppable=*/!exit_code.has_value());
}

RunStatistics Migration::Statistics() const {
  RunStatistics stats;
  stats.chunks = copy_progress_.chunks;
  stats.rows_copied = copy_progress_.rows_copied;
  stats.chunk_retries = copy_progress_.lock_conflicts;
  stats.throttle_waits = throttle_waits_;
  if (throttler_) {
    for (const auto& [kind, seconds] : throttler_->seconds_by_reason()) {
      stats.throttle_seconds[kind] = seconds;
    }
  }
  stats.warnings = warnings_.load();
  return stats;
}

void Migration::PrintStatistics(const RunStatistics& stats) const {
  // Straight to stderr, not through the log: asked for explicitly, so --quiet does not hide it.
  std::ostringstream out;
  out << "statistics for " << QualifiedName(config_.conn.database, config_.conn.table) << " ("
      << outcome_.status << "):\n"
      << "  chunks copied:   " << stats.chunks << "\n"
      << "  rows copied:     " << stats.rows_copied << "\n"
      << "  chunk retries:   " << stats.chunk_retries << "\n"
      << "  throttle waits:  ";
  if (stats.throttle_waits.empty()) out << "none";
  bool first = true;
  for (const auto& [kind, count] : stats.throttle_waits) {
    const auto seconds = stats.throttle_seconds.find(kind);
    out << (first ? "" : ", ") << kind << " " << count << " ("
        << Fixed(seconds == stats.throttle_seconds.end() ? 0 : seconds->second, 1) << " s)";
    first = false;
  }
  out << "\n  warnings:        " << stats.warnings << "\n  time per phase:\n";
  for (const PhaseTime& p : phase_seconds_) {
    out << "    " << p.id << " " << Fixed(p.seconds, 3) << " s\n";
  }
  std::cerr << out.str() << std::flush;
}

ProgressEvent Migration::ToEvent(const char* phase, const ProgressSnapshot& snap,
                                 uint64_t chunk_size) const {
  ProgressEvent e;
  e.phase = phase;
  e.rows_copied = snap.rows;
  e.rows_estimated = snap.estimated;
  e.percent = snap.percent;
  e.rows_per_second = snap.rows_per_second;
  e.eta_seconds = snap.eta_seconds;
  e.chunk_size = chunk_size;
  if (throttler_) e.max_replica_lag_seconds = throttler_->max_replica_lag();
  return e;
}

void Migration::EmitProgress(const char* phase, const ProgressSnapshot& snap, uint64_t chunk_size) {
  events_.Progress(ToEvent(phase, snap, chunk_size));
}

int Migration::Finish(const Status& failure, const char* phase) {
  // A limit reached with --on-limit park, or a connection lost once the checkpoint exists: the
  // artifacts stay, on record, for resume (cleaning up could not reach the server anyway).
  const bool at_limit = failure.code() == Code::kAborted && stop_.time_limit_reached() &&
                        config_.on_limit == LimitAction::kPark;
  const bool lost = IsConnectionLost(failure) && checkpoint_made_ && !swapped_;
  if (failure.code() == Code::kParked || at_limit || lost) return Park(failure, phase);
  outcome_.status = failure.code() == Code::kRefused   ? "refused"
                    : failure.code() == Code::kAborted ? "aborted"
                                                       : "failed";
  outcome_.message =
      (*phase != '\0' ? std::string(phase) + ": " : std::string()) + failure.message();
  // The cause first, in one line; then what cleanup did.
  if (failure.code() == Code::kAborted) {
    LogError("aborted while " + std::string(phase) + ": " + failure.message());
  } else {
    LogError(std::string(phase) + ": " + failure.message());
  }
  if (failure.code() == Code::kDataLoss && !config_.drop_new_table && !cleanup_.empty()) {
    // --no-drop-new-table: keep the evidence. The triggers keep the new table current meanwhile.
    LogError("kept the new table and the triggers for inspection (--no-drop-new-table); "
             "compare again with `shadowalter verify`, remove them with, in this order:");
    for (const auto& sql : cleanup_.Pending()) LogError("  " + sql + ";");
    outcome_.message += "; kept the new table and the triggers (--no-drop-new-table)";
    return kExitLeftBehind;
  }
  std::vector<std::string> left = std::move(leftover_sql_);
  for (std::string& sql : Cleanup()) left.push_back(std::move(sql));
  if (!left.empty()) {
    LogError("cleanup is incomplete; run these statements, in this order:");
    for (const auto& sql : left) LogError("  " + sql + ";");
    outcome_.message += "; cleanup is incomplete: the log lists the statements to run";
    return kExitLeftBehind;
  }
  if (created_anything_ && !swapped_) {
    LogInfo("everything was cleaned up; the original table is unchanged");
  }
  switch (failure.code()) {
    case Code::kUsage:
      return kExitUsage;
    case Code::kRefused:
      return kExitRefused;
    default:
      return kExitFailed;
  }
}

std::vector<std::string> Migration::Cleanup() {
  if (heartbeat_) heartbeat_->Stop();  // before its table goes
  if (cleanup_.empty()) return {};
  // A lost connection must not leave triggers behind: clean up on a fresh session when needed.
  std::unique_ptr<Session> fresh;
  Session* session = ddl_.get();
  if (session == nullptr || !session->Execute("DO 1").ok()) {
    auto s = NewSession();
    if (s.ok()) fresh = std::move(s).value();
    session = fresh.get();
  }
  if (session == nullptr) return cleanup_.Unwind([](const std::string&) {
    return Status(Code::kConnection, "no connection to the server");
  });
  // Cleanup must finish even after a stop request: use a stop flag nobody sets.
  static const StopFlag kNeverStop;
  DdlRetryPolicy policy = ddl_policy_;
  policy.tries = std::max(policy.tries, 30u);
  return cleanup_.Unwind(
      [&](const std::string& sql) { return RunDdlWithRetry(*session, sql, policy, kNeverStop); });
}

StatusOr<std::unique_ptr<Session>> Migration::NewSession() { return OpenPrimarySession(config_); }

Status Migration::EnsureDdlSession() {
  // The DDL session sits idle through the whole copy; the server may have closed it since.
  if (!ddl_->Execute("DO 1").ok()) {
    LogInfo("the DDL connection was closed while idle; reconnecting");
    SA_ASSIGN_OR_RETURN(ddl_, NewSession());
  }
  return Status::Ok();
}

void Migration::PushTableDrop(const std::string& what, const std::string& table) {
  cleanup_.Push(what + " " + QuoteIdentifier(table),
                DropTableStatement(config_.conn.database, table));
}

void Migration::PushTriggerDrop(const std::string& trigger) {
  cleanup_.Push("trigger " + QuoteIdentifier(trigger),
                DropTriggerStatement(config_.conn.database, trigger));
}

Status Migration::RunDdl(const std::string& sql) {
  SA_RETURN_IF_ERROR(EnsureDdlSession());
  return RunDdlWithRetry(*ddl_, sql, ddl_policy_, stop_);
}

bool Migration::CarriesOwnTriggers() const {
  return config_.preserve_triggers && !original_.triggers.empty();
}

Status Migration::AnalyzeAlterText() {
  SA_RETURN_IF_ERROR(ValidateSkippedChecks(config_.skip_checks));
  // verify may go without; resume takes the stopped run's (FindStoppedRun analyzes it then).
  if (config_.alter.empty()) return Status::Ok();
  SA_ASSIGN_OR_RETURN(alter_, AnalyzeAlter(config_.alter));
  alter_clauses_ = StripAlgorithmAndLock(config_.alter);
  return Status::Ok();
}

std::vector<std::string> Migration::Blockers() {
  auto s = NewSession();
  if (!s.ok()) return {};
  std::vector<uint64_t> ours = {ddl_ ? ddl_->connection_id() : 0};
  return DescribeBlockers(**s, config_.conn.database, config_.conn.table, ours);
}

Status Migration::Connect() {
  StatusOr<std::unique_ptr<Session>> session = NewSession();
  if (!session.ok()) {
    // Nothing exists yet: whatever the server or the network said, the run is refused untouched.
    return Status(Code::kRefused, session.status().message(), session.status().server_errno());
  }
  ddl_ = std::move(session).value();
  LogInfo(
      "connected to " + config_.conn.Redacted() + " (" + ddl_->server_version() + "), " +
      (ddl_->tls_cipher().empty() ? std::string("not encrypted") : "TLS " + ddl_->tls_cipher()) +
      " (--ssl-mode " + TlsModeName(config_.conn.tls.mode) + ")");
  return Status::Ok();
}

Status Migration::TakeRunLock() {
  // A named lock on its own session: held while the session lives, released if we die.
  SA_ASSIGN_OR_RETURN(lock_session_, NewSession());
  const std::string name = RunLockName(config_.conn.database, config_.conn.table);
  SA_ASSIGN_OR_RETURN(ResultSet rs, lock_session_->Query(TakeNamedLock(name)));
  if (rs.Scalar().value_or("0") != "1") {
    return RefusedError("another shadowalter run is working on " +
                        QualifiedName(config_.conn.database, config_.conn.table) +
                        " (it holds the lock '" + name + "'); wait for it to finish or stop it");
  }
  return Status::Ok();
}

Status Migration::BetweenChunks() {
  // Losing the lock's session to wait_timeout would let a second run start: keep it busy.
  if (lock_session_ && SecondsSince(last_lock_ping_) > 10) {
    (void)lock_session_->Execute("DO 1");
    last_lock_ping_ = Clock::now();
  }
  return throttler_ ? throttler_->WaitUntilClear() : Status::Ok();
}

Status Migration::InspectOriginal() {
  SA_ASSIGN_OR_RETURN(original_,
                      InspectTable(*ddl_, config_.conn.database, config_.conn.table));
  // A resumed run's own triggers are not the table's.
  std::erase_if(original_.triggers, [&](const Trigger& t) {
    return t.name == names_.insert_trigger || t.name == names_.update_trigger ||
           t.name == names_.delete_trigger;
  });
  return Status::Ok();
}

Status Migration::Preflight() {
  PreflightContext ctx{*ddl_, original_, names_, config_, {}, resuming_};
  for (const Replica& r : throttler_->replicas()) {
    if (r.session) ctx.replicas.push_back({r.name, r.session.get()});
  }
  SA_RETURN_IF_ERROR(RunPreflight(ctx));
  ChooseForeignKeyMethod();
  return Status::Ok();
}

Status Migration::FindReplicasToWatch() {
  // Before anything is created: a replica nobody can watch refuses the run untouched.
  SA_ASSIGN_OR_RETURN(std::unique_ptr<Session> session, NewSession());
  StatusOr<std::unique_ptr<Throttler>> t = Throttler::Create(std::move(session), config_, stop_);
  if (!t.ok()) return Status(Code::kRefused, t.status().message(), t.status().server_errno());
  throttler_ = std::move(t).value();
  Throttler::Observer observer;
  observer.paused = [this](const std::string& kind, const std::string& reason) {
    ++throttle_waits_[kind];
    events_.ThrottleStart(kind, reason);
  };
  observer.resumed = [this](const std::string& kind, double seconds) {
    events_.ThrottleEnd(kind, seconds);
  };
  throttler_->set_observer(std::move(observer));
  return Status::Ok();
}

ChunkSizer Migration::CopySizer() const {
  return config_.chunk_size_fixed ? ChunkSizer::Fixed(config_.chunk_size)
                                  : ChunkSizer(config_.chunk_size, config_.chunk_time);
}

Status Migration::CreateShadow() {
  // A self-referencing foreign key must reference the copy: referencing the original, it would
  // follow it to _<t>_old at the swap.
  SA_ASSIGN_OR_RETURN(
      std::string create,
      RewriteCreateTable(original_.create_statement, names_.shadow_table, ToggleConstraintName,
                         config_.conn.table,
                         ddl_->flavor() == ServerFlavor::kMariaDB ? CheckConstraintNames::kKeep
                                                                  : CheckConstraintNames::kRename));
  created_anything_ = true;
  PushTableDrop("new table", names_.shadow_table);
  return ddl_->Execute(create);
}

Status Migration::AlterShadow() {
  // The new table is an empty twin of the original (same definition, same row format), so
  // whether it takes ALGORITHM=INSTANT tells whether the original would, without touching it.
  if (config_.attempt_instant) {
    Status instant = ddl_->Execute(
        InstantAlterStatement(config_.conn.database, names_.shadow_table, alter_clauses_));
    if (instant.ok()) {
      instant_refusal_.clear();
      return RecordNewTable();
    }
    instant_refusal_ = instant.message();
    LogDebug("ALGORITHM=INSTANT refused on the new table: " + instant_refusal_);
  } else {
    instant_refusal_ = "--no-attempt-instant";
  }
  Status s = ddl_->Execute(AlterStatement(config_.conn.database, names_.shadow_table,
                                          alter_clauses_));
  if (s.ok()) return RecordNewTable();
  if (s.code() == Code::kServer) {
    // The server's own words, verbatim: the ALTER is the user's input.
    return UsageError("the server rejected the ALTER: " + s.message());
  }
  return s;
}

Status Migration::RequireShadow() {
  SA_ASSIGN_OR_RETURN(bool exists,
                      TableExists(*ddl_, config_.conn.database, names_.shadow_table));
  if (!exists) {
    return RefusedError("there is no new table " +
                        QualifiedName(config_.conn.database, names_.shadow_table) +
                        " to compare with: verify checks a stopped run's leftovers");
  }
  SA_ASSIGN_OR_RETURN(std::vector<std::string> triggers,
                      ExistingTriggers(*ddl_, config_.conn.database,
                                       {names_.insert_trigger, names_.update_trigger,
                                        names_.delete_trigger}));
  if (triggers.size() != 3) {
    LogWarning("only " + std::to_string(triggers.size()) +
               " of the 3 triggers exist: writes since they went missing are not in the new "
               "table, so differences are expected");
  }
  return Status::Ok();
}

Status Migration::PlanCopy() {
  SA_ASSIGN_OR_RETURN(shadow_, InspectTable(*ddl_, config_.conn.database, names_.shadow_table));
  SA_ASSIGN_OR_RETURN(std::vector<ColumnPair> columns, MapColumns(original_, shadow_, alter_));
  SA_ASSIGN_OR_RETURN(ChunkKey key, ChooseChunkKey(original_, shadow_, columns));
  copy_spec_ = CopySpec{config_.conn.database, config_.conn.table, names_.shadow_table, columns,
                        key, ddl_->flavor()};
  checksum_plan_ = PlanChecksum(columns, original_, shadow_);
  if (checkpoint_made_ && !resuming_) {
    SA_RETURN_IF_ERROR(checkpoint_.SetChunkKey(*ddl_, ChunkKeyText(SourceKeyNames(key))));
  }
  for (const std::string& skipped : checksum_plan_.skipped) {
    LogWarning("verification can't compare column " + skipped);
  }
  return Status::Ok();
}

Status Migration::CheckNewUniqueKeys() {
  // A unique key the ALTER adds over data that breaks it would fail the copy late (or, worse,
  // hours in); find an offending value now, before any trigger exists.
  auto source_name = [&](const std::string& target) -> std::optional<std::string> {
    for (const ColumnPair& p : copy_spec_.columns) {
      if (SameColumnName(p.target, target)) return p.source;
    }
    return std::nullopt;
  };
  for (const Index& idx : shadow_.indexes) {
    if (!idx.unique || idx.has_prefix) continue;
    std::vector<std::string> columns;
    for (const std::string& c : idx.columns) {
      if (auto s = source_name(c)) columns.push_back(*s);
    }
    if (columns.size() != idx.columns.size()) continue;  // new columns: the copy checks them
    bool already_unique = false;
    for (const Index& old : original_.indexes) {
      if (!old.unique || old.columns.size() != columns.size()) continue;
      bool same = true;
      for (const std::string& c : columns) {
        same &= std::any_of(old.columns.begin(), old.columns.end(),
                            [&](const std::string& o) { return SameColumnName(o, c); });
      }
      already_unique |= same;
    }
    if (already_unique) continue;
    LogInfo("checking that the original has no duplicates for new unique key " +
            QuoteIdentifier(idx.name) + " (reads the whole table)");
    SA_ASSIGN_OR_RETURN(ResultSet dup, ddl_->Query(FindDuplicate(config_.conn.database,
                                                                 config_.conn.table, columns)));
    if (dup.empty()) continue;
    std::vector<std::string> values;
    for (size_t i = 0; i < columns.size(); ++i) values.push_back(dup.rows[0][i].value_or("NULL"));
    return RefusedError("the ALTER adds unique key " + QuoteIdentifier(idx.name) + " on (" +
                        Join(columns, ", ") + "), but the original holds (" + Join(values, ", ") +
                        ") " + dup.rows[0].back().value_or("?") +
                        " times; remove the duplicates first");
  }
  return Status::Ok();
}

Status Migration::AlterInstantly() {
  if (!instant_refusal_.empty()) {
    LogInfo("copying: the server can't do this ALTER instantly (" + instant_refusal_ + ")");
    return Status::Ok();
  }
  // The same short metadata-lock wait and retries as every statement that locks the live table.
  Status s =
      RunDdl(InstantAlterStatement(config_.conn.database, config_.conn.table, alter_clauses_));
  if (s.ok()) {
    altered_instantly_ = true;
    return s;
  }
  // A blocker that outlasts every try, a stop or a lost connection ends the run; the copy would
  // need the same lock for its triggers. Anything else is the server declining INSTANT here.
  if (IsLockConflict(s) || s.code() != Code::kServer) return s;
  LogInfo("the server refused ALGORITHM=INSTANT on the original (" + s.message() +
          "); copying instead");
  return Status::Ok();
}

Status Migration::StartHeartbeat() {
  PushTableDrop("heartbeat table", names_.heartbeat_table);
  SA_RETURN_IF_ERROR(RunDdl(CreateHeartbeatTable(config_.conn.database, names_.heartbeat_table)));
  SA_ASSIGN_OR_RETURN(std::unique_ptr<Session> writer, NewSession());
  heartbeat_ = std::make_unique<Heartbeat>(std::move(writer), config_.conn.database,
                                           names_.heartbeat_table);
  SA_RETURN_IF_ERROR(heartbeat_->Start());
  throttler_->UseHeartbeat(config_.conn.database, names_.heartbeat_table);
  return Status::Ok();
}

Status Migration::CreateTriggers() {
  if (resuming_ && stopped_->phase >= RunPhase::kCopying) return Status::Ok();  // all in place
  if (resuming_) {
    // The stopped run was creating them: whichever exist go, all three are made again. Before
    // the copy starts any mix of them is harmless (each chunk clears its range first).
    for (const std::string* t :
         {&names_.insert_trigger, &names_.update_trigger, &names_.delete_trigger}) {
      SA_RETURN_IF_ERROR(RunDdl(DropTriggerStatement(config_.conn.database, *t)));
    }
  }
  SA_RETURN_IF_ERROR(RecordPhase(RunPhase::kTriggers));
  const TriggerStatements t =
      BuildTriggers(TriggerSpec{config_.conn.database, config_.conn.table, names_.shadow_table,
                                copy_spec_.columns, copy_spec_.key, original_.triggers});
  const std::pair<const std::string*, const std::string*> all[] = {
      {&names_.delete_trigger, &t.create_delete},
      {&names_.update_trigger, &t.create_update},
      {&names_.insert_trigger, &t.create_insert},
  };
  for (const auto& [name, create] : all) {
    // Pushed before running: if the answer is lost, the trigger may exist all the same.
    PushTriggerDrop(*name);
    SA_RETURN_IF_ERROR(RunDdl(*create).With("creating trigger " + QuoteIdentifier(*name)));
    CrashPoint("trigger_created");
  }
  LogInfo("triggers installed; every write on the table is now mirrored into the new table");
  return RecordTriggers();
}

Status Migration::CopyRows() {
  CopyProgress resumed;
  CopyOptions options;
  options.before_chunk = [this] { return BetweenChunks(); };
  if (resuming_) {
    if (stopped_->phase >= RunPhase::kCopied) {
      LogInfo("the stopped run had copied every row; the triggers kept them current since");
      copy_progress_.rows_copied = stopped_->rows_copied;
      return Status::Ok();
    }
    if (stopped_->phase == RunPhase::kCopying && stopped_->position) {
      options.start_after = stopped_->position;
      resumed.position = stopped_->position;
      resumed.rows_copied = stopped_->rows_copied;
      LogInfo("resuming the copy after key (" + Join(*stopped_->position, ", ") + "), " +
              std::to_string(stopped_->rows_copied) + " rows already copied");
    }
  }
  SA_ASSIGN_OR_RETURN(std::unique_ptr<Session> session, NewSession());
  std::optional<KeptAlive> keep(std::in_place, throttler_.get(), session.get());
  ProgressLog progress("copy", original_.estimated_rows, config_.progress_interval);
  const auto start = Clock::now();
  ChunkSizer sizer = CopySizer();
  CopyProgress p = resumed;
  auto on_chunk = [&](const CopyProgress& now, const ChunkSizer& chunk_sizer) {
    copy_progress_ = now;
    if (now.position) {
      // Best effort: a checkpoint that lags only repeats chunks on resume. No liveness probe
      // first (this is once per chunk): a session the server closed is replaced once.
      Status recorded = checkpoint_.RecordPosition(*ddl_, *now.position, now.rows_copied);
      if (IsConnectionLost(recorded)) {
        if (StatusOr<std::unique_ptr<Session>> fresh = NewSession(); fresh.ok()) {
          ddl_ = std::move(fresh).value();
          recorded = checkpoint_.RecordPosition(*ddl_, *now.position, now.rows_copied);
        }
      }
      if (!recorded.ok() && !position_warning_given_) {
        position_warning_given_ = true;
        LogWarning("could not record the copy position in the checkpoint (" + recorded.message() +
                   "); a resume would repeat some chunks");
      }
    }
    CrashPoint("copy_chunk");
    if (auto snap = progress.Update(now.rows_copied)) {
      EmitProgress("copy", *snap, chunk_sizer.next_rows());
    }
    events_.Tick(ToEvent("copy", progress.Snapshot(now.rows_copied), chunk_sizer.next_rows()));
  };
  for (;;) {
    Copier copier(*session, copy_spec_, sizer, options, stop_, p);
    Status copied = copier.Run([&](const CopyProgress& now) { on_chunk(now, copier.sizer()); });
    p = copier.progress();
    sizer = copier.sizer();
    if (copied.ok()) break;
    if (!IsConnectionLost(copied)) return copied;
    // Everything up to p.position is committed; the rest is copied again after reconnecting.
    keep.reset();
    SA_ASSIGN_OR_RETURN(session, Reconnect(copied));
    keep.emplace(throttler_.get(), session.get());
    options.start_after = p.position;
  }
  copy_progress_ = p;
  // A last progress event at 100%, so even a copy shorter than the interval reports one.
  EmitProgress("copy", progress.Snapshot(p.rows_copied), sizer.next_rows());
  LogInfo("copied " + std::to_string(p.rows_copied) + " rows in " + std::to_string(p.chunks) +
          " chunks, " + Fixed(SecondsSince(start), 1) + " s (" + std::to_string(p.lock_conflicts) +
          " chunk retries after lock conflicts, last chunk "
          "size " +
          std::to_string(sizer.next_rows()) + ")");
  if (throttler_ && throttler_->throttled_seconds() > 0) {
    std::vector<std::string> reasons;
    for (const auto& [reason, seconds] : throttler_->seconds_by_reason()) {
      reasons.push_back(reason + " " + Fixed(seconds, 1) + " s");
    }
    LogInfo("time throttled: " + Fixed(throttler_->throttled_seconds(), 1) + " s (" +
            Join(reasons, ", ") + ")");
  }
  SA_RETURN_IF_ERROR(RecordPhase(RunPhase::kCopied));
  CrashPoint("copied");
  return Status::Ok();
}

Status Migration::VerifyTables() {
  SA_ASSIGN_OR_RETURN(std::unique_ptr<Session> session, NewSession());
  ProgressLog progress("verify", original_.estimated_rows, config_.progress_interval);
  const auto start = Clock::now();
  uint64_t rows = 0;
  for (;;) {
    KeptAlive keep(throttler_.get(), session.get());
    Verifier verifier(
        *session, copy_spec_, checksum_plan_, original_, shadow_, CopySizer(),
        [this] { return BetweenChunks(); }, stop_);
    Status verified = verifier.Run([&](const VerifyProgress& p) {
      rows = p.rows_compared;
      CrashPoint("verify_chunk");
      if (auto snap = progress.Update(p.rows_compared)) {
        EmitProgress("verify", *snap, verifier.sizer().next_rows());
      }
      events_.Tick(
          ToEvent("verify", progress.Snapshot(p.rows_compared), verifier.sizer().next_rows()));
    });
    if (verified.ok()) break;
    if (!IsConnectionLost(verified)) return verified;
    // Each chunk is compared in its own snapshot: after reconnecting, compare again from the
    // start (the triggers kept the new table current meanwhile).
    SA_ASSIGN_OR_RETURN(session, Reconnect(verified));
  }
  const double seconds = SecondsSince(start);
  LogInfo("verified: both tables hold the same " + std::to_string(rows) + " rows (" +
          Fixed(seconds, 1) + " s, " + Fixed(seconds > 0 ? rows / seconds : 0, 0) + " rows/s)");
  return RecordPhase(RunPhase::kVerified);
}

Status Migration::WaitForCutover() {
  const std::string& file = config_.postpone_cutover_file;
  if (access(file.c_str(), F_OK) != 0) return Status::Ok();
  LogInfo("cut-over postponed while " + file + " exists; the triggers keep the new table "
          "current meanwhile");
  const auto start = Clock::now();
  while (access(file.c_str(), F_OK) == 0) {
    if (stop_.requested()) return AbortedError("stopped by " + stop_.Describe());
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  LogInfo(file + " is gone after " + Fixed(SecondsSince(start), 1) + " s; swapping");
  return Status::Ok();
}

Status Migration::Swap() {
  SA_RETURN_IF_ERROR(RecordPhase(RunPhase::kSwapping));
  CrashPoint("before_swap");
  if (fk_method_ == ForeignKeyMethod::kDropSwap) return DropAndRename();
  if (CarriesOwnTriggers()) {
    SA_RETURN_IF_ERROR(SwapKeepingTriggers());
  } else {
    SA_RETURN_IF_ERROR(RunDdl(SwapStatement(config_.conn.database, config_.conn.table,
                                            names_.old_table, names_.shadow_table)));
  }
  // From here on the new table is the table: nothing may drop it.
  swapped_ = true;
  cleanup_.Release();
  CrashPoint("after_swap");
  // Best effort: a checkpoint still saying "swapping" is read from the tables themselves.
  if (Status s = RecordPhase(RunPhase::kSwapped); !s.ok()) LogWarning(s.message());
  // Bottom of the stack: the checkpoint goes last, once everything else is done.
  if (checkpoint_made_) {
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
  for (const std::string* t :
       {&names_.insert_trigger, &names_.update_trigger, &names_.delete_trigger}) {
    PushTriggerDrop(*t);
  }
  return Status::Ok();
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
