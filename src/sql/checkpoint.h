// Statements that keep a run's checkpoint in its one-row table (_<t>_state). Pure: they take the
// row as column text (CheckpointRow), already encoded; state/checkpoint_row.h turns a Checkpoint
// into that text and a fetched row back into a Checkpoint.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace shadowalter {

// The columns of the checkpoint table, by name: what SelectCheckpoint returns and what the
// reader maps them by. The on-disk format: a table written by any earlier build reads the same.
namespace checkpoint_column {
inline constexpr char kToolVersion[] = "tool_version";
inline constexpr char kAlterText[] = "alter_text";
inline constexpr char kIdentity[] = "identity";
inline constexpr char kChunkKey[] = "chunk_key";
inline constexpr char kNewTable[] = "new_table";
inline constexpr char kOldTable[] = "old_table";
inline constexpr char kInsertTrigger[] = "insert_trigger";
inline constexpr char kUpdateTrigger[] = "update_trigger";
inline constexpr char kDeleteTrigger[] = "delete_trigger";
inline constexpr char kPhase[] = "phase";
inline constexpr char kPosition[] = "position";
inline constexpr char kRowsCopied[] = "rows_copied";
inline constexpr char kRowsEstimated[] = "rows_estimated";
inline constexpr char kOriginalFingerprint[] = "original_fingerprint";
inline constexpr char kNewTableFingerprint[] = "new_table_fingerprint";
inline constexpr char kTriggersFingerprint[] = "triggers_fingerprint";
inline constexpr char kStartedBy[] = "started_by";
inline constexpr char kNote[] = "note";
inline constexpr char kStartedAt[] = "started_at";
inline constexpr char kUpdatedAt[] = "updated_at";
inline constexpr char kAdvancedAt[] = "advanced_at";
inline constexpr char kOwnTriggers[] = "own_triggers";
inline constexpr char kRunId[] = "run_id";
// Not stored: computed by SelectCheckpoint (seconds since advanced_at, by the server's clock).
inline constexpr char kSecondsSinceAdvanced[] = "seconds_since_advanced";
}  // namespace checkpoint_column

// The row as written: each field the text of its column. nullopt is SQL NULL.
struct CheckpointRow {
  std::string tool_version;
  std::string alter_text;
  std::string identity;
  std::string chunk_key;
  std::string new_table, old_table, insert_trigger, update_trigger, delete_trigger;
  std::string phase;
  std::optional<std::string> position;
  uint64_t rows_copied = 0;
  uint64_t rows_estimated = 0;
  std::string original_fingerprint, new_table_fingerprint, triggers_fingerprint;
  std::string started_by;
  std::string note;
  std::optional<std::string> own_triggers;
  std::optional<std::string> run_id;
};

// The table: one row (id = 1), since one run at a time works on a table (the run lock).
std::string CreateCheckpointTable(const std::string& schema, const std::string& table);

// Writes every field of `row` as the run's row, replacing any earlier one; times are the server's
// UTC_TIMESTAMP.
std::string WriteCheckpoint(const std::string& schema, const std::string& table,
                            const CheckpointRow& row);

// Moves the run to the phase named `phase`.
std::string UpdateCheckpointPhase(const std::string& schema, const std::string& table,
                                  const std::string& phase);

// Records a copied chunk: the last key copied (encoded) and the running total. Cheap: one
// primary-key update per chunk.
std::string UpdateCheckpointPosition(const std::string& schema, const std::string& table,
                                     const std::string& position, uint64_t rows_copied);

// Sets one of the text columns (fingerprints, note, run id) by name; `column` is one of
// checkpoint_column's names, never user input.
std::string UpdateCheckpointText(const std::string& schema, const std::string& table,
                                 const std::string& column, const std::string& value);

// Saves the table's own triggers (--preserve-triggers, encoded) in the row.
std::string UpdateCheckpointOwnTriggers(const std::string& schema, const std::string& table,
                                        const std::string& own_triggers);

// The checkpoint format's changes so far: the own_triggers column, then the run_id column, each
// added after the first release. A table made before lacks them: these queries count one (0 or
// 1), the ALTERs add it (a one-row table: instant enough). Older builds name their columns, so
// they ignore both.
std::string CountOwnTriggersColumn(const std::string& schema, const std::string& table);
std::string AddOwnTriggersColumn(const std::string& schema, const std::string& table);
std::string CountRunIdColumn(const std::string& schema, const std::string& table);
std::string AddRunIdColumn(const std::string& schema, const std::string& table);

// Reads the row back: every checkpoint_column, each under its name. Without the own_triggers or
// the run_id column (an older table) a NULL stands under that name.
std::string SelectCheckpoint(const std::string& schema, const std::string& table,
                             bool with_own_triggers, bool with_run_id);

}  // namespace shadowalter
