// --no-swap-tables: a rehearsal that copies and verifies, then leaves the table exactly as it was;
// with --no-drop-triggers a run that parks with the new table kept current, which `resume` swaps
// in later with every write made meanwhile.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sandbox.h"

namespace shadowalter::testing {
namespace {

class NoSwapTest : public SandboxTest {
 protected:
  void CreateTable() {
    Exec(*db_,
         "CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, v VARCHAR(20) NOT NULL)");
    Exec(*db_, "INSERT INTO t SELECT seq, CONCAT('v', seq) FROM seq_1_to_20000");
  }
  std::string Columns() {
    return Scalar(
        *db_,
        "SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION) FROM "
        "information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't'");
  }
  std::string Digest() {
    return Scalar(*db_, "SELECT CONCAT(COUNT(*), ':', SUM(CRC32(CONCAT(id, '|', v)))) FROM t");
  }
  RunResult Alter(std::vector<std::string> extra) {
    std::vector<std::string> args = {"--alter", "ADD COLUMN w INT NULL", "--execute"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(PrimaryDsn(schema_, "t"));
    return RunShadowalter(args);
  }
};

TEST_F(NoSwapTest, ARehearsalCopiesAndVerifiesThenLeavesTheTableAsItWas) {
  CreateTable();
  const std::string before = Digest();
  const std::vector<std::string> create = Rows(*db_, "SHOW CREATE TABLE t");
  // ADD COLUMN could be done instantly; a rehearsal must copy all the same.
  const RunResult r = Alter({"--no-swap-tables"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("copied 20000 rows"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("verified: both tables hold the same 20000 rows"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("done without swapping (--no-swap-tables): 20000 rows copied and verified"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(Columns(), "id,v");
  EXPECT_EQ(Rows(*db_, "SHOW CREATE TABLE t"), create);
  EXPECT_EQ(Digest(), before);
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
  const RunResult status = RunShadowalter({"status", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(status.exit_code, 0) << status.out << status.err;
}

TEST_F(NoSwapTest, WithNoDropTriggersItParksAndResumeSwapsInEveryLaterWrite) {
  CreateTable();
  const RunResult parked = Alter({"--no-swap-tables", "--no-drop-triggers"});
  EXPECT_EQ(parked.exit_code, 4) << parked.err;
  EXPECT_NE(parked.err.find("not swapping (--no-swap-tables --no-drop-triggers)"),
            std::string::npos)
      << parked.err;
  EXPECT_EQ(Columns(), "id,v");
  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE "
                   "EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = 't'"),
            "3");
  // The application goes on writing; the triggers keep the new table current.
  Exec(*db_, "INSERT INTO t (v) VALUES ('after park')");
  Exec(*db_, "UPDATE t SET v = 'changed' WHERE id = 7");
  Exec(*db_, "DELETE FROM t WHERE id = 8");
  const std::string before = Digest();
  const RunResult status = RunShadowalter({"status", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(status.exit_code, 4) << status.out << status.err;
  const RunResult resumed = RunShadowalter({"resume", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(Columns(), "id,v,w");
  EXPECT_EQ(Digest(), before);
  EXPECT_EQ(Scalar(*db_, "SELECT v FROM t WHERE id = 7"), "changed");
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

}  // namespace
}  // namespace shadowalter::testing
