// Statements that compare one key range of the original and the new table (verification).
//
// One statement per range joins each of the original's rows to its counterpart in the new table
// and compares every compared column exactly: numbers and times by value (floats by their text
// too), everything else as bytes (so no collation calls 'a' and 'A' equal). Only counts cross the
// network. A single statement reads both tables in one snapshot, and the triggers write the new
// table inside the writer's own transaction, so the two tables agree in it whatever the application
// is doing: a difference found is a real one. There is no hash, so no two different rows can
// compare equal.
#pragma once

#include <string>
#include <vector>

#include "sql/chunk.h"

namespace shadowalter {

struct ComparisonPlan {
  std::vector<ColumnPair> compared;  // columns that take part
  std::vector<std::string> skipped;  // columns that can't be compared, with the reason
};

// Decides per column how to compare: columns of the same type directly; a changed type through
// the new column's form (numbers as its integer or DECIMAL type, times as its temporal type, text
// in its character set); others are skipped.
ComparisonPlan PlanComparison(const std::vector<ColumnPair>& columns, const TableInfo& source,
                              const TableInfo& shadow);

// One row: the original's rows in `range`; how many of them have a counterpart in the new table
// equal in every compared column; and the new table's rows in `range` (NULL where the new table
// is matched row by row, ChunkKey::matches_row_by_row: TableRowsQuery covers it). The range
// agrees when the three are equal. Non-locking.
std::string CompareRangeQuery(const CopySpec& s, const ComparisonPlan& plan,
                              const TableInfo& source, const TableInfo& shadow,
                              const ChunkRange& range);

// The first of the original's rows in `range`, in key order, that the new table lacks or holds
// differently: its key values, then 1 when the new table has the row (it differs) or 0 (it is
// missing). No row when there is none.
std::string FirstDifferenceQuery(const CopySpec& s, const ComparisonPlan& plan,
                                 const TableInfo& source, const TableInfo& shadow,
                                 const ChunkRange& range);

// The first row of the new table in `range` with no row in the original: its key values (the
// original's key columns as the new table names them). Not for row-by-row matching.
std::string FirstExtraRowQuery(const CopySpec& s, const ChunkRange& range);

// Where the new table's rows are matched one by one (ChunkKey::matches_row_by_row), a range
// covers only the mirrors of the original's rows in it, so a row mirroring none would go unseen:
// SELECT COUNT(*) of a whole table, read for both tables in one snapshot, finds it.
std::string TableRowsQuery(const CopySpec& s, bool on_shadow);

}  // namespace shadowalter
