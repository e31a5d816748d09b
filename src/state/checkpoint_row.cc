#include "state/checkpoint_row.h"

#include <cstdlib>

namespace shadowalter {

CheckpointRow ToCheckpointRow(const Checkpoint& c) {
  CheckpointRow row;
  row.tool_version = c.tool_version;
  row.alter_text = c.alter;
  row.identity = c.identity;
  row.chunk_key = c.chunk_key;
  row.new_table = c.new_table;
  row.old_table = c.old_table;
  row.insert_trigger = c.insert_trigger;
  row.update_trigger = c.update_trigger;
  row.delete_trigger = c.delete_trigger;
  row.phase = RunPhaseName(c.phase);
  if (c.position) row.position = EncodePosition(*c.position);
  row.rows_copied = c.rows_copied;
  row.rows_estimated = c.rows_estimated;
  row.original_fingerprint = c.original_fingerprint;
  row.new_table_fingerprint = c.new_table_fingerprint;
  row.triggers_fingerprint = c.triggers_fingerprint;
  row.started_by = c.started_by;
  row.note = c.note;
  if (c.own_triggers) row.own_triggers = EncodeOwnTriggers(*c.own_triggers);
  if (!c.run_id.empty()) row.run_id = c.run_id;
  return row;
}

StatusOr<Checkpoint> CheckpointFromRow(const std::vector<std::string>& column_names,
                                       const std::vector<std::optional<std::string>>& row) {
  std::string missing;
  const auto column = [&](const char* name) -> const std::optional<std::string>& {
    static const std::optional<std::string> kAbsent;
    for (size_t i = 0; i < column_names.size() && i < row.size(); ++i) {
      if (column_names[i] == name) return row[i];
    }
    if (missing.empty()) missing = name;
    return kAbsent;
  };
  const auto text = [&](const char* name) { return column(name).value_or(""); };
  namespace col = checkpoint_column;
  Checkpoint c;
  c.tool_version = text(col::kToolVersion);
  c.alter = text(col::kAlterText);
  c.identity = text(col::kIdentity);
  c.chunk_key = text(col::kChunkKey);
  c.new_table = text(col::kNewTable);
  c.old_table = text(col::kOldTable);
  c.insert_trigger = text(col::kInsertTrigger);
  c.update_trigger = text(col::kUpdateTrigger);
  c.delete_trigger = text(col::kDeleteTrigger);
  const std::string phase_name = text(col::kPhase);
  const std::optional<std::string>& position = column(col::kPosition);
  const std::string rows_copied = text(col::kRowsCopied);
  const std::string rows_estimated = text(col::kRowsEstimated);
  c.original_fingerprint = text(col::kOriginalFingerprint);
  c.new_table_fingerprint = text(col::kNewTableFingerprint);
  c.triggers_fingerprint = text(col::kTriggersFingerprint);
  c.started_by = text(col::kStartedBy);
  c.note = text(col::kNote);
  c.started_at = text(col::kStartedAt);
  c.updated_at = text(col::kUpdatedAt);
  c.advanced_at = text(col::kAdvancedAt);
  const std::optional<std::string>& seconds = column(col::kSecondsSinceAdvanced);
  const std::optional<std::string>& own_triggers = column(col::kOwnTriggers);
  c.run_id = text(col::kRunId);
  if (!missing.empty()) return InternalError("the row has no column " + missing);

  std::optional<RunPhase> phase = ParseRunPhase(phase_name);
  if (!phase) {
    return InternalError("unknown phase '" + phase_name + "' (written by shadowalter " +
                         c.tool_version + "?)");
  }
  c.phase = *phase;
  if (position) {
    c.position = DecodePosition(*position);
    if (!c.position) return InternalError("malformed position '" + *position + "'");
  }
  c.rows_copied = std::strtoull(rows_copied.c_str(), nullptr, 10);
  c.rows_estimated = std::strtoull(rows_estimated.c_str(), nullptr, 10);
  if (seconds) c.seconds_since_advanced = std::strtoll(seconds->c_str(), nullptr, 10);
  if (own_triggers) {
    c.own_triggers = DecodeOwnTriggers(*own_triggers);
    if (!c.own_triggers) {
      return InternalError(
          "its saved own triggers are in a format this version can't read (written by "
          "shadowalter " +
          c.tool_version + "?)");
    }
  }
  return c;
}

}  // namespace shadowalter
