// Which column of the original feeds which column of the new table, and which key the copy walks.
#pragma once

#include <string>
#include <vector>

#include "schema/table.h"
#include "sql/alter_clauses.h"
#include "sql/time_zones.h"
#include "util/status.h"

namespace shadowalter {

struct ColumnPair {
  std::string source;  // column name in the original
  std::string target;  // column name in the new table
  // Whether the value crosses TIMESTAMP: then it is converted in the server's global time zone,
  // as a native ALTER in a default session converts it (sql/time_zones.h).
  ZoneShift zone = ZoneShift::kNone;
};

// Columns present in both tables are copied; renames (CHANGE/RENAME COLUMN) are followed;
// explicitly dropped columns are skipped; generated columns of the new table are never written.
// A column of the original that vanished without being dropped is refused (kRefused): a rename
// done as DROP + ADD would lose its data.
StatusOr<std::vector<ColumnPair>> MapColumns(const TableInfo& source, const TableInfo& shadow,
                                             const AlterAnalysis& alter);

// The key the copy walks and the triggers match rows by.
struct ChunkKey {
  std::string index_name;                 // in the original
  std::vector<Column> columns;            // original's columns, in index order
  std::vector<std::string> target_names;  // the same columns' names in the new table
  std::string shadow_index_name;          // the unique index on them in the new table
};

// The primary key, else the first unique key whose columns are all NOT NULL and not prefixed.
// Refused (kRefused, naming what to do) when there is none, when its columns are of a type whose
// order can't be walked safely (FLOAT, DOUBLE, ENUM, SET, JSON, ...), or when the new table has no
// unique index on exactly the same (mapped) columns, or when a key column's type crosses TIMESTAMP
// (the two tables would order and compare its values in different time zones).
StatusOr<ChunkKey> ChooseChunkKey(const TableInfo& source, const TableInfo& shadow,
                                  const std::vector<ColumnPair>& columns);

}  // namespace shadowalter
