// Nothing is silently lost: ALTERs that would truncate data or drop duplicate rows abort with the
// original untouched, and a duplicate the application writes during the copy fails the run.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "sandbox.h"

namespace shadowalter::testing {
namespace {

using DataLossTest = SandboxTest;

TEST_F(DataLossTest, NarrowingAlterThatWouldTruncateIsRefused) {
  Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL)");
  Exec(*db_, "INSERT INTO t SELECT seq, 'short' FROM seq_1_to_5000");
  Exec(*db_, "UPDATE t SET name = 'a name much longer than ten characters' WHERE id = 3217");
  const std::string before = TableChecksum(*db_, "t");
  RunResult r = RunShadowalter({"--alter", "MODIFY name VARCHAR(10) NOT NULL", "--execute",
                                "--no-attempt-instant", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("does not fit"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("name"), std::string::npos) << r.err;
  EXPECT_EQ(TableChecksum(*db_, "t"), before);
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

TEST_F(DataLossTest, UniqueKeyOverExistingDuplicatesIsRefused) {
  Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, email VARCHAR(50) NOT NULL)");
  Exec(*db_, "INSERT INTO t SELECT seq, CONCAT('user', seq, '@example.com') FROM seq_1_to_5000");
  Exec(*db_, "UPDATE t SET email = 'user10@example.com' WHERE id = 4000");
  const std::string before = TableChecksum(*db_, "t");
  RunResult r = RunShadowalter({"--alter", "ADD UNIQUE KEY uk_email (email)", "--execute",
                                "--no-attempt-instant", PrimaryDsn(schema_, "t")});
  // Found before any trigger exists or any row is copied: refused, naming the value.
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("(user10@example.com) 2 times"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("triggers installed"), std::string::npos) << r.err;
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t"), "5000");
  EXPECT_EQ(TableChecksum(*db_, "t"), before);
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

TEST_F(DataLossTest, DuplicateWrittenDuringCopyFailsTheRunNotTheApplication) {
  Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, email VARCHAR(50) NOT NULL)");
  Exec(*db_, "INSERT INTO t SELECT seq, CONCAT('user', seq, '@example.com') FROM seq_1_to_40000");
  Background bg =
      StartShadowalter({"--alter", "ADD UNIQUE KEY uk_email (email)", "--execute",
                        "--no-attempt-instant", "--chunk-size", "20", PrimaryDsn(schema_, "t")});
  bool written = false;
  for (int i = 0; i < 5000 && !written; ++i) {
    auto copied = db_->Query("SELECT COUNT(*) FROM _t_new WHERE id <= 2");
    if (copied.ok() && copied->Scalar() == "2") {
      // Legal on the original: no unique key there. Both rows are already copied.
      Exec(*db_, "UPDATE t SET email = 'user2@example.com' WHERE id = 1");
      written = true;
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  ASSERT_TRUE(written) << "the copy never reached the first rows";
  RunResult r = WaitShadowalter(bg);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("row (1)"), std::string::npos)
      << "the failing key should be named: " << r.err;
  EXPECT_NE(r.err.find("Duplicate entry 'user2@example.com'"), std::string::npos) << r.err;
  // The application's write stands, nothing was swapped, nothing is left behind.
  EXPECT_EQ(Scalar(*db_, "SELECT email FROM t WHERE id = 1"), "user2@example.com");
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t"), "40000");
  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA "
                   "= DATABASE() AND TABLE_NAME = 't' AND INDEX_NAME = 'uk_email'"),
            "0");
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

// A value the new table's type can't take, written during the run: bytes that are no geometry
// into a BLOB the ALTER makes a POINT. The application's INSERT stands (the new table's 1416 is
// skipped and recorded, not passed on), and the run stops before the swap.
TEST_F(DataLossTest, AValueTheNewTypeRefusesFailsTheRunNotTheApplication) {
  Exec(*db_, "CREATE TABLE g (id INT NOT NULL PRIMARY KEY, b BLOB NULL)");
  Exec(*db_, "INSERT INTO g SELECT seq, ST_GeomFromText('POINT(1 1)') FROM seq_1_to_1000");
  Status written;
  const RunResult r = RunWhileTriggersExist(
      {"--alter", "MODIFY b POINT NULL", "--execute", "--no-attempt-instant",
       PrimaryDsn(schema_, "g")},
      schema_, "g", [&] { written = db_->Execute("INSERT INTO g VALUES (5000, 'no geometry')"); });
  EXPECT_TRUE(written.ok()) << written.message();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  // The copy meets the row when it comes before the copy's end, verification when after it.
  EXPECT_NE(r.err.find("Cannot get geometry object"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(error 1416)"), std::string::npos) << r.err;
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM g"), "1001");
  EXPECT_EQ(Scalar(*db_,
                   "SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 'g' AND COLUMN_NAME = 'b'"),
            "blob");
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

// A newly partitioned table whose partitions leave out a key the application then writes: its
// INSERT stands (1526 is skipped and recorded), and the run stops before the swap.
TEST_F(DataLossTest, ARowNoNewPartitionTakesFailsTheRunNotTheApplication) {
  Exec(*db_, "CREATE TABLE pt (id INT NOT NULL PRIMARY KEY, v INT NOT NULL)");
  Exec(*db_, "INSERT INTO pt SELECT seq, seq FROM seq_1_to_1000");
  Status written;
  const RunResult r = RunWhileTriggersExist(
      {"--alter", "PARTITION BY RANGE (id) (PARTITION p0 VALUES LESS THAN (100000))", "--execute",
       "--no-attempt-instant", PrimaryDsn(schema_, "pt")},
      schema_, "pt", [&] { written = db_->Execute("INSERT INTO pt VALUES (200000, 1)"); });
  EXPECT_TRUE(written.ok()) << written.message();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("(error 1526)"), std::string::npos) << r.err;
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM pt"), "1001");
  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA "
                   "= DATABASE() AND TABLE_NAME = 'pt' AND PARTITION_NAME IS NOT NULL"),
            "0");
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

}  // namespace
}  // namespace shadowalter::testing
