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
  // A FLOAT or DOUBLE into a text or binary column: an assignment writes the double's 17 digits
  // ('0.10000000149011612'), a native ALTER the column's own text ('0.1', '0.10' for
  // FLOAT(7,2)), which CAST(... AS CHAR) gives.
  bool float_as_text = false;
};

// Whether a value of `source` written into `target` must be converted as ColumnPair's
// float_as_text says.
bool FloatBecomesText(const Column& source, const Column& target);

// The expression that writes `value` (the source column, e.g. "NEW.`c`") into the pair's target
// as a native ALTER would: converted across TIMESTAMP or from FLOAT to text as the pair says.
std::string ValueForTarget(const std::string& value, const ColumnPair& pair);

// Columns present in both tables are copied; renames (CHANGE/RENAME COLUMN) are followed;
// explicitly dropped columns are skipped; generated columns of the new table are never written.
// A column of the original that vanished without being dropped is refused (kRefused): a rename
// done as DROP + ADD would lose its data.
StatusOr<std::vector<ColumnPair>> MapColumns(const TableInfo& source, const TableInfo& shadow,
                                             const AlterAnalysis& alter);

// One column that takes part in finding a row of the new table (sql/shadow_match.h).
struct KeyPair {
  Column source;  // in the original
  Column target;  // in the new table
};

// The key the copy walks and the triggers match rows by.
struct ChunkKey {
  std::string index_name;                 // in the original
  std::vector<Column> columns;            // original's columns, in index order
  std::vector<std::string> target_names;  // the same columns' names in the new table
  std::string shadow_index_name;          // the unique index the new table finds rows by
  // Empty when the new table has a unique key on target_names and compares them as the original
  // does: keys and ranges of the original then mean the same rows there. Otherwise
  // (sql/shadow_match.h) the new table's rows are matched one by one: shadow_key holds the
  // columns of shadow_index_name (NOT NULL), and match pairs each of them, then each walked key
  // column not among them, with its column in the original.
  std::vector<Column> shadow_key;
  std::vector<KeyPair> match;

  bool matches_row_by_row() const { return !match.empty(); }
};

// The primary key, else the first unique key whose columns are all NOT NULL and not prefixed.
// Refused (kRefused, naming what to do) when there is none, when its columns are of a type whose
// order can't be walked safely (FLOAT, DOUBLE, ENUM, SET, JSON, ...), when a key column is
// dropped, or when its type crosses TIMESTAMP (the two tables would order and compare its values
// in different time zones).
// The new table finds rows by its unique key on the same (mapped) columns, in whatever order and
// collation; failing that (a new primary key), by its primary key, or else first unique key, on
// NOT NULL columns copied from the original, provided the walked key's columns keep their exact
// type and collation (the original proves them unique; a converted value might not stay so).
StatusOr<ChunkKey> ChooseChunkKey(const TableInfo& source, const TableInfo& shadow,
                                  const std::vector<ColumnPair>& columns);

}  // namespace shadowalter
