// Columns of the new table that no column of the original feeds (added by the ALTER) and that
// are NOT NULL without a DEFAULT, e.g. ADD COLUMN w INT NOT NULL.
//
// A native ALTER gives existing rows the type's implicit value (0, '', the first ENUM member, a
// zero date); an INSERT that leaves such a column out fails under the run's strict sql_mode
// (1364, "doesn't have a default value"), in the copy and, worse, in the mirror triggers, i.e.
// in the application's own write. So the copy and the triggers write that same implicit value
// explicitly, as a literal. Pure.
#pragma once

#include <string>
#include <vector>

#include "schema/table.h"
#include "sql/column_map.h"
#include "util/status.h"

namespace shadowalter {

struct ImplicitFill {
  std::string target;   // the new table's column
  std::string literal;  // SQL literal of its type's implicit value, e.g. 0, '', 1 (ENUM)
};

// The fills the new table needs, in its column order: every column that is NOT NULL, not
// generated, not AUTO_INCREMENT (the server numbers it) and has no DEFAULT, and that no pair of
// `columns` writes. Refused (kRefused) for a type whose implicit value is not a plain literal
// (JSON, spatial types, MariaDB's INET4/INET6/UUID, ...), naming the column and the DEFAULT
// clause to add to the ALTER instead.
StatusOr<std::vector<ImplicitFill>> ImplicitFills(const TableInfo& shadow,
                                                  const std::vector<ColumnPair>& columns);

// "column `w` gets 0", for the log: one line naming every fill.
std::string DescribeFills(const std::vector<ImplicitFill>& fills);

}  // namespace shadowalter
