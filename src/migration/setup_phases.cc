// The phases before the copy: connecting, inspecting and checking the table, the new table and
// its ALTER (or the ALTER done instantly), and the triggers.
#include "check/cluster_checks.h"
#include "check/preflight.h"
#include "cli/connect_params.h"
#include "db/errors.h"
#include "db/quote.h"
#include "inspect/blockers.h"
#include "inspect/cluster.h"
#include "inspect/inspector.h"
#include "migration/autoinc_note.h"
#include "migration/migration.h"
#include "report/log.h"
#include "sql/column_map.h"
#include "sql/ddl.h"
#include "sql/shadow_ddl.h"
#include "sql/triggers.h"
#include "util/crash_point.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

// CHECK constraint names are per schema on MySQL (the new table's must differ), per table on
// MariaDB (renaming them would be for good).
CheckConstraintNames CheckNamesOn(const Session& s) {
  return s.flavor() == ServerFlavor::kMariaDB ? CheckConstraintNames::kKeep
                                              : CheckConstraintNames::kRename;
}

}  // namespace

Status Migration::AnalyzeAlterText() {
  SA_RETURN_IF_ERROR(ValidateSkippedChecks(config_.skip_checks));
  // verify may go without; resume takes the stopped run's (FindStoppedRun analyzes it then).
  if (config_.alter.empty()) return Status::Ok();
  SA_ASSIGN_OR_RETURN(plan_.alter, AnalyzeAlter(config_.alter));
  plan_.alter_clauses = StripAlgorithmAndLock(config_.alter);
  return Status::Ok();
}

std::vector<std::string> Migration::Blockers() {
  auto s = sessions_.Open();
  if (!s.ok()) return {};
  std::vector<uint64_t> ours = {sessions_.connected() ? sessions_.ddl().connection_id() : 0};
  return DescribeBlockers(**s, config_.conn.database, config_.conn.table, ours);
}

Status Migration::Connect() {
  if (Status connected = sessions_.Connect(); !connected.ok()) {
    // Nothing exists yet: a server out of reach is worth trying again later (exit 6); one that
    // answered and said no refuses the run untouched (exit 5).
    return AsConnectFailure(connected);
  }
  LogInfo("connected to " + config_.conn.Redacted() + " (" + sessions_.ddl().server_version() +
          "), " +
          (sessions_.ddl().tls_cipher().empty() ? std::string("not encrypted")
                                                : "TLS " + sessions_.ddl().tls_cipher()) +
          " (--ssl-mode " + TlsModeName(config_.conn.tls.mode) + ")");
  return Status::Ok();
}

Status Migration::TakeRunLock() {
  // A named lock on its own session: held while the session lives, released if we die.
  SA_ASSIGN_OR_RETURN(bool taken, sessions_.TakeRunLock());
  if (!taken) {
    const std::string name = RunLockName(config_.conn.database, config_.conn.table);
    return RefusedError("another shadowalter run is working on " +
                        QualifiedName(config_.conn.database, config_.conn.table) +
                        " (it holds the lock '" + name + "'); wait for it to finish or stop it");
  }
  return Status::Ok();
}

Status Migration::InspectOriginal() {
  const TableInfo not_inspected_yet;
  PreflightContext exists{sessions_.ddl(),   not_inspected_yet, plan_.names, config_, {},
                          record_.resuming()};
  SA_RETURN_IF_ERROR(RunPreflight(exists, PreflightStage::kBeforeInspecting));
  SA_ASSIGN_OR_RETURN(plan_.original,
                      InspectTable(sessions_.ddl(), config_.conn.database, config_.conn.table));
  // A resumed run's own triggers are not the table's.
  std::erase_if(plan_.original.triggers, [&](const Trigger& t) {
    return t.name == plan_.names.insert_trigger || t.name == plan_.names.update_trigger ||
           t.name == plan_.names.delete_trigger || t.name == plan_.names.fence_insert_trigger ||
           t.name == plan_.names.fence_update_trigger || t.name == plan_.names.fence_delete_trigger;
  });
  return Status::Ok();
}

Status Migration::Preflight() {
  PreflightContext ctx{sessions_.ddl(),   plan_.original, plan_.names, config_, {},
                       record_.resuming()};
  for (const Replica& r : throttler_->replicas()) {
    if (r.session) ctx.replicas.push_back({r.name, r.session.get()});
  }
  SA_RETURN_IF_ERROR(RunPreflight(ctx));
  cutover_.ChooseForeignKeyMethod();
  return SizeForCluster();
}

Status Migration::SizeForCluster() {
  SA_ASSIGN_OR_RETURN(cluster_, InspectGalera(sessions_.ddl()));
  if (!cluster_.wsrep_on) return Status::Ok();
  // The other nodes, for their receive queues; one that can't be reached now is left out (it is
  // leaving the cluster, or will be).
  std::vector<ClusterFlow::Node> nodes;
  const std::string own =
      config_.conn.host.value_or("") + ":" + std::to_string(config_.conn.port.value_or(3306));
  for (const std::string& address : cluster_.nodes) {
    const size_t colon = address.rfind(':');
    if (address == own || colon == std::string::npos) continue;
    ConnectionConfig conn = config_.conn;
    conn.host = address.substr(0, colon);
    conn.port = static_cast<unsigned>(std::strtoul(address.c_str() + colon + 1, nullptr, 10));
    conn.socket.reset();
    StatusOr<std::unique_ptr<Session>> s = Session::Connect(ConnectParamsFor(conn));
    if (!s.ok())
      LogWarning("cluster node " + address + " can't be reached: " + s.status().message());
    nodes.push_back({address, s.ok() ? std::move(s).value() : nullptr});
  }
  throttler_->WatchCluster(std::make_unique<ClusterFlow>(config_.max_flow_ctl,
                                                         config_.max_recv_queue, std::move(nodes)));
  const uint64_t row_bytes = plan_.original.estimated_rows > 0
                                 ? plan_.original.estimated_bytes / plan_.original.estimated_rows
                                 : 0;
  const uint64_t limit = WritesetRowLimit(cluster_, row_bytes);
  if (limit > 0 &&
      (config_.max_rows_per_transaction == 0 || limit < config_.max_rows_per_transaction)) {
    config_.max_rows_per_transaction = limit;
    LogInfo("copy transactions hold at most " + std::to_string(limit) +
            " rows: the cluster's writeset limits (wsrep_max_ws_rows, wsrep_max_ws_size)");
  }
  return Status::Ok();
}

Status Migration::FindReplicasToWatch() {
  // Before anything is created: a replica nobody can watch refuses the run untouched.
  SA_ASSIGN_OR_RETURN(std::unique_ptr<Session> session, sessions_.Open());
  StatusOr<std::unique_ptr<Throttler>> t = Throttler::Create(std::move(session), config_, stop_);
  if (!t.ok()) return Status(Code::kRefused, t.status().message(), t.status().server_errno());
  throttler_ = std::move(t).value();
  report_.set_throttler(throttler_.get());
  Throttler::Observer observer;
  observer.paused = [this](const std::string& kind, const std::string& reason) {
    report_.CountThrottleWait(kind);
    events_.ThrottleStart(kind, reason);
  };
  observer.resumed = [this](const std::string& kind, double seconds) {
    events_.ThrottleEnd(kind, seconds);
  };
  throttler_->set_observer(std::move(observer));
  throttler_->UseLiveSettings(live_);
  throttler_->SetQuietCheck([this] { return !report_.copy_progress().others_writing; });
  return Status::Ok();
}

Status Migration::CreateShadow() {
  // A self-referencing foreign key must reference the copy: referencing the original, it would
  // follow it to _<t>_old at the swap.
  SA_ASSIGN_OR_RETURN(
      std::string create,
      RewriteCreateTable(plan_.original.create_statement, plan_.names.shadow_table,
                         ToggleConstraintName, config_.conn.table, CheckNamesOn(sessions_.ddl())));
  PushTableDrop("new table", plan_.names.shadow_table);
  return sessions_.ddl().Execute(create);
}

Status Migration::AlterShadow() {
  // The new table is an empty twin of the original (same definition, same row format), so
  // whether it takes ALGORITHM=INSTANT tells whether the original would, without touching it.
  if (config_.attempt_instant) {
    Status instant = sessions_.ddl().Execute(InstantAlterStatement(
        config_.conn.database, plan_.names.shadow_table, plan_.alter_clauses));
    if (instant.ok()) {
      plan_.instant_refusal.clear();
      return RecordNewTable();
    }
    plan_.instant_refusal = instant.message();
    LogDebug("ALGORITHM=INSTANT refused on the new table: " + plan_.instant_refusal);
  } else {
    plan_.instant_refusal = "--no-attempt-instant";
  }
  Status s = sessions_.ddl().Execute(
      AlterStatement(config_.conn.database, plan_.names.shadow_table, plan_.alter_clauses));
  if (s.ok()) return RecordNewTable();
  if (s.code() == Code::kServer) {
    // The server's own words, verbatim: the ALTER is the user's input. A duplicate column, key
    // or constraint, or one that is not there to drop, is often an ALTER already done.
    const unsigned e = s.server_errno();
    const bool maybe_done = e == 1060 || e == 1061 || e == 1091 || e == 1826;
    return UsageError("the server rejected the ALTER: " + s.message() +
                      (maybe_done
                           ? "; if the table already has this change, write the ALTER with "
                             "IF NOT EXISTS / IF EXISTS (MariaDB) so that a repeated run finds "
                             "nothing to do"
                           : ""));
  }
  return s;
}

Status Migration::CompareDefinitions() {
  // A rebuild (ENGINE=, FORCE, ...) is asked for even when the definition stays as it is.
  if (plan_.alter.may_rebuild) return Status::Ok();
  SA_ASSIGN_OR_RETURN(std::string altered, CreateTableText(sessions_.ddl(), config_.conn.database,
                                                           plan_.names.shadow_table));
  // The original's definition as inspected moments ago: no second round trip for it.
  SA_ASSIGN_OR_RETURN(plan_.already_done,
                      SameDefinition(plan_.original.create_statement, config_.conn.table, altered,
                                     plan_.names.shadow_table, CheckNamesOn(sessions_.ddl())));
  return Status::Ok();
}

Status Migration::CheckNewTable() {
  PreflightContext ctx{sessions_.ddl(),   plan_.original, plan_.names, config_, {},
                       record_.resuming()};
  return RunPreflight(ctx, PreflightStage::kNewTableAltered);
}

Status Migration::RequireShadow() {
  PreflightContext ctx{sessions_.ddl(),   plan_.original, plan_.names, config_, {},
                       record_.resuming()};
  return RunPreflight(ctx, PreflightStage::kBeforeComparing);
}

Status Migration::PlanCopy() {
  SA_ASSIGN_OR_RETURN(
      plan_.shadow, InspectTable(sessions_.ddl(), config_.conn.database, plan_.names.shadow_table));
  PreflightContext ctx{sessions_.ddl(),   plan_.original, plan_.names, config_, {},
                       record_.resuming()};
  ctx.new_table = &plan_.shadow;
  ctx.alter = &plan_.alter;
  SA_RETURN_IF_ERROR(RunPreflight(ctx, PreflightStage::kNewTableInspected));
  // The check above planned it once: this can't refuse any more.
  SA_ASSIGN_OR_RETURN(std::vector<ColumnPair> columns,
                      MapColumns(plan_.original, plan_.shadow, plan_.alter));
  SA_ASSIGN_OR_RETURN(ChunkKey key, ChooseChunkKey(plan_.original, plan_.shadow, columns));
  SA_ASSIGN_OR_RETURN(std::vector<ImplicitFill> fills, ImplicitFills(plan_.shadow, columns));
  plan_.copy = CopySpec{config_.conn.database,
                        config_.conn.table,
                        plan_.names.shadow_table,
                        columns,
                        key,
                        sessions_.ddl().flavor(),
                        fills};
  if (!fills.empty()) {
    LogInfo(
        "NOT NULL columns without a DEFAULT that no column of the original feeds get their "
        "type's implicit value on every row, as a plain ALTER gives them: " +
        DescribeFills(fills));
  }
  plan_.comparison = PlanComparison(columns, plan_.original, plan_.shadow);
  ctx.columns = &columns;
  SA_RETURN_IF_ERROR(RunPreflight(ctx, PreflightStage::kCopyPlanned));
  if (!record_.resuming()) {
    SA_RETURN_IF_ERROR(record_.RecordChunkKey(sessions_.ddl(), ChunkKeyText(SourceKeyNames(key))));
  }
  for (const std::string& skipped : plan_.comparison.skipped) {
    LogWarning("verification can't compare column " + skipped);
  }
  NoteAutoincLocking(sessions_.ddl(), plan_.shadow);
  return Status::Ok();
}

Status Migration::CheckNewUniqueKeys() {
  PreflightContext ctx{sessions_.ddl(),   plan_.original, plan_.names, config_, {},
                       record_.resuming()};
  ctx.new_table = &plan_.shadow;
  ctx.columns = &plan_.copy.columns;
  return RunPreflight(ctx, PreflightStage::kNewUniqueKeys);
}

Status Migration::AlterInstantly() {
  if (!plan_.instant_refusal.empty()) {
    LogInfo("copying: the server can't do this ALTER instantly (" + plan_.instant_refusal + ")");
    return Status::Ok();
  }
  // The same short metadata-lock wait and retries as every statement that locks the live table.
  Status s =
      RunDdl(InstantAlterStatement(config_.conn.database, config_.conn.table, plan_.alter_clauses));
  if (s.ok()) {
    plan_.altered_instantly = true;
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
  PushTableDrop("heartbeat table", plan_.names.heartbeat_table);
  SA_RETURN_IF_ERROR(
      RunDdl(CreateHeartbeatTable(config_.conn.database, plan_.names.heartbeat_table)));
  SA_ASSIGN_OR_RETURN(std::unique_ptr<Session> writer, sessions_.Open());
  heartbeat_ = std::make_unique<Heartbeat>(std::move(writer), config_.conn.database,
                                           plan_.names.heartbeat_table);
  SA_RETURN_IF_ERROR(heartbeat_->Start());
  throttler_->UseHeartbeat(config_.conn.database, plan_.names.heartbeat_table);
  return Status::Ok();
}

Status Migration::CreateTriggers() {
  // On a cluster the swap fences the table's writes instead of locking it.
  if (cluster_.wsrep_on) cutover_.SwapInTotalOrder();
  if (record_.resuming() && record_.StoppedAtOrAfter(RunPhase::kCopying)) {
    return Status::Ok();  // all in place
  }
  if (record_.resuming()) {
    // The stopped run was creating them: whichever exist go, all three are made again. Before
    // the copy starts any mix of them is harmless (each chunk clears its range first).
    for (const std::string* t :
         {&plan_.names.insert_trigger, &plan_.names.update_trigger, &plan_.names.delete_trigger}) {
      SA_RETURN_IF_ERROR(
          RunDdl(DropTriggerStatement(config_.conn.database, *t), DdlOperation::kDropTriggers));
    }
    SA_RETURN_IF_ERROR(
        RunDdl(DropTableStatement(config_.conn.database, plan_.names.refusals_table)));
  }
  SA_RETURN_IF_ERROR(RecordPhase(RunPhase::kTriggers));
  // Before the triggers, which record into it; dropped after them.
  PushTableDrop("refusal log", plan_.names.refusals_table);
  SA_RETURN_IF_ERROR(RunDdl(refusals_.CreateStatement()).With("creating the refusal log"));
  const TriggerStatements t = BuildTriggers(TriggerSpec{
      config_.conn.database, config_.conn.table, plan_.names.shadow_table, plan_.copy.columns,
      plan_.copy.key, plan_.original.triggers, plan_.names.refusals_table, plan_.copy.fills});
  const std::pair<const std::string*, const std::string*> all[] = {
      {&plan_.names.delete_trigger, &t.create_delete},
      {&plan_.names.update_trigger, &t.create_update},
      {&plan_.names.insert_trigger, &t.create_insert},
  };
  for (const auto& [name, create] : all) {
    // Pushed before running: if the answer is lost, the trigger may exist all the same.
    PushTriggerDrop(*name);
    SA_RETURN_IF_ERROR(RunDdl(*create, DdlOperation::kCreateTriggers)
                           .With("creating trigger " + QuoteIdentifier(*name)));
    CrashPoint("trigger_created");
  }
  LogInfo("triggers installed; every write on the table is now mirrored into the new table");
  return RecordTriggers();
}

}  // namespace shadowalter
