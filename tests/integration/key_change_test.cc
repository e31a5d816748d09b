// ALTERs that change the primary key itself (issue #17): the key column's character set,
// collation or type, which changes how keys compare and sort between the original and the new
// table, and a new primary key over more columns. Each run copies in small chunks while a writer
// inserts, deletes and updates rows (the key included) of `t` and, in the same transaction, of a
// reference table `ref`. After the swap `ref` gets the same ALTER natively; `t` must then equal it
// in definition and row for row, text compared through HEX() so that bytes count.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <cctype>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "db/quote.h"
#include "sandbox.h"

namespace shadowalter::testing {
namespace {

std::string ShowCreate(Session& s, const std::string& table) {
  auto rows = Rows(s, "SHOW CREATE TABLE " + QuoteIdentifier(table));
  if (rows.empty()) return "";
  // Drop the leading "<name>|" and name the table `t`, so that t and ref compare.
  std::string create = rows[0].substr(rows[0].find('|') + 1);
  const std::string head = "CREATE TABLE " + QuoteIdentifier(table);
  if (create.rfind(head, 0) == 0) create.replace(0, head.size(), "CREATE TABLE `t`");
  return create;
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

// Whether a background run has exited; it stays waitable for WaitShadowalter.
bool Exited(const Background& bg) {
  siginfo_t info{};
  return waitid(P_PID, bg.pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == bg.pid;
}

// WaitShadowalter, bounded: a run still going after two minutes gets SIGTERM (then SIGKILL), so
// a hang fails the test instead of blocking the suite.
RunResult WaitBounded(const Background& bg) {
  if (!WaitUntil([&] { return Exited(bg); }, 120000)) {
    ADD_FAILURE() << "shadowalter still running after 120 s: terminating it";
    kill(bg.pid, SIGTERM);
    if (!WaitUntil([&] { return Exited(bg); }, 30000)) kill(bg.pid, SIGKILL);
  }
  return WaitShadowalter(bg);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// What the writer does. Rows are found through `handle`, an indexed column that a row keeps for
// life (0 to rows - 1 at the start, new rows get the next numbers), so a row stays reachable
// whatever its key becomes.
struct Workload {
  std::string handle;
  int rows = 0;
  std::vector<std::string> key_updates;  // SET clauses that change the key
  std::string plain_update;              // a SET clause that keeps it
  // The VALUES list of a new row with handle `h`.
  std::function<std::string(int h, std::mt19937& rng)> new_row;
};

// Text keys: a prefix from `prefixes` and the handle in five digits. Every update keeps the
// digits and only adds letters around them, so no two keys are ever equal under any collation
// (the digits differ) and the same ALTER can run on ref at the end.
Workload TextKeys(int rows, std::vector<std::string> prefixes) {
  Workload w;
  w.handle = "v";
  w.rows = rows;
  w.key_updates = {
      "k = CONCAT(k, 'x')",  // a new value right after the old one
      "k = CONCAT('a', k)",  // moves behind the copy
      "k = CONCAT('z', k)",  // moves ahead of it
      "k = CONCAT(k, 'é')",  // an accent
      "k = UPPER(k)",        // equal under a _ci collation, different bytes
      "k = LOWER(k)",
  };
  w.plain_update = "pad = IF(pad IS NULL, CONCAT('p', v), NULL)";
  w.new_row = [prefixes](int h, std::mt19937& rng) {
    std::string digits = std::to_string(h);
    digits.insert(0, 5 - digits.size(), '0');
    return "'" + prefixes[rng() % prefixes.size()] + digits + "', " + std::to_string(h) + ", 'new'";
  };
  return w;
}

// INT keys: moved ahead of the copy, behind it (negative), and to a value whose text sorts next
// to the old one but whose number is far away. Collisions just fail on t and ref alike.
Workload IntKeys(int rows) {
  Workload w;
  w.handle = "v";
  w.rows = rows;
  w.key_updates = {"id = id + 1000000", "id = -1 - id", "id = id * 10 + 7"};
  w.plain_update = "pad = IF(pad IS NULL, CONCAT('p', v), NULL)";
  w.new_row = [](int h, std::mt19937&) {
    return std::to_string(h + 2000000) + ", " + std::to_string(h) + ", 'new'";
  };
  return w;
}

// Item 2's table: the old key `id` stays fixed (it is the handle), `k` joins the new key and
// changes often.
Workload NewKeyColumn(int rows) {
  Workload w;
  w.handle = "id";
  w.rows = rows;
  w.key_updates = {"k = k + 1", "k = k - 100", "k = k * 2 + 1", "k = 0"};
  w.plain_update = "v = v + 1";
  w.new_row = [](int h, std::mt19937& rng) {
    return std::to_string(h) + ", " + std::to_string(rng() % 100) + ", 0";
  };
  return w;
}

class KeyChangeTest : public SandboxTest {
 protected:
  // Runs `alter` on t in the background while `w` writes to t and ref, until the swap. Then
  // checks: exit 0, enough writes mirrored during the copy, the definition contains each of
  // `expected_in_create` and equals ref's after the same ALTER natively, the rows (`columns`,
  // ordered by `order`) equal ref's, and nothing is left behind.
  void AlterUnderWrites(const std::string& alter, const Workload& w, const std::string& columns,
                        const std::string& order,
                        const std::vector<std::string>& expected_in_create) {
    Exec(*db_, "CREATE TABLE ref LIKE t");
    Exec(*db_, "INSERT INTO ref SELECT * FROM t");

    Background bg = StartShadowalter({"--alter", alter, "--execute", "--no-attempt-instant",
                                      "--chunk-size", "10", PrimaryDsn(schema_, "t")});
    const std::string triggers_on_t =
        "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE() "
        "AND EVENT_OBJECT_TABLE = 't'";
    // From the moment the triggers exist the copy is running; a run that fails before that
    // exits, and there is nothing to write against.
    const bool installed =
        WaitUntil([&] { return Scalar(*db_, triggers_on_t) == "3" || Exited(bg); }) &&
        Scalar(*db_, triggers_on_t) == "3";

    std::mt19937 rng(17);
    unsigned mirrored = 0, skipped = 0;
    int next_handle = w.rows;
    for (int op = 0; installed && op < 5000; ++op) {
      const std::string where =
          " WHERE " + w.handle + " = " + std::to_string(rng() % static_cast<unsigned>(next_handle));
      std::string stmt;
      const unsigned pick = rng() % 8;
      if (pick < 3) {
        stmt = "UPDATE %T SET " + w.key_updates[rng() % w.key_updates.size()] + where;
      } else if (pick < 5) {
        stmt = "UPDATE %T SET " + w.plain_update + where;
      } else if (pick < 6) {
        stmt = "DELETE FROM %T" + where;
      } else {
        stmt = "INSERT INTO %T VALUES (" + w.new_row(next_handle++, rng) + ")";
      }
      auto on = [&stmt](const std::string& table) {
        std::string s = stmt;
        s.replace(s.find("%T"), 2, table);
        return s;
      };
      ASSERT_TRUE(db_->Execute("START TRANSACTION").ok());
      if (Status st = db_->Execute(on("t")); !st.ok()) {
        // A duplicate key, a value too long or out of range: not written; nor is it to ref. Any
        // other error is the migration failing the application (e.g. a trigger comparing two
        // collations, error 1267).
        (void)db_->Execute("ROLLBACK");
        const unsigned e = st.server_errno();
        ASSERT_TRUE(e == 1062 || e == 1406 || e == 1264) << on("t") << ": " << st.message();
        ++skipped;
        continue;
      }
      const uint64_t affected = db_->affected_rows();
      // Our write holds t's metadata lock until COMMIT, so the triggers seen now are the ones
      // that fired for it. Without them t is already the new table (or the run has failed):
      // stop, undoing the write, as ref still has the old definition.
      if (Scalar(*db_, triggers_on_t) != "3") {
        (void)db_->Execute("ROLLBACK");
        break;
      }
      Status st_ref = db_->Execute(on("ref"));
      ASSERT_TRUE(st_ref.ok()) << "ref refused what t accepted: " << on("ref") << ": "
                               << st_ref.message();
      ASSERT_EQ(db_->affected_rows(), affected) << "t and ref diverged before: " << stmt;
      ASSERT_TRUE(db_->Execute("COMMIT").ok());
      ++mirrored;
    }
    RunResult r = WaitBounded(bg);
    last_log_ = r.err;
    ASSERT_TRUE(installed) << "the triggers never appeared (exit " << r.exit_code << "): " << r.err;
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_GT(mirrored, 10u) << "too few writes happened during the copy to test anything";

    const std::string create = ShowCreate(*db_, "t");
    for (const std::string& bit : expected_in_create) {
      EXPECT_NE(create.find(bit), std::string::npos) << bit << " not in " << create;
    }
    Exec(*db_, "ALTER TABLE ref " + alter);
    EXPECT_EQ(create, ShowCreate(*db_, "ref"));
    auto rows_of = [&](const std::string& table) {
      return Rows(*db_, "SELECT " + columns + " FROM " + table + " ORDER BY " + order);
    };
    const auto expected = rows_of("ref");
    const auto actual = rows_of("t");
    EXPECT_EQ(actual.size(), expected.size());
    EXPECT_TRUE(actual == expected)
        << "the altered table differs from the reference after " << mirrored
        << " writes during the copy (" << skipped << " skipped)";
    EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
  }

  // A table `t (k <key_type> PRIMARY KEY, v, pad)` with `rows` rows whose keys are a prefix from
  // `prefixes` (in turn) and the row number in five digits.
  void CreateTextKeyTable(const std::string& key_type, const std::string& table_options, int rows,
                          const std::vector<std::string>& prefixes) {
    Exec(*db_, "CREATE TABLE t (k " + key_type +
                   " NOT NULL PRIMARY KEY, v INT NOT NULL, pad VARCHAR(20) NULL, KEY (v)) "
                   "ENGINE=InnoDB " +
                   table_options);
    std::string elt;
    for (const std::string& p : prefixes) elt += ", " + QuoteString(p);
    Exec(*db_, "INSERT INTO t SELECT CONCAT(ELT(1 + seq % " + std::to_string(prefixes.size()) +
                   elt +
                   "), LPAD(seq, 5, '0')), seq, IF(seq % 3 = 0, NULL, CONCAT('p', seq)) "
                   "FROM seq_0_to_" +
                   std::to_string(rows - 1));
  }

  void CreateIntKeyTable(int rows) {
    Exec(*db_,
         "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v INT NOT NULL, pad VARCHAR(20) "
         "NULL, KEY (v)) ENGINE=InnoDB");
    Exec(*db_,
         "INSERT INTO t SELECT seq, seq, IF(seq % 3 = 0, NULL, CONCAT('p', seq)) "
         "FROM seq_0_to_" +
             std::to_string(rows - 1));
  }

  // Item 2: many rows share each k, so the new key's order interleaves the old one's.
  void CreateNewKeyTable(int rows) {
    Exec(*db_,
         "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, k INT NOT NULL, v INT NOT NULL) "
         "ENGINE=InnoDB");
    Exec(*db_, "INSERT INTO t SELECT seq, seq % 50, seq FROM seq_0_to_" + std::to_string(rows - 1));
  }

  // Runs `alter`, expecting a refusal before anything is created (the ALTER's text alone shows
  // what is wrong): exit 5, one error line containing `reason`, the table and the schema exactly
  // as they were.
  void ExpectRefused(const std::string& alter, const std::string& reason) {
    const std::string create = ShowCreate(*db_, "t");
    const std::string checksum = TableChecksum(*db_, "t");
    const auto objects = TablesAndTriggers(*db_);
    RunResult r = RunShadowalter(
        {"--alter", alter, "--execute", "--no-attempt-instant", PrimaryDsn(schema_, "t")});
    EXPECT_EQ(r.exit_code, 5) << r.err;
    const auto errors = ErrorLines(r.err);
    ASSERT_EQ(errors.size(), 1u) << r.err;
    EXPECT_NE(errors[0].find(reason), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("new table `_t_new`"), std::string::npos)
        << "nothing should have been created: " << r.err;
    EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
    EXPECT_EQ(ShowCreate(*db_, "t"), create);
    EXPECT_EQ(TableChecksum(*db_, "t"), checksum);
    EXPECT_EQ(TablesAndTriggers(*db_), objects);
  }

  std::string last_log_;  // stderr of the last AlterUnderWrites run
};

constexpr int kRows = 3000;
const char kTextRows[] = "HEX(k), v, HEX(pad)";
const char kIntRows[] = "id, v, HEX(pad)";

// Item 1: the primary key column's character set, collation or type.

// _ci to _bin: 'K00001' sorts before 'k00000' in the new table, the other way round in the
// original; case-only updates keep the key in one table and change it in the other.
TEST_F(KeyChangeTest, CiToBin) {
  CreateTextKeyTable("VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci", "", kRows,
                     {"k", "K"});
  AlterUnderWrites("CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
                   TextKeys(kRows, {"k", "K"}), kTextRows, "k",
                   {"`k` varchar(32) NOT NULL", "COLLATE=utf8mb4_bin"});
}

// _bin to _ci without two keys equal under _ci (the writer never makes any): must succeed.
TEST_F(KeyChangeTest, BinToCi) {
  CreateTextKeyTable("VARCHAR(32)", "CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", kRows, {"k", "K"});
  AlterUnderWrites("MODIFY k VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL",
                   TextKeys(kRows, {"k", "K"}), kTextRows, "k",
                   {"`k` varchar(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL"});
}

// _bin to _ci with 'abc' and 'ABC', one key under _ci: refused before any trigger exists
// (exit 5), naming the value, with the new table dropped again and t as it was.
TEST_F(KeyChangeTest, BinToCiWithDuplicates) {
  CreateTextKeyTable("VARCHAR(32)", "CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", 2000, {"k", "K"});
  Exec(*db_, "INSERT INTO t VALUES ('abc', 100001, 'lower'), ('ABC', 100002, 'upper')");
  const std::string select = "SELECT HEX(k), v, HEX(pad) FROM t ORDER BY k";
  const std::string create = ShowCreate(*db_, "t");
  const auto before = Rows(*db_, select);
  const auto objects = TablesAndTriggers(*db_);

  RunResult r = RunShadowalter(
      {"--alter", "MODIFY k VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL",
       "--execute", "--no-attempt-instant", "--chunk-size", "7", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  const auto errors = ErrorLines(r.err);
  ASSERT_EQ(errors.size(), 1u) << r.err;
  EXPECT_NE(errors[0].find("compares values differently after the ALTER"), std::string::npos)
      << errors[0];
  EXPECT_EQ(r.err.find("triggers installed"), std::string::npos) << r.err;
  EXPECT_NE(Lower(errors[0]).find("abc"), std::string::npos) << errors[0];
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
  EXPECT_EQ(ShowCreate(*db_, "t"), create);
  EXPECT_TRUE(Rows(*db_, select) == before) << "t changed";
  EXPECT_EQ(TablesAndTriggers(*db_), objects);
}

// Between two case-insensitive collations of one character set, comparing the new table's key
// with the original's value directly is an illegal mix of collations (error 1267): every
// application DELETE and key change would fail while the triggers exist.
TEST_F(KeyChangeTest, GeneralCiToUnicodeCi) {
  const std::vector<std::string> prefixes = {"k", "K", "é", "É"};
  CreateTextKeyTable("VARCHAR(32)", "CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci", kRows,
                     prefixes);
  AlterUnderWrites("CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
                   TextKeys(kRows, prefixes), kTextRows, "k",
                   {"DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"});
}

// utf8mb3 to utf8mb4 with accented keys in both cases ('é' and 'É' are one letter under _ci).
TEST_F(KeyChangeTest, Utf8mb3ToUtf8mb4) {
  const std::vector<std::string> prefixes = {"k", "K", "é", "É", "ü", "Ü"};
  CreateTextKeyTable("VARCHAR(32)", "CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci", kRows,
                     prefixes);
  AlterUnderWrites("CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci",
                   TextKeys(kRows, prefixes), kTextRows, "k",
                   {"DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci"});
}

// latin1 to utf8mb4: an accented letter is one byte in the original and two in the new table.
TEST_F(KeyChangeTest, Latin1ToUtf8mb4) {
  const std::vector<std::string> prefixes = {"k", "É", "ä", "Ñ", "ü"};
  CreateTextKeyTable("VARCHAR(32)", "CHARACTER SET latin1 COLLATE latin1_swedish_ci", kRows,
                     prefixes);
  AlterUnderWrites("CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
                   TextKeys(kRows, prefixes), kTextRows, "k",
                   {"DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"});
}

TEST_F(KeyChangeTest, IntToBigint) {
  CreateIntKeyTable(kRows);
  AlterUnderWrites("MODIFY id BIGINT NOT NULL", IntKeys(kRows), kIntRows, "id",
                   {"`id` bigint(20) NOT NULL"});
}

// INT to VARCHAR: '10' sorts before '9' in the new table.
TEST_F(KeyChangeTest, IntToVarchar) {
  CreateIntKeyTable(kRows);
  AlterUnderWrites("MODIFY id VARCHAR(20) NOT NULL", IntKeys(kRows), kIntRows, "id",
                   {"`id` varchar(20) NOT NULL"});
}

// Item 2: a new primary key that adds a column the writer changes.

TEST_F(KeyChangeTest, KeyGetsSecondColumn) {
  CreateNewKeyTable(kRows);
  AlterUnderWrites("DROP PRIMARY KEY, ADD PRIMARY KEY (id, k)", NewKeyColumn(kRows), "id, k, v",
                   "id, k", {"PRIMARY KEY (`id`,`k`)"});
  // The new key holds the old one, so it can't have duplicates: no read of the whole table.
  EXPECT_EQ(last_log_.find("no duplicates for new unique key"), std::string::npos) << last_log_;
}

// The new key leads with k: the new table's order has nothing to do with the original's.
TEST_F(KeyChangeTest, KeyLedByNewColumn) {
  CreateNewKeyTable(kRows);
  AlterUnderWrites("DROP PRIMARY KEY, ADD PRIMARY KEY (k, id)", NewKeyColumn(kRows), "id, k, v",
                   "k, id", {"PRIMARY KEY (`k`,`id`)"});
}

// Without the original key's column nothing identifies a row in both tables: refused.
TEST_F(KeyChangeTest, KeyColumnDroppedIsRefused) {
  CreateNewKeyTable(300);
  Exec(*db_, "UPDATE t SET k = id");  // unique, so the new key itself would hold
  ExpectRefused("DROP PRIMARY KEY, DROP COLUMN id, ADD PRIMARY KEY (k)", "`id`");
  ExpectRefused("DROP PRIMARY KEY, DROP COLUMN id, ADD PRIMARY KEY (k, v)", "`id`");
}

// A converted key column with no unique key on it in the new table: nothing can match a row of
// the original to its mirror. Refused once the server has accepted the ALTER, then cleaned up.
TEST_F(KeyChangeTest, KeyColumnConvertedUnderANewKeyIsRefused) {
  CreateNewKeyTable(300);
  Exec(*db_, "UPDATE t SET k = id");
  const std::string create = ShowCreate(*db_, "t");
  const std::string checksum = TableChecksum(*db_, "t");
  RunResult r = RunShadowalter(
      {"--alter", "MODIFY id VARCHAR(20) NOT NULL, DROP PRIMARY KEY, ADD PRIMARY KEY (k)",
       "--execute", "--no-attempt-instant", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  const auto errors = ErrorLines(r.err);
  ASSERT_EQ(errors.size(), 1u) << r.err;
  EXPECT_NE(errors[0].find("`id` changes type"), std::string::npos) << r.err;
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
  EXPECT_EQ(ShowCreate(*db_, "t"), create);
  EXPECT_EQ(TableChecksum(*db_, "t"), checksum);
}

}  // namespace
}  // namespace shadowalter::testing
