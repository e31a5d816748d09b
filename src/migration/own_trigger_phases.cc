// --preserve-triggers: proving early that each of the table's own triggers can be recreated on
// the new table (the cut-over moves them: migration/cutover.h).
#include "db/quote.h"
#include "migration/migration.h"
#include "report/log.h"
#include "sql/cutover.h"
#include "sql/ddl.h"
#include "sql/names.h"

namespace shadowalter {

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
