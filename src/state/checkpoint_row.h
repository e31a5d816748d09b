// A checkpoint (state/checkpoint.h) as its table's row (sql/checkpoint.h), and back: the one
// place that encodes its fields into column text and decodes column text into fields. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sql/checkpoint.h"
#include "state/checkpoint.h"
#include "util/status.h"

namespace shadowalter {

// Every field of `c` but the read-back-only ones (times, seconds_since_advanced) as column text:
// the phase by name, the position and own triggers encoded, nullopt ones (and no run id) NULL.
CheckpointRow ToCheckpointRow(const Checkpoint& c);

// The checkpoint in a row that SelectCheckpoint fetched, each column found by its name in
// `column_names` (in any order). An InternalError when a column is missing, or for a value this
// version cannot read (unknown phase, malformed position or own triggers); the caller adds which
// table it read. A NULL own_triggers (none recorded, or an older table) leaves own_triggers
// nullopt, a NULL run_id (an older table) leaves run_id "", a NULL seconds_since_advanced leaves
// -1.
StatusOr<Checkpoint> CheckpointFromRow(const std::vector<std::string>& column_names,
                                       const std::vector<std::optional<std::string>>& row);

}  // namespace shadowalter
