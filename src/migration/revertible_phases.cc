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
  // The guard against a TRUNCATE needs the table ids: refused now, before anything is made.
  StatusOr<std::string> ids = TableIdsFingerprint(sessions_.ddl(), config_.conn.database,
                                                  config_.conn.table, plan_.names.shadow_table);
  if (!ids.ok()) return RefusedError("--revertible: " + ids.status().message());
  cutover_.set_reverse_side(std::move(side));
  return Status::Ok();
}

Status Migration::KeepRevertible() {
  if (!cutover_.revertible() || !cutover_.swapped()) return Status::Ok();
  SA_RETURN_IF_ERROR(sessions_.EnsureDdl());
  Session& s = sessions_.ddl();
  const std::string& schema = config_.conn.database;
  const std::string& table = config_.conn.table;
  const std::string finish =
      ": not revertible; `shadowalter finish " + config_.conn.DsnWithoutPassword() +
      "` ends the run";
  // What the swap put on record under its lock (Cutover::RecordReverseSide) must still hold:
  // after a crash, someone may have truncated the old table or remade a reverse trigger.
  SA_ASSIGN_OR_RETURN(std::optional<Checkpoint> c, record_.Load(s));
  if (!c) return AbortedError("the checkpoint is gone" + finish);
  StatusOr<std::string> triggers = ReverseTriggersFingerprint(s, schema, table, plan_.names);
  if (!triggers.ok()) return AbortedError(triggers.status().message() + finish);
  if (*triggers != c->triggers_fingerprint) {
    return AbortedError("the reverse triggers changed since the swap made them" + finish);
  }
  SA_ASSIGN_OR_RETURN(std::string ids,
                      TableIdsFingerprint(s, schema, table, plan_.names.old_table));
  if (ids != c->new_table_fingerprint) {
    return AbortedError("the table or the old table was truncated or rebuilt since the swap" +
                        finish);
  }
  SA_ASSIGN_OR_RETURN(std::string definitions,
                      DefinitionsFingerprint(s, schema, table, plan_.names));
  SA_RETURN_IF_ERROR(record_.RecordOriginalFingerprint(s, definitions));
  SA_RETURN_IF_ERROR(record_.RecordNote(
      s, "swapped and revertible: the reverse triggers keep " +
             QualifiedName(schema, plan_.names.old_table) + " current"));
  CrashPoint("before_revertible");
  SA_RETURN_IF_ERROR(record_.RecordPhase(s, RunPhase::kRevertible));
  LogInfo("kept " + QualifiedName(schema, plan_.names.old_table) +
          " with the original definition; the reverse triggers on " +
          QualifiedName(schema, table) + " write every change into it until `revert` or `finish`");
  return Status::Ok();
}

}  // namespace shadowalter
