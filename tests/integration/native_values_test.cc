// The values an ALTER's new types and expressions give, against a native ALTER of the same table,
// and the application's writes while the triggers exist: found by an adversarial sweep of the
// ALTERs DBAs run (a FLOAT made text took the double's 17 digits; expressions the ALTER adds
// failed the application's INSERTs with codes the triggers did not skip).
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "sandbox.h"

namespace shadowalter::testing {
namespace {

using NativeValuesTest = SandboxTest;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The run of `alter` on `table`, with `during` run while the triggers exist.
RunResult RunHeld(const std::string& schema, const std::string& table, const std::string& alter,
                  const std::function<void()>& during) {
  return RunWhileTriggersExist({"--alter", alter, "--execute", "--no-attempt-instant",
                                "--chunk-size", "100", PrimaryDsn(schema, table)},
                               schema, table, during);
}

// FLOAT and DOUBLE made text (VARCHAR, CHAR, VARBINARY, TEXT) hold what a native ALTER gives
// them, for the copied rows and for the rows the triggers write.
TEST_F(NativeValuesTest, FloatMadeTextHoldsItsOwnText) {
  for (const char* t : {"t", "ref"}) {
    Exec(*db_, std::string("CREATE TABLE ") + t +
                   " (id INT NOT NULL PRIMARY KEY, a FLOAT NULL, b FLOAT(7,2) NULL, "
                   "c DOUBLE(10,3) NULL, d DOUBLE NULL)");
    Exec(*db_, std::string("INSERT INTO ") + t +
                   " VALUES (1, 0.1, 19.99, 2.5, 0.1), (2, 1e30, -1.25, -0.5, 1e300), "
                   "(3, 3.3, 0.1, 1234567.125, 123456789012345678)");
    Exec(*db_, std::string("INSERT INTO ") + t +
                   " SELECT seq + 10, seq / 7, seq / 3, seq / 9, seq / 11 FROM seq_1_to_1000");
  }
  const std::string alter =
      "MODIFY a VARCHAR(40) NULL, MODIFY b CHAR(12) NULL, MODIFY c VARBINARY(40) NULL, "
      "MODIFY d TEXT NULL";
  const RunResult r = RunHeld(schema_, "t", alter, [&] {
    for (const char* t : {"t", "ref"}) {
      Exec(*db_, std::string("INSERT INTO ") + t + " VALUES (5000, 0.7, 2.25, 0.125, 0.3)");
      Exec(*db_, std::string("UPDATE ") + t + " SET a = 6.1, b = 7.77, d = 1e-7 WHERE id = 3");
    }
  });
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Exec(*db_, std::string("ALTER TABLE ref ") + alter);
  const std::string rows = "SELECT CONCAT_WS('|', id, a, CONCAT('[', b, ']'), HEX(c), d) FROM ";
  EXPECT_EQ(Rows(*db_, rows + "t ORDER BY id"), Rows(*db_, rows + "ref ORDER BY id"));
  EXPECT_EQ(Scalar(*db_, "SELECT a FROM t WHERE id = 1"), "0.1");
  EXPECT_FALSE(Contains(r.err, "verification can't compare column a")) << r.err;
}

// An expression the ALTER adds that fails on some rows: JSON functions on text that is no JSON,
// BIGINT UNSIGNED arithmetic below zero, division by zero. The application's writes stand (the
// triggers skip and record what the new table refuses), and the run stops before the swap: a
// native ALTER of such data fails too (division by zero under the default sql_mode as well).
TEST_F(NativeValuesTest, AnExpressionTheAlterAddsNeverFailsTheApplication) {
  Exec(*db_,
       "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, attrs TEXT NULL, quota BIGINT UNSIGNED NOT "
       "NULL, used BIGINT UNSIGNED NOT NULL, total INT NOT NULL, cnt INT NOT NULL)");
  Exec(*db_, "INSERT INTO t SELECT seq, '{\"email\": \"a@b\"}', 10, 5, seq, 1 FROM seq_1_to_500");
  const std::pair<const char*, const char*> cases[] = {
      {"ADD COLUMN email VARCHAR(255) AS (JSON_UNQUOTE(JSON_EXTRACT(attrs, '$.email'))) VIRTUAL, "
       "ADD INDEX (email)",
       "INSERT INTO t VALUES (9001, 'not json', 10, 5, 1, 1)"},
      {"ADD COLUMN remaining BIGINT UNSIGNED AS (quota - used) VIRTUAL",
       "INSERT INTO t VALUES (9002, NULL, 1, 5, 1, 1)"},
      {"ADD COLUMN average DECIMAL(10,2) AS (total / cnt) STORED",
       "INSERT INTO t VALUES (9003, NULL, 10, 5, 1, 0)"},
  };
  for (const auto& [alter, write] : cases) {
    Status written;
    const RunResult r = RunHeld(schema_, "t", alter, [&] { written = db_->Execute(write); });
    EXPECT_TRUE(written.ok()) << alter << ": " << written.message();
    EXPECT_EQ(r.exit_code, 1) << alter << "\n" << r.err;
    EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{}) << alter;
    EXPECT_EQ(Scalar(*db_,
                     "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                     "DATABASE() AND TABLE_NAME = 't'"),
              "6")
        << alter;
    Exec(*db_, "DELETE FROM t WHERE id > 9000");
  }
}

// What the triggers could not keep current without failing the application's writes is refused
// before anything is made: a WITHOUT OVERLAPS key, a foreign key the ALTER adds on the table
// itself.
TEST_F(NativeValuesTest, KeysTheTriggersCantMirrorAreRefusedUntouched) {
  Exec(*db_,
       "CREATE TABLE bk (id INT NOT NULL PRIMARY KEY, room INT NOT NULL, s DATE NOT NULL, e DATE "
       "NOT NULL)");
  Exec(*db_, "CREATE TABLE tree (id INT NOT NULL PRIMARY KEY, parent_id INT NULL)");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"bk",
       "ADD PERIOD FOR booking(s, e), ADD UNIQUE KEY no_overlap (room, booking WITHOUT "
       "OVERLAPS)"},
      {"tree", "ADD CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES tree (id)"}};
  for (const auto& [table, alter] : cases) {
    for (const char* mode : {"--dry-run", "--execute"}) {
      const RunResult r = RunShadowalter(
          {"--alter", alter, mode, "--no-attempt-instant", PrimaryDsn(schema_, table)});
      EXPECT_EQ(r.exit_code, 5) << alter << " " << mode << "\n" << r.err;
    }
  }
  EXPECT_EQ(Rows(*db_, "SHOW TABLES"), (std::vector<std::string>{"bk", "tree"}));
}

}  // namespace
}  // namespace shadowalter::testing
