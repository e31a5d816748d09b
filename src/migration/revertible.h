// A revertible swap (--revertible): the old table is kept after the swap and kept current by
// reverse triggers on the new table (sql/reverse_mirror.h), so that `shadowalter revert` can swap
// back, losing no write, until `shadowalter finish` ends it.
//
// The run's part: PlanReverseSide before anything is made (refusing what it can't keep current),
// the swap creating the reverse triggers on the new table under its write lock (right before the
// RENAME: migration/trigger_cutover.h), and RecordRevertible once the swap is done. `revert` and
// `finish` (migration/revert_commands.h) then work from what RecordRevertible put on record.
//
// What is on record, and checked by `revert` under the table's write lock, so that a revert
// never brings back a table that missed writes:
//  - the reverse triggers' definitions and creation times, and both tables' InnoDB table ids
//    (a TRUNCATE or rebuild of either table: TRUNCATE fires no trigger), taken under the swap's
//    lock right before its RENAME, and found unchanged once the swap is done (RecordRevertible);
//  - both tables' definitions, taken once the swap is done (an ALTER of either since);
//  - the reverse refusal log empty (a write the old table refused would be lost).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "db/session.h"
#include "schema/table.h"
#include "sql/column_map.h"
#include "sql/names.h"
#include "state/checkpoint.h"
#include "util/status.h"

namespace shadowalter {

struct ReverseSide {
  // (name, CREATE TRIGGER statement) in the order to create them: delete, update, insert (the
  // same order as the forward triggers, so a half-made set never inserts without deleting).
  std::vector<std::pair<std::string, std::string>> triggers;
  std::string refusal_log_create;  // the reverse refusal log (_<t>_rrefused)
};

// The reverse side of a run altering `original` into `shadow` through `forward`. Refused
// (kRefused, naming why and what to do) for a table with foreign keys (its own or other tables'),
// with triggers of its own, or whose rows the old table can't find by a key.
StatusOr<ReverseSide> PlanReverseSide(const std::string& schema, const ArtifactNames& names,
                                      const TableInfo& original, const TableInfo& shadow,
                                      const std::vector<ColumnPair>& forward);

// `names` with the reverse triggers in the places of the forward ones, for the artifact readers
// that take ArtifactNames (FindArtifacts' triggers, TriggerDefinitionsText, TriggersCreatedText).
ArtifactNames ReverseTriggerNames(const ArtifactNames& names);

// The reverse triggers' fingerprint: definitions and creation times. An error (kAborted) when
// any of the three is missing or not on `on_table`.
StatusOr<std::string> ReverseTriggersFingerprint(Session& s, const std::string& schema,
                                                 const std::string& on_table,
                                                 const ArtifactNames& names);

// The fingerprint of the InnoDB table ids of `table` and `old_table` (table ids follow a
// RENAME). An error (kRefused) when either can't be read: the ids are what shows a TRUNCATE.
StatusOr<std::string> TableIdsFingerprint(Session& s, const std::string& schema,
                                          const std::string& table, const std::string& old_table);

// The fingerprint of both tables' definitions (AUTO_INCREMENT aside), once swapped.
StatusOr<std::string> DefinitionsFingerprint(Session& s, const std::string& schema,
                                             const std::string& table, const ArtifactNames& names);

// Whether the run on record was started with --revertible (its identity says so).
bool IsRevertibleRun(const Checkpoint& c);

}  // namespace shadowalter
