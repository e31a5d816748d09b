// Statements that walk the chunk key and copy one chunk. Pure: values in, SQL text out.
//
// One copy transaction (copy/copier.h splits each chunk into several) on the copy's session:
//   1. LockNextChunk: a locking read (shared, NOWAIT) of the next `rows` keys after the last
//      copied key. It locks exactly the rows the chunk will copy, and the gap up to them, so no
//      application write can slip between reading and copying them; and it never waits for an
//      application lock (NOWAIT fails at once, the chunk is retried), so the copy never becomes
//      the middle of a lock queue or a deadlock cycle. It returns the chunk's last key, or nothing
//      when fewer rows remain (the last chunk then runs to the end of the table).
//   2. ShadowKeysInRange + ClearRowsInShadow: removes rows the triggers already put into this
//      key range of the new table; the copy below rewrites them from the (locked, current) original
//      rows. Any duplicate the INSERT then meets is a real one: a key the ALTER added that the data
//      breaks.
//   3. CopyChunk: INSERT ... SELECT of the range, strict sql_mode: a value that does not fit is
//      an error, never a silently truncated warning.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/session.h"
#include "sql/column_map.h"
#include "sql/implicit_fills.h"

namespace shadowalter {

// One key value: a value per key column, as text from the server (never NULL: keys are NOT NULL).
using KeyTuple = std::vector<std::string>;

struct ChunkRange {
  std::optional<KeyTuple> after;    // exclusive lower bound; none: from the start
  std::optional<KeyTuple> through;  // inclusive upper bound; none: to the end
};

struct CopySpec {
  std::string schema;
  std::string table;
  std::string shadow_table;
  std::vector<ColumnPair> columns;
  ChunkKey key;
  ServerFlavor flavor = ServerFlavor::kMariaDB;
  // Columns of the new table no column feeds that need a value (sql/implicit_fills.h).
  std::vector<ImplicitFill> fills = {};
};

// A SQL literal for `value` of column `c` that compares with the column exactly as the column
// sorts: unquoted digits for numbers, hex for binary strings, quoted text otherwise.
std::string KeyLiteral(const Column& c, const std::string& value);

// WHERE-clause text selecting `range` on the key, naming columns by `names`, each preceded by
// `prefix` (a table alias and a dot, or nothing).
std::string RangePredicate(const ChunkKey& key, const std::vector<std::string>& names,
                           const ChunkRange& range, const std::string& prefix = "");

// The same two statements for one row, by exact key (used to diagnose a verification mismatch).
std::string ClearRowInShadow(const CopySpec& s, const KeyTuple& key);
std::string CopyRow(const CopySpec& s, const KeyTuple& key);

// The n-th key after `after` (n >= 1), non-locking: verification boundaries, and naming the row
// a failed chunk statement stopped at.
std::string NthKeyAfter(const CopySpec& s, const std::optional<KeyTuple>& after, uint64_t n);

std::string LockNextChunk(const CopySpec& s, const std::optional<KeyTuple>& after, uint64_t rows);

// The n-th key of `range` (n >= 1), non-locking: where the next INSERT of a chunk that is copied
// in several statements ends. Nothing when fewer remain.
std::string NthKeyInRange(const CopySpec& s, const ChunkRange& range, uint64_t n);

// A parallel copy's piece (bounds chosen beforehand by NthKeyAfter): locks every row of `range`
// and the gaps between them, shared and NOWAIT, and counts them.
std::string LockRange(const CopySpec& s, const ChunkRange& range);

// Step 2 in two statements. ShadowKeysInRange reads (non-locking) the keys the triggers already
// wrote into `range` of the new table: with the original's range locked, each of them is
// committed and no new one can arrive. ClearRowsInShadow deletes exactly those keys. A DELETE of
// the whole range would also lock the gap after it, up to the next row of the new table, and
// where the copy has not been yet that gap is wide: every trigger write of an application row
// further on would wait there until the copy commits. Exact-key deletes lock only their rows.
// Where the new table can't be walked by the original's key terms (ChunkKey::match, see
// sql/shadow_match.h), ShadowKeysInRange instead joins the range's original rows (locked) to
// their mirrors through the new table's key, and returns that key's values; ClearRowsInShadow
// then deletes by them.
std::string ShadowKeysInRange(const CopySpec& s, const ChunkRange& range);
std::string ClearRowsInShadow(const CopySpec& s, const std::vector<KeyTuple>& keys);
std::string CopyChunk(const CopySpec& s, const ChunkRange& range);

// On a Galera Cluster, after a copy transaction committed (see RangeCopier): the original's keys
// in `range`, and a DELETE of the new table's rows with `keys` (its own key values, as
// ShadowKeysInRange returns them) that the original holds no row for, checked row by row in the
// same statement, so a row written meanwhile (in both tables at once) is never deleted. Only
// where the new table is walked by the original's key terms (not ChunkKey::matches_row_by_row).
std::string OriginalKeysInRange(const CopySpec& s, const ChunkRange& range);
std::string ClearOrphansInShadow(const CopySpec& s, const std::vector<KeyTuple>& keys);

// Names of the key columns in the original.
std::vector<std::string> SourceKeyNames(const ChunkKey& key);

}  // namespace shadowalter
