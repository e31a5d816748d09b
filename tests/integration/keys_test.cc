// Walking the chunk key: composite keys whose chunk boundaries fall inside runs of equal leading
// values, text keys under a case-insensitive collation (mixed case, trailing spaces, accents,
// quotes and backslashes), a table walked through a NOT NULL unique key instead of a primary key,
// tables without any walkable key, which are refused before anything is created, and
// key-changing updates of a composite key while the copy runs.
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "db/quote.h"
#include "sandbox.h"

namespace shadowalter::testing {
namespace {

std::string ShowCreate(Session& s, const std::string& table) {
  auto rows = Rows(s, "SHOW CREATE TABLE " + QuoteIdentifier(table));
  return rows.empty() ? "" : rows[0];
}

std::vector<std::string> TablesAndTriggers(Session& s) {
  std::vector<std::string> out = Rows(
      s,
      "SELECT CONCAT('table ', TABLE_NAME) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
      "DATABASE() ORDER BY TABLE_NAME");
  for (const auto& t : Rows(s,
                            "SELECT CONCAT('trigger ', TRIGGER_NAME) FROM "
                            "information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() "
                            "ORDER BY TRIGGER_NAME")) {
    out.push_back(t);
  }
  return out;
}

class ChunkKeyTest : public SandboxTest {
 protected:
  // Runs an ALTER on `t` and checks the refusal: exit 5, one error line naming the missing key,
  // nothing created, the table exactly as it was.
  void ExpectRefused() {
    const std::string create = ShowCreate(*db_, "t");
    const std::string checksum = TableChecksum(*db_, "t");
    const auto objects = TablesAndTriggers(*db_);
    RunResult r = RunShadowalter({"--alter", "ADD COLUMN extra INT NULL", "--execute",
                                  "--no-attempt-instant", PrimaryDsn(schema_, "t")});
    EXPECT_EQ(r.exit_code, 5) << r.err;
    const auto errors = ErrorLines(r.err);
    ASSERT_EQ(errors.size(), 1u) << r.err;
    EXPECT_NE(errors[0].find("no primary key and no unique key on NOT NULL columns"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find("new table `_t_new`"), std::string::npos)
        << "nothing should have been created: " << r.err;
    EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
    EXPECT_EQ(ShowCreate(*db_, "t"), create);
    EXPECT_EQ(TableChecksum(*db_, "t"), checksum);
    EXPECT_EQ(TablesAndTriggers(*db_), objects);
  }
};

// A composite primary key with 50 rows per leading value and a chunk size of 7: nearly every
// chunk boundary lies inside a run of equal `a`, so the (a > x) OR (a = x AND b > y) walk must be
// exact, or rows are skipped or copied twice (the latter fails on the primary key).
TEST_F(ChunkKeyTest, CompositeKeyWithBoundariesInsideEqualLeadingValues) {
  Exec(*db_,
       "CREATE TABLE t (a INT NOT NULL, b VARCHAR(20) NOT NULL, v INT NOT NULL, "
       "note VARCHAR(30) NULL, PRIMARY KEY (a, b)) ENGINE=InnoDB");
  // b sorts as text ('k0', 'k1', 'k10', ...), not in insertion order; a includes negatives.
  Exec(*db_,
       "INSERT INTO t SELECT CAST(seq AS SIGNED) DIV 50 - 10, CONCAT('k', seq % 50), seq, "
       "IF(seq % 3 = 0, NULL, CONCAT('n', seq)) FROM seq_0_to_2999");
  // Key values that need quoting in the boundary literals, and one that sorts before its prefix.
  Exec(*db_,
       "INSERT INTO t VALUES (5, 'it''s', 1, NULL), (5, 'back\\\\slash', 2, 'x'), "
       "(5, 'k1\\t', 3, 'tab, sorts before k1'), (5, '', 4, 'empty')");
  const std::string select = "SELECT a, HEX(b), v, note FROM t ORDER BY a, b";
  const auto before = Rows(*db_, select);
  ASSERT_EQ(before.size(), 3004u);

  RunResult r =
      RunShadowalter({"--alter", "ADD COLUMN extra INT NULL", "--execute", "--no-attempt-instant",
                      "--chunk-size", "7", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("copied 3004 rows"), std::string::npos) << r.err;

  const auto after = Rows(*db_, select);
  EXPECT_EQ(after.size(), before.size());
  EXPECT_TRUE(after == before) << "rows differ after the copy";
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t WHERE extra IS NULL"), "3004");
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

// Three key columns of different kinds: a negative DECIMAL, DATETIME(6) differing only in
// microseconds, and text. Boundaries fall inside runs of equal first and second columns.
TEST_F(ChunkKeyTest, ThreeColumnKeyOfDecimalDatetimeAndText) {
  Exec(*db_,
       "CREATE TABLE t (d DECIMAL(10,3) NOT NULL, ts DATETIME(6) NOT NULL, "
       "name VARCHAR(10) NOT NULL, v INT NOT NULL, PRIMARY KEY (d, ts, name))");
  Exec(*db_,
       "INSERT INTO t SELECT (seq DIV 100) * 1.5 - 7.25, "
       "'2024-02-29 23:59:59' + INTERVAL ((seq DIV 10) % 10) MICROSECOND, "
       "CONCAT('n', seq % 10), seq FROM seq_0_to_1999");
  const std::string select = "SELECT d, ts, HEX(name), v FROM t ORDER BY d, ts, name";
  const auto before = Rows(*db_, select);
  ASSERT_EQ(before.size(), 2000u);

  RunResult r =
      RunShadowalter({"--alter", "ADD COLUMN extra INT NULL", "--execute", "--no-attempt-instant",
                      "--chunk-size", "3", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("copied 2000 rows"), std::string::npos) << r.err;
  EXPECT_TRUE(Rows(*db_, select) == before) << "rows differ after the copy";
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

// A text primary key under a case-insensitive, accent-insensitive, PAD SPACE collation: the walk
// compares on the server with the column's collation, so mixed case, accents, a trailing space,
// a tab (which sorts before the end of a shorter value under PAD SPACE) and values needing
// escapes are all copied exactly, spelling and bytes included.
TEST_F(ChunkKeyTest, CaseInsensitiveTextKeyKeepsEverySpelling) {
  Exec(*db_,
       "CREATE TABLE t (k VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci "
       "NOT NULL PRIMARY KEY, v INT NOT NULL)");
  Exec(*db_,
       "INSERT INTO t VALUES ('Apple', 1), ('banana', 2), ('CHERRY', 3), ('dAtE', 4), "
       "('Ärger', 5), ('Øre', 6), ('über', 7), ('ñandú', 8), ('Zebra ', 9), "
       "('tab\\t', 10), ('tab', 11), ('O''Brien', 12), ('C:\\\\dir', 13), "
       "('percent%_', 14), ('日本語', 15), ('smile 😀', 16), ('MiXeD cAsE', 17), "
       "('z', 18), ('Z1', 19), ('  leading', 20)");
  // Plus generated mixed-case keys: KEY0001, key0002, KEY0003, ...
  Exec(*db_,
       "INSERT INTO t SELECT CONCAT(IF(seq % 2, 'KEY', 'key'), LPAD(seq, 4, '0')), seq + 100 "
       "FROM seq_1_to_400");
  const std::string select = "SELECT HEX(k), v FROM t ORDER BY k";
  const auto before = Rows(*db_, select);
  ASSERT_EQ(before.size(), 420u);

  RunResult r =
      RunShadowalter({"--alter", "ADD COLUMN extra INT NULL", "--execute", "--no-attempt-instant",
                      "--chunk-size", "3", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("copied 420 rows"), std::string::npos) << r.err;
  const auto after = Rows(*db_, select);
  EXPECT_EQ(after.size(), before.size());
  EXPECT_TRUE(after == before) << "keys or values changed (case, accents, trailing bytes)";
  EXPECT_EQ(Scalar(*db_, "SELECT HEX(k) FROM t WHERE v = 9"), "5A6562726120");  // 'Zebra '
  EXPECT_EQ(Scalar(*db_, "SELECT k FROM t WHERE v = 5"), "Ärger");
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

// Under a NO PAD collation 'a' and 'a ' are different keys and coexist: both must arrive.
TEST_F(ChunkKeyTest, NoPadCollationKeepsValuesDifferingOnlyByTrailingSpace) {
  Exec(*db_,
       "CREATE TABLE t (k VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin "
       "NOT NULL PRIMARY KEY, v INT NOT NULL)");
  Exec(*db_,
       "INSERT INTO t SELECT CONCAT('k', seq % 50, REPEAT(' ', seq DIV 50)), seq "
       "FROM seq_0_to_199");
  const std::string select = "SELECT HEX(k), v FROM t ORDER BY k";
  const auto before = Rows(*db_, select);
  ASSERT_EQ(before.size(), 200u);

  RunResult r =
      RunShadowalter({"--alter", "ADD COLUMN extra INT NULL", "--execute", "--no-attempt-instant",
                      "--chunk-size", "3", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("copied 200 rows"), std::string::npos) << r.err;
  EXPECT_TRUE(Rows(*db_, select) == before) << "values differing by trailing spaces were lost";
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

// No primary key: the copy walks the unique key whose columns are all NOT NULL, not a unique key
// over a nullable column (which may hold many NULLs), even when that one comes first by name.
TEST_F(ChunkKeyTest, NoPrimaryKeyWalksTheNotNullUniqueKey) {
  Exec(*db_,
       "CREATE TABLE t (n INT NULL, code VARCHAR(20) NOT NULL, v INT NOT NULL, "
       "UNIQUE KEY a_nullable (n), UNIQUE KEY uk_code (code)) ENGINE=InnoDB");
  Exec(*db_,
       "INSERT INTO t SELECT IF(seq % 4 = 0, NULL, seq), CONCAT('C', seq * 7 % 1009), seq "
       "FROM seq_1_to_1000");
  const std::string select = "SELECT n, code, v FROM t ORDER BY code";
  const auto before = Rows(*db_, select);
  ASSERT_EQ(before.size(), 1000u);

  RunResult plan = RunShadowalter({"--alter", "ADD COLUMN extra INT NULL", "--dry-run",
                                   "--chunk-size", "7", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_NE(plan.out.find("Chunk key: `uk_code` (code)"), std::string::npos) << plan.out;

  RunResult r =
      RunShadowalter({"--alter", "ADD COLUMN extra INT NULL", "--execute", "--no-attempt-instant",
                      "--chunk-size", "7", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("copied 1000 rows"), std::string::npos) << r.err;
  EXPECT_TRUE(Rows(*db_, select) == before) << "rows differ after the copy";
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t WHERE n IS NULL"), "250");
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

TEST_F(ChunkKeyTest, OnlyANullableUniqueKeyIsRefused) {
  Exec(*db_, "CREATE TABLE t (n INT NULL, v INT NOT NULL, UNIQUE KEY uk_n (n), KEY (v))");
  Exec(*db_, "INSERT INTO t SELECT IF(seq % 3 = 0, NULL, seq), seq FROM seq_1_to_300");
  ExpectRefused();
}

TEST_F(ChunkKeyTest, NoKeyAtAllIsRefused) {
  Exec(*db_, "CREATE TABLE t (n INT NOT NULL, v VARCHAR(10) NULL)");
  Exec(*db_, "INSERT INTO t SELECT seq % 7, 'same' FROM seq_1_to_300");
  ExpectRefused();
}

TEST_F(ChunkKeyTest, UniqueKeyOnlyOverAColumnPrefixIsRefused) {
  // A prefix index does not identify rows by the whole value: not walkable either.
  Exec(*db_, "CREATE TABLE t (s VARCHAR(50) NOT NULL, UNIQUE KEY uk_s (s(10)))");
  Exec(*db_, "INSERT INTO t SELECT CONCAT(LPAD(seq, 10, '0'), 'tail') FROM seq_1_to_300");
  ExpectRefused();
}

// Key-changing updates during the copy of a composite-key table: leading column moved ahead of
// and behind the copy position, second column changed, a case-only change of the text column
// (equal under the collation, different bytes), plain updates, deletes and inserts. Every write
// is applied to a reference table in the same transaction; at the end the altered table must
// equal the reference byte for byte.
TEST_F(ChunkKeyTest, KeyChangingUpdatesDuringTheCopyOfACompositeKey) {
  Exec(*db_,
       "CREATE TABLE t (a INT NOT NULL, b VARCHAR(20) NOT NULL, v INT NOT NULL, "
       "PRIMARY KEY (a, b)) ENGINE=InnoDB");
  Exec(*db_, "INSERT INTO t SELECT seq DIV 20, CONCAT('k', seq % 20), seq FROM seq_0_to_11999");
  Exec(*db_, "CREATE TABLE ref LIKE t");
  Exec(*db_, "INSERT INTO ref SELECT * FROM t");

  Background bg =
      StartShadowalter({"--alter", "ADD COLUMN extra INT NULL", "--execute", "--no-attempt-instant",
                        "--chunk-size", "7", PrimaryDsn(schema_, "t")});
  const std::string triggers_on_t =
      "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE() "
      "AND EVENT_OBJECT_TABLE = 't'";
  // Wait (bounded) for the triggers: from then on the copy is running.
  bool installed = false;
  for (int i = 0; i < 6000 && !installed; ++i) {
    installed = Scalar(*db_, triggers_on_t) == "3";
    if (!installed) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }

  std::mt19937 rng(7);
  unsigned mirrored = 0, applied = 0, skipped = 0;
  int next_insert = 100000;
  for (int op = 0; installed && op < 3000; ++op) {
    const int a = static_cast<int>(rng() % 600);
    const std::string b = "'k" + std::to_string(rng() % 20) + "'";
    const std::string where = " WHERE a = " + std::to_string(a) + " AND b = " + b;
    std::string stmt;
    switch (rng() % 7) {
      case 0:  // leading column moves far ahead of the copy
        stmt = "UPDATE %T SET a = a + 1000000" + where;
        break;
      case 1:  // leading column moves behind the copy
        stmt = "UPDATE %T SET a = -1 - a" + where;
        break;
      case 2:  // second column changes
        stmt = "UPDATE %T SET b = CONCAT(b, 'x'), v = v + 1" + where;
        break;
      case 3:  // same key under the collation, different bytes
        stmt = "UPDATE %T SET b = UPPER(b)" + where;
        break;
      case 4:
        stmt = "UPDATE %T SET v = v * 2 + 1" + where;
        break;
      case 5:
        stmt = "DELETE FROM %T" + where;
        break;
      default:
        stmt = "INSERT INTO %T VALUES (" + std::to_string(rng() % 600) + ", 'new" +
               std::to_string(next_insert++) + "', 0)";
        break;
    }
    auto on = [&stmt](const std::string& table) {
      std::string s = stmt;
      s.replace(s.find("%T"), 2, table);
      return s;
    };
    ASSERT_TRUE(db_->Execute("START TRANSACTION").ok());
    Status st = db_->Execute(on("t"));
    if (!st.ok()) {
      // A duplicate key or a lock conflict: the write did not happen; nor does it on ref.
      (void)db_->Execute("ROLLBACK");
      ++skipped;
      continue;
    }
    const uint64_t affected = db_->affected_rows();
    Status st_ref = db_->Execute(on("ref"));
    ASSERT_TRUE(st_ref.ok()) << "ref refused what t accepted: " << on("ref") << ": "
                             << st_ref.message();
    ASSERT_EQ(db_->affected_rows(), affected) << "t and ref diverged before: " << stmt;
    // Our write locks t's metadata until COMMIT, so the triggers seen here are the ones that
    // fired for it.
    const bool fired = Scalar(*db_, triggers_on_t) == "3";
    ASSERT_TRUE(db_->Execute("COMMIT").ok());
    ++applied;
    if (fired) {
      ++mirrored;
    } else {
      break;  // swapped: the copy is over
    }
  }
  RunResult r = WaitShadowalter(bg);
  ASSERT_TRUE(installed) << "the triggers never appeared: " << r.err;
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GT(mirrored, 10u) << "too few writes happened during the copy to test anything";

  auto rows_of = [&](const std::string& table) {
    return Rows(*db_, "SELECT a, HEX(b), v FROM " + table + " ORDER BY a, b");
  };
  const auto expected = rows_of("ref");
  const auto actual = rows_of("t");
  EXPECT_EQ(actual.size(), expected.size());
  EXPECT_TRUE(actual == expected) << "the altered table differs from the reference after "
                                  << applied << " writes (" << mirrored << " during the copy, "
                                  << skipped << " skipped)";
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

}  // namespace
}  // namespace shadowalter::testing
