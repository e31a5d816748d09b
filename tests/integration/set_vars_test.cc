// --set-vars: the variables reach the primary's sessions (a variable the server doesn't know, or
// a value of the wrong type, stops the run before it changes anything, exit 5), a value is data
// and never SQL, and a run with valid ones completes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sandbox.h"

namespace shadowalter::testing {
namespace {

class SetVarsTest : public SandboxTest {
 protected:
  void CreateTable() {
    Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v INT NOT NULL)");
    Exec(*db_, "INSERT INTO t SELECT seq, seq FROM seq_1_to_3000");
  }
  RunResult Alter(const std::string& vars) {
    return RunShadowalter({"--alter", "ADD COLUMN w INT NULL", "--execute", "--no-attempt-instant",
                           "--set-vars", vars, PrimaryDsn(schema_, "t")});
  }
  std::string Columns() {
    return Scalar(
        *db_,
        "SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION) FROM "
        "information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't'");
  }
};

TEST_F(SetVarsTest, AVariableTheServerRefusesStopsTheRunBeforeAnything) {
  CreateTable();
  const RunResult unknown = Alter("no_such_variable=1");
  EXPECT_EQ(unknown.exit_code, 5) << unknown.err;
  EXPECT_NE(unknown.err.find("Unknown system variable 'no_such_variable'"), std::string::npos)
      << unknown.err;
  // The value is a string literal, not SQL: the server calls it the wrong type for the variable.
  const RunResult injected = Alter("wait_timeout=1; DROP TABLE t");
  EXPECT_EQ(injected.exit_code, 5) << injected.err;
  EXPECT_NE(injected.err.find("Incorrect argument type to variable 'wait_timeout'"),
            std::string::npos)
      << injected.err;
  EXPECT_EQ(Columns(), "id,v");
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t"), "3000");
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

TEST_F(SetVarsTest, ValidVariablesAndTheRunCompletes) {
  CreateTable();
  const RunResult r = Alter("wait_timeout=28800,long_query_time=0.5,optimizer_switch=mrr=off");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Columns(), "id,v,w");
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t"), "3000");
}

TEST_F(SetVarsTest, AVariableTheRunManagesIsAUsageError) {
  CreateTable();
  const RunResult r = Alter("innodb_lock_wait_timeout=50");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("use --lock-wait-timeout"), std::string::npos) << r.err;
  EXPECT_EQ(Columns(), "id,v");
}

}  // namespace
}  // namespace shadowalter::testing
