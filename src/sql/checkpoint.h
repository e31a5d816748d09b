// Statements that keep a run's checkpoint (state/checkpoint.h) in its one-row table. Pure.
#pragma once

#include <string>

#include "state/checkpoint.h"

namespace shadowalter {

// The table: one row (id = 1), since one run at a time works on a table (the run lock).
std::string CreateCheckpointTable(const std::string& schema, const std::string& table);

// Writes every field of `c` as the run's row, replacing any earlier one; times are the server's
// UTC_TIMESTAMP.
std::string WriteCheckpoint(const std::string& schema, const std::string& table,
                            const Checkpoint& c);

// Moves the run to `phase`.
std::string UpdateCheckpointPhase(const std::string& schema, const std::string& table,
                                  RunPhase phase);

// Records a copied chunk: the last key copied and the running total. Cheap: one primary-key
// update per chunk.
std::string UpdateCheckpointPosition(const std::string& schema, const std::string& table,
                                     const std::vector<std::string>& position,
                                     uint64_t rows_copied);

// Sets one of the text columns (fingerprints, note) by name; `column` is one of this file's own
// column names, never user input.
std::string UpdateCheckpointText(const std::string& schema, const std::string& table,
                                 const std::string& column, const std::string& value);

// Saves the table's own triggers (--preserve-triggers) in the row.
std::string UpdateCheckpointOwnTriggers(const std::string& schema, const std::string& table,
                                        const std::vector<Trigger>& triggers);

// The checkpoint format's only change so far: the own_triggers column, added after the first
// release. A table made before lacks it: this query counts it (0 or 1), the ALTER adds it (a
// one-row table: instant enough). Older builds name their columns, so they ignore it.
std::string CountOwnTriggersColumn(const std::string& schema, const std::string& table);
std::string AddOwnTriggersColumn(const std::string& schema, const std::string& table);

// Reads the row back; columns in the order CheckpointStore::Load expects. Without the
// own_triggers column (an older table) its place holds NULL.
std::string SelectCheckpoint(const std::string& schema, const std::string& table,
                             bool with_own_triggers);

}  // namespace shadowalter
