// Preflight refusals that need a running server: a second run on the same table, and a unique key
// the data already breaks when the key is made of a renamed column.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "sandbox.h"

namespace shadowalter::testing {
namespace {

using PreflightTest = SandboxTest;

TEST_F(PreflightTest, SecondRunOnTheSameTableIsRefused) {
  Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(20) NOT NULL)");
  Exec(*db_, "INSERT INTO t SELECT seq, 'x' FROM seq_1_to_40000");
  Background first = StartShadowalter({"--alter", "ADD COLUMN w INT", "--execute",
                                       "--chunk-size", "20", PrimaryDsn(schema_, "t")});
  const bool running = WaitUntil([&] { return TableExists(*db_, "_t_new"); });
  ASSERT_TRUE(running);
  RunResult second = RunShadowalter({"--alter", "ADD COLUMN x INT", "--execute",
                                     PrimaryDsn(schema_, "t")});
  EXPECT_EQ(second.exit_code, 5) << second.err;
  EXPECT_NE(second.err.find("another shadowalter run"), std::string::npos) << second.err;
  RunResult r = WaitShadowalter(first);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                         "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME IN ('w', 'x')"),
            "1");
  // Once the first is done, the lock is free again.
  RunResult third = RunShadowalter({"--alter", "ADD COLUMN x INT", "--execute",
                                    PrimaryDsn(schema_, "t")});
  EXPECT_EQ(third.exit_code, 0) << third.err;
}

TEST_F(PreflightTest, UniqueKeyOverARenamedColumnWithDuplicatesIsRefused) {
  Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, code VARCHAR(20) NULL)");
  Exec(*db_, "INSERT INTO t SELECT seq, IF(seq % 3 = 0, NULL, CONCAT('c', seq)) FROM "
             "seq_1_to_3000");
  // NULLs never collide in a unique key; a real duplicate does.
  RunResult ok = RunShadowalter({"--alter", "ADD UNIQUE KEY uk (code)", "--dry-run",
                                 PrimaryDsn(schema_, "t")});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  Exec(*db_, "UPDATE t SET code = 'c1' WHERE id = 2000");
  RunResult r = RunShadowalter({"--alter", "CHANGE code sku VARCHAR(20) NULL, ADD UNIQUE KEY "
                                "uk (sku)", "--execute", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("on (code)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(c1) 2 times"), std::string::npos) << r.err;
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

}  // namespace
}  // namespace shadowalter::testing
