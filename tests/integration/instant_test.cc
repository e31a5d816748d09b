// Instant when the server can: an ALTER the server does with ALGORITHM=INSTANT changes the
// original in place (no new table, no triggers, no copy); one it can't falls back to the copy.
// Whether the original was copied shows in its InnoDB table id: a copy swaps in a new table.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "model_writer.h"
#include "sandbox.h"

namespace shadowalter::testing {
namespace {

class InstantTest : public SandboxTest {
 protected:
  void CreateModelTable(int rows) {
    Exec(*db_,
         "CREATE TABLE t (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, k INT NOT NULL, "
         "v VARCHAR(64) NOT NULL, KEY (k)) ENGINE=InnoDB");
    Exec(*db_, "INSERT INTO t (k, v) SELECT seq % 1000, CONCAT('row', seq) FROM seq_1_to_" +
                   std::to_string(rows));
  }
  std::string TableId() {
    return Scalar(*db_, "SELECT TABLE_ID FROM information_schema.INNODB_SYS_TABLES WHERE NAME = '" +
                            schema_ + "/t'");
  }
  std::string ColumnType(const std::string& column) {
    return Scalar(*db_,
                  "SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                  "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = '" +
                      column + "'");
  }
  // Runs shadowalter --execute with `extra_args` on t while the model writer writes, and checks
  // that nothing was lost.
  RunResult AlterUnderWrites(const std::vector<std::string>& extra_args) {
    ModelWriter writer(schema_, "t", 7);
    writer.LoadModel();
    writer.Start();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    std::vector<std::string> args = {"--execute", "--chunk-size", "500"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    args.push_back(PrimaryDsn(schema_, "t"));
    RunResult r = RunShadowalter(args);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    writer.Stop();
    EXPECT_GT(writer.committed(), 20u) << writer.last_error();
    EXPECT_TRUE(TableRows(*db_, "t") == writer.model())
        << "the table's rows differ from what the writer committed";
    EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
    return r;
  }
};

TEST_F(InstantTest, AddColumnIsDoneInPlaceWithoutACopyUnderWrites) {
  CreateModelTable(20000);
  const std::string id = TableId();
  ASSERT_NE(id, "NULL");
  RunResult r = AlterUnderWrites({"--alter", "ADD COLUMN note VARCHAR(20) NULL"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("altered instantly"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("triggers installed"), std::string::npos) << r.err;
  EXPECT_EQ(TableId(), id) << "an instant ALTER must not replace the table";
  EXPECT_EQ(ColumnType("note"), "varchar(20)");
}

TEST_F(InstantTest, TheReplicaGetsTheInstantAlter) {
  CreateModelTable(5000);
  const std::string id = TableId();
  ASSERT_NE(id, "NULL");
  RunResult r = RunShadowalter(
      {"--alter", "ADD COLUMN note INT NULL", "--execute", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(TableId(), id);
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t WHERE note IS NULL"), "5000");
  WaitForReplica();
  auto replica = ConnectReplica(schema_);
  ASSERT_TRUE(replica);
  EXPECT_EQ(Scalar(*replica,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE "
                   "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = "
                   "'note'"),
            "1");
}

TEST_F(InstantTest, AnAlterTheServerCantDoInstantlyIsCopiedUnderWrites) {
  CreateModelTable(20000);
  const std::string id = TableId();
  RunResult r = AlterUnderWrites({"--alter", "MODIFY k BIGINT NOT NULL"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("can't do this ALTER instantly"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("triggers installed"), std::string::npos) << r.err;
  EXPECT_EQ(ColumnType("k"), "bigint(20)");
  EXPECT_NE(TableId(), id);
}

TEST_F(InstantTest, NoAttemptInstantCopiesEvenWhenInstantIsPossible) {
  CreateModelTable(3000);
  const std::string id = TableId();
  RunResult r = RunShadowalter({"--alter", "ADD COLUMN note INT NULL", "--execute",
                                "--no-attempt-instant", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(TableId(), id) << "--no-attempt-instant must copy into a new table";
  EXPECT_NE(r.err.find("triggers installed"), std::string::npos) << r.err;
  EXPECT_EQ(ColumnType("note"), "int(11)");
}

TEST_F(InstantTest, DryRunSaysWhichPathWouldBeTaken) {
  CreateModelTable(100);
  const std::string id = TableId();
  RunResult instant = RunShadowalter(
      {"--alter", "ADD COLUMN note INT NULL", "--dry-run", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(instant.exit_code, 0) << instant.err;
  EXPECT_NE(instant.out.find("Path: instant"), std::string::npos) << instant.out;
  RunResult copy = RunShadowalter(
      {"--alter", "MODIFY k BIGINT NOT NULL", "--dry-run", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(copy.exit_code, 0) << copy.err;
  EXPECT_NE(copy.out.find("Path: copy (not instant: ALGORITHM=INSTANT is not supported"),
            std::string::npos)
      << copy.out;
  RunResult off = RunShadowalter({"--alter", "ADD COLUMN note INT NULL", "--dry-run",
                                  "--no-attempt-instant", PrimaryDsn(schema_, "t")});
  EXPECT_NE(off.out.find("Path: copy (not instant: --no-attempt-instant)"), std::string::npos)
      << off.out;
  // A dry run changes nothing.
  EXPECT_EQ(TableId(), id);
  EXPECT_EQ(ColumnType("note"), "NULL");
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

TEST_F(InstantTest, WaitsBrieflyForAMetadataLockAndSucceedsOnceTheBlockerCommits) {
  CreateModelTable(1000);
  const std::string id = TableId();
  auto blocker = ConnectPrimary(schema_);
  ASSERT_TRUE(blocker);
  Exec(*blocker, "START TRANSACTION");
  Exec(*blocker, "SELECT COUNT(*) FROM t");
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    (void)blocker->Execute("COMMIT");
  });
  RunResult r =
      RunShadowalter({"--alter", "ADD COLUMN note INT NULL", "--execute", "--lock-wait-timeout",
                      "1", "--tries", "20", PrimaryDsn(schema_, "t")});
  release.join();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("waited too long for a lock"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("altered instantly"), std::string::npos) << r.err;
  EXPECT_EQ(TableId(), id);
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

TEST_F(InstantTest, GivingUpOnTheMetadataLockLeavesTheTableAsItWas) {
  CreateModelTable(1000);
  auto blocker = ConnectPrimary(schema_);
  ASSERT_TRUE(blocker);
  Exec(*blocker, "START TRANSACTION");
  Exec(*blocker, "SELECT COUNT(*) FROM t");
  RunResult r =
      RunShadowalter({"--alter", "ADD COLUMN note INT NULL", "--execute", "--lock-wait-timeout",
                      "1", "--tries", "2", PrimaryDsn(schema_, "t")});
  Exec(*blocker, "COMMIT");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("gave up after 2 tries"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("held by connection " + std::to_string(blocker->connection_id())),
            std::string::npos)
      << r.err;
  EXPECT_EQ(ColumnType("note"), "NULL");
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

}  // namespace
}  // namespace shadowalter::testing
