#include "state/checkpoint_store.h"

#include <cstdlib>

#include "db/quote.h"
#include "inspect/inspector.h"
#include "sql/checkpoint.h"

namespace shadowalter {

Status CheckpointStore::Create(Session& s, const Checkpoint& c) const {
  SA_RETURN_IF_ERROR(s.Execute(CreateCheckpointTable(schema_, table_)));
  return s.Execute(WriteCheckpoint(schema_, table_, c));
}

Status CheckpointStore::SetPhase(Session& s, RunPhase phase) const {
  return s.Execute(UpdateCheckpointPhase(schema_, table_, phase))
      .With(std::string("recording phase ") + RunPhaseName(phase) + " in the checkpoint");
}

Status CheckpointStore::RecordPosition(Session& s, const std::vector<std::string>& position,
                                       uint64_t rows_copied) const {
  return s.Execute(UpdateCheckpointPosition(schema_, table_, position, rows_copied));
}

Status CheckpointStore::SetNewTableFingerprint(Session& s, const std::string& f) const {
  return s.Execute(UpdateCheckpointText(schema_, table_, "new_table_fingerprint", f));
}

Status CheckpointStore::SetTriggersFingerprint(Session& s, const std::string& f) const {
  return s.Execute(UpdateCheckpointText(schema_, table_, "triggers_fingerprint", f));
}

Status CheckpointStore::SetNote(Session& s, const std::string& note) const {
  return s.Execute(UpdateCheckpointText(schema_, table_, "note", note));
}

Status CheckpointStore::SetChunkKey(Session& s, const std::string& chunk_key) const {
  return s.Execute(UpdateCheckpointText(schema_, table_, "chunk_key", chunk_key));
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
  return s.Execute(UpdateCheckpointOwnTriggers(schema_, table_, triggers)).With(doing);
}

StatusOr<std::optional<Checkpoint>> CheckpointStore::Load(Session& s) const {
  SA_ASSIGN_OR_RETURN(bool exists, TableExists(s, schema_, table_));
  if (!exists) return std::optional<Checkpoint>();
  SA_ASSIGN_OR_RETURN(bool with_own_triggers, HasOwnTriggersColumn(s));
  SA_ASSIGN_OR_RETURN(ResultSet rs, s.Query(SelectCheckpoint(schema_, table_, with_own_triggers)));
  if (rs.empty()) return std::optional<Checkpoint>();
  const auto& row = rs.rows[0];
  auto text = [&](size_t i) { return row[i].value_or(""); };
  const std::string where = "reading the checkpoint in " + QualifiedName(schema_, table_);
  Checkpoint c;
  c.tool_version = text(0);
  c.alter = text(1);
  c.identity = text(2);
  c.chunk_key = text(3);
  c.new_table = text(4);
  c.old_table = text(5);
  c.insert_trigger = text(6);
  c.update_trigger = text(7);
  c.delete_trigger = text(8);
  std::optional<RunPhase> phase = ParseRunPhase(text(9));
  if (!phase) {
    return InternalError(where + ": unknown phase '" + text(9) + "' (written by shadowalter " +
                         c.tool_version + "?)");
  }
  c.phase = *phase;
  if (row[10]) {
    c.position = DecodePosition(*row[10]);
    if (!c.position) return InternalError(where + ": malformed position '" + *row[10] + "'");
  }
  c.rows_copied = std::strtoull(text(11).c_str(), nullptr, 10);
  c.rows_estimated = std::strtoull(text(12).c_str(), nullptr, 10);
  c.original_fingerprint = text(13);
  c.new_table_fingerprint = text(14);
  c.triggers_fingerprint = text(15);
  c.started_by = text(16);
  c.note = text(17);
  c.started_at = text(18);
  c.updated_at = text(19);
  c.advanced_at = text(20);
  if (row[21]) c.seconds_since_advanced = std::strtoll(row[21]->c_str(), nullptr, 10);
  if (row[22]) {
    c.own_triggers = DecodeOwnTriggers(*row[22]);
    if (!c.own_triggers) {
      return InternalError(where +
                           ": its saved own triggers are in a format this version can't "
                           "read (written by shadowalter " +
                           c.tool_version + "?)");
    }
  }
  return std::optional<Checkpoint>(std::move(c));
}

}  // namespace shadowalter
