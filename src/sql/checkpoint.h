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

// Reads the row back; columns in the order ReadCheckpointRow (state/checkpoint_store.cc) expects.
std::string SelectCheckpoint(const std::string& schema, const std::string& table);

}  // namespace shadowalter
