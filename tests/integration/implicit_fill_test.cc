// ADD COLUMN ... NOT NULL without a DEFAULT, the ALTER DBAs run most: a native ALTER gives every
// row the type's implicit value. The run gives the copied rows and the rows the triggers write
// that same value, and no application write fails while the triggers exist (before, every
// INSERT of the application failed with 1364 during the copy).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "sandbox.h"

namespace shadowalter::testing {
namespace {

using ImplicitFillTest = SandboxTest;

const char kAddedColumns[] =
    "ADD COLUMN a INT NOT NULL, ADD COLUMN b VARCHAR(10) NOT NULL, "
    "ADD COLUMN c ENUM('x','y') NOT NULL, ADD COLUMN d DATE NOT NULL, "
    "ADD COLUMN e DATETIME(3) NOT NULL, ADD COLUMN f TIMESTAMP NOT NULL, "
    "ADD COLUMN g TEXT NOT NULL, ADD COLUMN h BLOB NOT NULL, ADD COLUMN i SET('p','q') NOT NULL, "
    "ADD COLUMN j BIT(3) NOT NULL, ADD COLUMN k DECIMAL(5,2) NOT NULL, ADD COLUMN l YEAR NOT NULL, "
    "ADD COLUMN m TIME NOT NULL, ADD COLUMN n DOUBLE UNSIGNED NOT NULL, "
    "ADD COLUMN p CHAR(3) NOT NULL, ADD COLUMN q BINARY(3) NOT NULL, "
    "ADD COLUMN r BIGINT NOT NULL DEFAULT 5";

// Every row of `table`, all columns as text (binary ones in hex), in key order.
std::vector<std::string> Content(Session& s, const std::string& table) {
  return Rows(s,
              "SELECT CONCAT_WS('|', id, v, a, b, c, d, e, f, g, HEX(h), i, j + 0, k, l, m, n, p, "
              "HEX(q), r) FROM " +
                  table + " ORDER BY id");
}

TEST_F(ImplicitFillTest, AddedNotNullColumnsGetTheValuesANativeAlterGives) {
  for (const char* t : {"t", "ref"}) {
    Exec(*db_, std::string("CREATE TABLE ") + t +
                   " (id INT NOT NULL PRIMARY KEY, v VARCHAR(20) NOT NULL)");
    Exec(*db_,
         std::string("INSERT INTO ") + t + " SELECT seq, CONCAT('v', seq) FROM seq_1_to_20000");
  }
  // The application writes through the whole copy, each statement on t and on ref in one
  // transaction, the way it would without the new columns; the swap waits for it to be done
  // (after the swap its INSERTs would have to name the new columns).
  int applied = 0, failed = 0;
  std::string last_error;
  auto application = [&] {
    std::unique_ptr<Session> app = ConnectPrimary(schema_);
    ASSERT_TRUE(app);
    for (int i = 0; i < 3000; ++i) {
      const std::string id = std::to_string(1 + (i * 7919) % 20000);
      const std::string stmt =
          i % 3 == 0   ? "INSERT INTO %T (id, v) VALUES (" + std::to_string(30000 + i) + ", 'new')"
          : i % 3 == 1 ? "UPDATE %T SET v = CONCAT(v, '+') WHERE id = " + id
                       : "DELETE FROM %T WHERE id = " + id;
      auto on = [&](const std::string& t) {
        std::string sql = stmt;
        sql.replace(sql.find("%T"), 2, t);
        return sql;
      };
      ASSERT_TRUE(app->Execute("START TRANSACTION").ok());
      Status st = app->Execute(on("t"));
      if (st.ok()) st = app->Execute(on("ref"));
      if (!st.ok()) {
        (void)app->Execute("ROLLBACK");
        ++failed;
        last_error = st.message();
        continue;
      }
      ASSERT_TRUE(app->Execute("COMMIT").ok());
      ++applied;
    }
  };
  const RunResult r =
      RunWhileTriggersExist({"--alter", kAddedColumns, "--execute", "--no-attempt-instant",
                             "--chunk-size", "200", PrimaryDsn(schema_, "t")},
                            schema_, "t", application);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(failed, 0) << last_error;
  EXPECT_GT(applied, 50);
  EXPECT_NE(r.err.find("`a` gets 0, `b` gets '', `c` gets 1"), std::string::npos) << r.err;
  // The reference takes the same ALTER natively (strict mode, as the run's sessions).
  Exec(*db_, "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'");
  Exec(*db_, std::string("ALTER TABLE ref ") + kAddedColumns);
  auto definition = [&](const std::string& table) {
    const std::string row = Rows(*db_, "SHOW CREATE TABLE " + table).at(0);
    return row.substr(row.find(" ("));  // after "<name>|CREATE TABLE `<name>`"
  };
  EXPECT_EQ(definition("t"), definition("ref"));
  const std::vector<std::string> got = Content(*db_, "t");
  const std::vector<std::string> want = Content(*db_, "ref");
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i], want[i]) << "row " << i;
  }
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

// A type whose implicit value is no plain literal (a spatial type) is refused before anything is
// created, naming the column and the DEFAULT to give.
TEST_F(ImplicitFillTest, AColumnWithNoLiteralImplicitValueIsRefusedUntouched) {
  Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY)");
  Exec(*db_, "INSERT INTO t SELECT seq FROM seq_1_to_10");
  RunResult r = RunShadowalter({"--alter", "ADD COLUMN pt POINT NOT NULL", "--execute",
                                "--no-attempt-instant", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("column `pt` (point) is NOT NULL without a DEFAULT"), std::string::npos)
      << r.err;
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 't'"),
            "1");
}

}  // namespace
}  // namespace shadowalter::testing
