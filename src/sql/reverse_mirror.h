// The mirror taken backwards, for a revertible swap: once the new table is the table, triggers on
// it keep the old table (_<t>_old) current through the ALTER's column map taken backwards, so that
// swapping back loses no write made since the swap. Pure.
//
// Taken backwards: each (original column -> new column) pair becomes (new -> original), a
// TIMESTAMP crossing converts the other way, a column the ALTER added is not carried back, and a
// column it dropped keeps its old value on an updated row and gets its default (or its type's
// implicit value: sql/implicit_fills.h) on an inserted one. A write the old table refuses is
// skipped and recorded in its own refusal log, as the forward mirror does (sql/refusals.h).
#pragma once

#include <string>
#include <vector>

#include "schema/table.h"
#include "sql/column_map.h"
#include "sql/names.h"
#include "sql/triggers.h"
#include "util/status.h"

namespace shadowalter {

// Why a value of `from` (a column of the new table) written into `to` (the old table's) could be
// stored changed without an error, "" when it is stored exactly or refused (strict mode: too
// long, out of range, not a member). The reverse triggers record refusals, never silent changes
// (rounded fractions of seconds or decimals, DOUBLE made FLOAT, trailing spaces a CHAR strips,
// zero bytes a BINARY pads with), so those type changes can't be made revertible. Pure.
std::string ReverseChangesValues(const Column& from, const Column& to);

// `forward` taken backwards.
std::vector<ColumnPair> ReverseColumns(const std::vector<ColumnPair>& forward);

// The triggers to create on the new table, while it still has its own name (names.shadow_table)
// under the swap's lock, writing into the old table under the name it gets from the RENAME
// (names.old_table). `original` and `shadow` are the two tables as inspected before the swap,
// `forward` the copy's column map. Refused (kRefused, saying why) when the old table can't find
// the new table's rows by a key (ChooseChunkKey taken backwards), when a column only the old
// table has can't be given a value (ImplicitFills), or when a value could come back changed
// (ReverseChangesValues).
StatusOr<TriggerSpec> ReverseMirror(const std::string& schema, const ArtifactNames& names,
                                    const TableInfo& original, const TableInfo& shadow,
                                    const std::vector<ColumnPair>& forward);

}  // namespace shadowalter
