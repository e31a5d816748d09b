// Finding, in the new table, the row that mirrors a row of the original. Pure: columns in, SQL
// text out.
//
// Usually the new table has a unique key on the walked key's columns, and compares them as the
// original does: a key value, or a range of them, means the same rows in both tables. Two kinds
// of ALTER break that, and the new table is then matched row by row instead (ChunkKey::match):
//  - the key columns change collation, character set or type (utf8mb3 -> utf8mb4, _ci -> _bin,
//    INT -> VARCHAR): the new table orders and compares them differently, so a range of the
//    original is not a range of the new table, and comparing the two columns directly mixes
//    collations (error 1267);
//  - the primary key changes (DROP PRIMARY KEY, ADD PRIMARY KEY (id, k)): the new table has no
//    unique key on the walked key's columns.
// The new table's counterpart of an original row is then the row whose unique key (the one the
// new table identifies rows by) holds the original's values as the ALTER converts them, compared
// in the new column's own terms so its index finds it, and whose text is exactly those bytes: a
// coarser collation ('a' = 'A' under _ci, where the original told them apart) never matches the
// mirror of another original row.
#pragma once

#include <functional>
#include <string>

#include "schema/table.h"
#include "sql/column_map.h"

namespace shadowalter {

// Whether values of `source` keep their order and equality as values of `target`: the same type
// and collation, or integers on both sides. Literals and ranges of the original then select the
// same rows in the new table.
bool ComparesAlike(const Column& source, const Column& target);

// `expr`, a value of the original's column `source`, as the new table's column `target` holds
// it, typed so that `target = <result>` compares in target's collation (and can use its index).
std::string ShadowValue(const Column& source, const Column& target, const std::string& expr);

// The condition on the new table's columns (each prefixed by `shadow_prefix`, e.g. "s." or "")
// that finds the counterpart of one original row, whose column values are `source_expr(column)`
// (e.g. "OLD.`k`", "o.`k`" or a literal). NULL-safe. Needs key.match (non-empty).
std::string ShadowRowMatch(const ChunkKey& key, const std::string& shadow_prefix,
                           const std::function<std::string(const Column&)>& source_expr);

// "the two values are the same bytes" for a column of the new table: `a` and `b` are expressions
// of target's type. Text compares as bytes, anything else by value (NULL-safe).
std::string SameBytes(const Column& target, const std::string& a, const std::string& b);

}  // namespace shadowalter
