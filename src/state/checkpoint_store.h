// Reads and writes a run's checkpoint (state/checkpoint.h) in its table on the primary.
#pragma once

#include <optional>
#include <string>

#include "db/session.h"
#include "state/checkpoint.h"
#include "util/status.h"

namespace shadowalter {

class CheckpointStore {
 public:
  // `table` is the checkpoint table's name (ArtifactNames::checkpoint_table) in `schema`.
  CheckpointStore(std::string schema, std::string table)
      : schema_(std::move(schema)), table_(std::move(table)) {}

  // Creates the table (if missing) and writes `c` as the run's row.
  Status Create(Session& s, const Checkpoint& c) const;
  Status SetPhase(Session& s, RunPhase phase) const;
  Status RecordPosition(Session& s, const std::vector<std::string>& position,
                        uint64_t rows_copied) const;
  Status SetNewTableFingerprint(Session& s, const std::string& fingerprint) const;
  Status SetTriggersFingerprint(Session& s, const std::string& fingerprint) const;
  Status SetOriginalFingerprint(Session& s, const std::string& fingerprint) const;
  Status SetNote(Session& s, const std::string& note) const;
  Status SetChunkKey(Session& s, const std::string& chunk_key) const;
  // Saves the table's own triggers; adds their column first to a table an older build made.
  Status SetOwnTriggers(Session& s, const std::vector<Trigger>& triggers) const;
  // Records the run's id; adds its column first to a table an older build made.
  Status SetRunId(Session& s, const std::string& run_id) const;

  // The run's checkpoint, or nullopt when the table does not exist or holds no row. A row this
  // version cannot read (unknown phase, malformed position or own triggers) is an error naming
  // the table. A table an older build made (no own_triggers or run_id column) loads with
  // own_triggers nullopt, run_id "".
  StatusOr<std::optional<Checkpoint>> Load(Session& s) const;

 private:
  StatusOr<bool> HasOwnTriggersColumn(Session& s) const;
  StatusOr<bool> HasRunIdColumn(Session& s) const;

  std::string schema_;
  std::string table_;
};

}  // namespace shadowalter
