// The swap behind the table's write lock (migration/trigger_cutover.h), which also moves the
// table's own triggers (--preserve-triggers), and proving early that each of those can be
// recreated on the new table.
#include "db/quote.h"
#include "migration/migration.h"
#include "migration/trigger_cutover.h"
#include "report/log.h"
#include "sql/cutover.h"
#include "sql/ddl.h"
#include "sql/names.h"

namespace shadowalter {

Status Migration::SwapBehindLock() {
  SA_RETURN_IF_ERROR(EnsureDdlSession());
  // Before anything is dropped: after a crash inside the cut-over, this is the only copy left of
  // a trigger that is on neither table. The cut-over checks, under its lock, that the table still
  // has exactly these.
  if (CarriesOwnTriggers()) {
    SA_RETURN_IF_ERROR(record_.RecordOwnTriggers(*ddl_, original_.triggers));
  }
  SA_ASSIGN_OR_RETURN(std::unique_ptr<Session> second, NewSession());
  CutoverPlan plan{config_.conn.database,
                   config_.conn.table,
                   names_.shadow_table,
                   names_.old_table,
                   {names_.insert_trigger, names_.update_trigger, names_.delete_trigger},
                   original_.triggers,
                   [this](Session& s) { return CheckBeforeSwap(s); }};
  TriggerCutover cutover(std::move(plan), *ddl_, *second, ddl_policy_, stop_);
  Status s = cutover.Run();
  if (s.ok()) {
    if (!original_.triggers.empty()) {
      LogInfo("moved the table's " + std::to_string(original_.triggers.size()) +
              " own triggers to the new table under the write lock");
    }
    return s;
  }
  if (!cutover.leftovers().empty()) {
    // The table's triggers are not back where they were: dropping the new table now could take
    // the last copy of one with it. Nothing more runs; every statement still needed is listed
    // (Park lists those that put the triggers back, as the checkpoint stays).
    leftover_sql_ = cutover.leftovers();
    for (const std::string& sql : cleanup_.Pending()) leftover_sql_.push_back(sql);
    cleanup_.Release();
  }
  return s;
}

Status Migration::CheckOwnTriggers() {
  // Each trigger is created, under a stand-in name, on a scratch copy of the new table: the
  // server checks now (not at the swap, after the copy) that the ALTER leaves every column its
  // body names as NEW./OLD., and that we may create it with its definer.
  if (original_.triggers.empty()) return Status::Ok();
  const std::string& scratch = names_.trigger_check_table;
  PushTableDrop("scratch table", scratch);
  SA_RETURN_IF_ERROR(
      ddl_->Execute(CreateTableLike(config_.conn.database, scratch, names_.shadow_table)));
  SA_ASSIGN_OR_RETURN(ResultSet ctx, ddl_->Query(SessionContextQuery()));
  const auto& row = ctx.rows.at(0);
  const std::string restore =
      RestoreSessionContext(row.at(0).value_or(""), row.at(1).value_or(""), row.at(2).value_or(""));
  for (size_t i = 0; i < original_.triggers.size(); ++i) {
    Trigger probe = original_.triggers[i];
    probe.name = TriggerCheckName(config_.conn.table, i + 1);
    SA_RETURN_IF_ERROR(ddl_->Execute(TriggerContext(probe)));
    Status created = ddl_->Execute(CreateTriggerOn(config_.conn.database, scratch, probe));
    SA_RETURN_IF_ERROR(ddl_->Execute(restore));
    if (!created.ok()) {
      return RefusedError("trigger " + QuoteIdentifier(original_.triggers[i].name) +
                          " can't be recreated on the new table: " + created.message() +
                          " (does the ALTER drop or rename a column it uses?); change the "
                          "trigger first, or drop it and create it again after the run");
    }
  }
  SA_RETURN_IF_ERROR(ddl_->Execute(DropTableStatement(config_.conn.database, scratch)));
  LogInfo("all " + std::to_string(original_.triggers.size()) +
          " of the table's own triggers can be recreated on the new table");
  return Status::Ok();
}

}  // namespace shadowalter
