#include "state/checkpoint_store.h"

#include "db/quote.h"
#include "inspect/inspector.h"
#include "sql/checkpoint.h"
#include "state/checkpoint_row.h"

namespace shadowalter {

Status CheckpointStore::Create(Session& s, const Checkpoint& c) const {
  SA_RETURN_IF_ERROR(s.Execute(CreateCheckpointTable(schema_, table_)));
  return s.Execute(WriteCheckpoint(schema_, table_, ToCheckpointRow(c)));
}

Status CheckpointStore::SetPhase(Session& s, RunPhase phase) const {
  return s.Execute(UpdateCheckpointPhase(schema_, table_, RunPhaseName(phase)))
      .With(std::string("recording phase ") + RunPhaseName(phase) + " in the checkpoint");
}

Status CheckpointStore::RecordPosition(Session& s, const std::vector<std::string>& position,
                                       uint64_t rows_copied) const {
  return s.Execute(
      UpdateCheckpointPosition(schema_, table_, EncodePosition(position), rows_copied));
}

Status CheckpointStore::SetNewTableFingerprint(Session& s, const std::string& f) const {
  return s.Execute(
      UpdateCheckpointText(schema_, table_, checkpoint_column::kNewTableFingerprint, f));
}

Status CheckpointStore::SetTriggersFingerprint(Session& s, const std::string& f) const {
  return s.Execute(
      UpdateCheckpointText(schema_, table_, checkpoint_column::kTriggersFingerprint, f));
}

Status CheckpointStore::SetOriginalFingerprint(Session& s, const std::string& f) const {
  return s.Execute(
      UpdateCheckpointText(schema_, table_, checkpoint_column::kOriginalFingerprint, f));
}

Status CheckpointStore::SetNote(Session& s, const std::string& note) const {
  return s.Execute(UpdateCheckpointText(schema_, table_, checkpoint_column::kNote, note));
}

Status CheckpointStore::SetChunkKey(Session& s, const std::string& chunk_key) const {
  return s.Execute(UpdateCheckpointText(schema_, table_, checkpoint_column::kChunkKey, chunk_key));
}

StatusOr<bool> CheckpointStore::HasOwnTriggersColumn(Session& s) const {
  SA_ASSIGN_OR_RETURN(ResultSet rs, s.Query(CountOwnTriggersColumn(schema_, table_)));
  return rs.Scalar().value_or("0") != "0";
}

Status CheckpointStore::SetOwnTriggers(Session& s, const std::vector<Trigger>& triggers) const {
  const std::string doing = "saving the table's own triggers in the checkpoint";
  StatusOr<bool> has = HasOwnTriggersColumn(s);
  if (!has.ok()) return has.status().With(doing);
  if (!*has) SA_RETURN_IF_ERROR(s.Execute(AddOwnTriggersColumn(schema_, table_)).With(doing));
  return s.Execute(UpdateCheckpointOwnTriggers(schema_, table_, EncodeOwnTriggers(triggers)))
      .With(doing);
}

StatusOr<bool> CheckpointStore::HasRunIdColumn(Session& s) const {
  SA_ASSIGN_OR_RETURN(ResultSet rs, s.Query(CountRunIdColumn(schema_, table_)));
  return rs.Scalar().value_or("0") != "0";
}

Status CheckpointStore::SetRunId(Session& s, const std::string& run_id) const {
  const std::string doing = "recording the run id in the checkpoint";
  StatusOr<bool> has = HasRunIdColumn(s);
  if (!has.ok()) return has.status().With(doing);
  if (!*has) SA_RETURN_IF_ERROR(s.Execute(AddRunIdColumn(schema_, table_)).With(doing));
  return s.Execute(UpdateCheckpointText(schema_, table_, checkpoint_column::kRunId, run_id))
      .With(doing);
}

StatusOr<std::optional<Checkpoint>> CheckpointStore::Load(Session& s) const {
  SA_ASSIGN_OR_RETURN(bool exists, TableExists(s, schema_, table_));
  if (!exists) return std::optional<Checkpoint>();
  SA_ASSIGN_OR_RETURN(bool with_own_triggers, HasOwnTriggersColumn(s));
  SA_ASSIGN_OR_RETURN(bool with_run_id, HasRunIdColumn(s));
  SA_ASSIGN_OR_RETURN(ResultSet rs,
                      s.Query(SelectCheckpoint(schema_, table_, with_own_triggers, with_run_id)));
  if (rs.empty()) return std::optional<Checkpoint>();
  StatusOr<Checkpoint> c = CheckpointFromRow(rs.column_names, rs.rows[0]);
  if (!c.ok())
    return c.status().With("reading the checkpoint in " + QualifiedName(schema_, table_));
  return std::optional<Checkpoint>(std::move(c).value());
}

}  // namespace shadowalter
