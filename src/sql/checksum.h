// Statements that compare one key range of the original and the new table (verification).
// Both sides are reduced on the server to a row count and an order-independent checksum of the
// copied columns (the SUM of 64 bits of SHA-256 per row, over a length-prefixed encoding of the
// row's values), so only two numbers per table cross the network. Equal values give equal sums;
// any change to a row changes its hash except with chance 2^-64, and changes in several rows
// don't cancel (as they can under a linear per-row CRC32).
#pragma once

#include <string>
#include <vector>

#include "sql/chunk.h"

namespace shadowalter {

struct ChecksumPlan {
  std::vector<ColumnPair> compared;  // columns that take part
  std::vector<std::string> skipped;  // columns that can't be compared, with the reason
};

// Decides per column how to compare: columns of the same type directly; a changed type through
// a common form (numbers as DECIMAL, times as DATETIME(6), text in utf8mb4); others are skipped.
ChecksumPlan PlanChecksum(const std::vector<ColumnPair>& columns, const TableInfo& source,
                          const TableInfo& shadow);

// SELECT COUNT(*), checksum FROM <source or shadow> WHERE range (non-locking read). The checksum
// is NULL when the range is empty.
std::string ChecksumQuery(const CopySpec& s, const ChecksumPlan& plan, const TableInfo& source,
                          const TableInfo& shadow, bool on_shadow, const ChunkRange& range);

// SELECT key..., row hash FROM ... WHERE range ORDER BY key: finds the first differing row.
std::string RowHashQuery(const CopySpec& s, const ChecksumPlan& plan, const TableInfo& source,
                         const TableInfo& shadow, bool on_shadow, const ChunkRange& range);

// Where the new table's rows are matched one by one (ChunkKey::matches_row_by_row), its side of
// a range counts only the mirrors of the original's rows in it, so a row mirroring none would go
// unseen: SELECT COUNT(*) of a whole table, read for both tables in one snapshot, finds it.
std::string TableRowsQuery(const CopySpec& s, bool on_shadow);

}  // namespace shadowalter
