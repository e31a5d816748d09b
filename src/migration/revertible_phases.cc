// --revertible: planning the reverse triggers before anything is made, and putting the revertible
// state on record once the swap is done (migration/revertible.h).
#include "db/quote.h"
#include "migration/migration.h"
#include "migration/revertible.h"
#include "report/log.h"
#include "util/crash_point.h"

namespace shadowalter {

Status Migration::PlanRevert() {
  if (!config_.revertible) return Status::Ok();
  SA_ASSIGN_OR_RETURN(ReverseSide side,
                      PlanReverseSide(config_.conn.database, plan_.names, plan_.original,
                                      plan_.shadow, plan_.copy.columns));
  cutover_.set_reverse_side(std::move(side));
  return Status::Ok();
}

Status Migration::KeepRevertible() {
  if (!cutover_.revertible() || !cutover_.swapped()) return Status::Ok();
  SA_RETURN_IF_ERROR(sessions_.EnsureDdl());
  Session& s = sessions_.ddl();
  const std::string& schema = config_.conn.database;
  const std::string& table = config_.conn.table;
  SA_ASSIGN_OR_RETURN(std::string triggers,
                      ReverseTriggersFingerprint(s, schema, table, plan_.names));
  SA_ASSIGN_OR_RETURN(std::string tables,
                      RevertibleTablesFingerprint(s, schema, table, plan_.names));
  SA_RETURN_IF_ERROR(record_.RecordTriggersFingerprint(s, triggers));
  SA_RETURN_IF_ERROR(record_.RecordNewTableFingerprint(s, tables));
  SA_RETURN_IF_ERROR(record_.RecordNote(s, "swapped and revertible: the reverse triggers keep " +
                                               QualifiedName(schema, plan_.names.old_table) +
                                               " current"));
  CrashPoint("before_revertible");
  SA_RETURN_IF_ERROR(record_.RecordPhase(s, RunPhase::kRevertible));
  LogInfo("kept " + QualifiedName(schema, plan_.names.old_table) +
          " with the original definition; the reverse triggers on " + QualifiedName(schema, table) +
          " write every change into it until `revert` or `finish`");
  return Status::Ok();
}

}  // namespace shadowalter
