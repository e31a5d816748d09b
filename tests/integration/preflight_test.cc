// Preflight refusals that need a running server: a second run on the same table, a unique key
// the data already breaks when the key is made of a renamed column, the account's privileges,
// free space, --skip-check, the ALTERs that would lose data, and a new table that would not be
// transactional. (binlog_format and replication
// filters change the whole server: tests/integration/serial/server_settings_test.cc.)
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <thread>

#include "sandbox.h"

namespace shadowalter::testing {
namespace {

using PreflightTest = SandboxTest;

TEST_F(PreflightTest, SecondRunOnTheSameTableIsRefused) {
  Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(20) NOT NULL)");
  Exec(*db_, "INSERT INTO t SELECT seq, 'x' FROM seq_1_to_40000");
  Background first =
      StartShadowalter({"--alter", "ADD COLUMN w INT", "--execute", "--no-attempt-instant",
                        "--chunk-size", "20", PrimaryDsn(schema_, "t")});
  const bool running = WaitUntil([&] { return TableExists(*db_, "_t_new"); });
  ASSERT_TRUE(running);
  RunResult second = RunShadowalter({"--alter", "ADD COLUMN x INT", "--execute",
                                     "--no-attempt-instant", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(second.exit_code, 5) << second.err;
  EXPECT_NE(second.err.find("another shadowalter run"), std::string::npos) << second.err;
  RunResult r = WaitShadowalter(first);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME IN ('w', 'x')"),
            "1");
  // Once the first is done, the lock is free again.
  RunResult third = RunShadowalter({"--alter", "ADD COLUMN x INT", "--execute",
                                    "--no-attempt-instant", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(third.exit_code, 0) << third.err;
}

TEST_F(PreflightTest, UniqueKeyOverARenamedColumnWithDuplicatesIsRefused) {
  Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, code VARCHAR(20) NULL)");
  Exec(*db_,
       "INSERT INTO t SELECT seq, IF(seq % 3 = 0, NULL, CONCAT('c', seq)) FROM "
       "seq_1_to_3000");
  // NULLs never collide in a unique key; a real duplicate does.
  RunResult ok = RunShadowalter(
      {"--alter", "ADD UNIQUE KEY uk (code)", "--dry-run", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  Exec(*db_, "UPDATE t SET code = 'c1' WHERE id = 2000");
  RunResult r = RunShadowalter({"--alter",
                                "CHANGE code sku VARCHAR(20) NULL, ADD UNIQUE KEY "
                                "uk (sku)",
                                "--execute", "--no-attempt-instant", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("on (code)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(c1) 2 times"), std::string::npos) << r.err;
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

// An account of the test's own on 127.0.0.1 (the sandbox skips name resolution), dropped at the
// end.
class AccountTest : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    user_ = "sa_" + std::to_string(std::hash<std::string>{}(schema_) % 1000000000);
    Exec(*db_, "DROP USER IF EXISTS '" + user_ + "'@'127.0.0.1'");
    Exec(*db_, "CREATE USER '" + user_ + "'@'127.0.0.1' IDENTIFIED BY 'acct-pass'");
    Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(20) NOT NULL)");
    Exec(*db_, "INSERT INTO t SELECT seq, 'x' FROM seq_1_to_2000");
  }
  void TearDown() override {
    if (!user_.empty()) (void)db_->Execute("DROP USER IF EXISTS '" + user_ + "'@'127.0.0.1'");
    SandboxTest::TearDown();
  }
  RunResult RunAs(const std::vector<std::string>& args) {
    auto env = ReadSandboxEnv();
    std::vector<std::string> all = args;
    all.push_back("h=127.0.0.1,P=" + std::to_string(env->primary_port) + ",u=" + user_ +
                  ",F=/dev/null,D=" + schema_ + ",t=t");
    return RunShadowalter(all, {{"MYSQL_PWD", "acct-pass"}});
  }
  void Grant(const std::string& privileges, const std::string& on) {
    Exec(*db_, "GRANT " + privileges + " ON " + on + " TO '" + user_ + "'@'127.0.0.1'");
  }
  std::string user_;
};

TEST_F(AccountTest, EachMissingPrivilegeIsNamedBeforeAnythingIsCreated) {
  // Everything sql/grants.sql asks for but TRIGGER and DROP on the schema, and PROCESS.
  Grant("SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, REFERENCES, LOCK TABLES",
        "`" + schema_ + "`.*");
  Grant("REPLICATION CLIENT, SLAVE MONITOR", "*.*");
  RunResult r = RunAs({"--alter", "ADD COLUMN w INT", "--execute", "--no-attempt-instant"});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("privileges: the account lacks DROP on `" + schema_ + "`.*, TRIGGER on `" +
                       schema_ + "`.*, PROCESS on *.*"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'w'"),
            "0");
}

TEST_F(AccountTest, TheGrantsOfSqlGrantsFileAreEnoughForAWholeMigration) {
  // sql/grants.sql, for this schema; binary logging is on in the sandbox, so CREATE TRIGGER
  // needs SUPER unless log_bin_trust_function_creators is on (the setting grants.sql prefers).
  Grant(
      "SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, TRIGGER, REFERENCES, "
      "LOCK TABLES",
      "`" + schema_ + "`.*");
  Grant("REPLICATION CLIENT, PROCESS, SLAVE MONITOR, REPLICATION MASTER ADMIN", "*.*");
  WaitForReplica();  // the account must exist on the replica too, to watch its lag
  // Only this test changes the setting; the sandbox account has SUPER, so others don't mind.
  Exec(*db_, "SET GLOBAL log_bin_trust_function_creators = 0");
  RunResult refused = RunAs({"--alter", "ADD COLUMN w INT", "--dry-run"});
  EXPECT_EQ(refused.exit_code, 5) << refused.err;
  EXPECT_NE(refused.err.find("SUPER on *.* (CREATE TRIGGER with binary logging on"),
            std::string::npos)
      << refused.err;
  Exec(*db_, "SET GLOBAL log_bin_trust_function_creators = 1");
  RunResult r = RunAs({"--alter", "ADD COLUMN w INT", "--execute", "--no-attempt-instant"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("watching replica lag on"), std::string::npos) << r.err;
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t"), "2000");
  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'w'"),
            "1");
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

TEST_F(AccountTest, SkipCheckPrivilegesLetsTheServerBeTheJudge) {
  Grant("SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP", "`" + schema_ + "`.*");
  Grant("REPLICATION CLIENT, SLAVE MONITOR", "*.*");
  // Without PROCESS discovery would see no replica; --recursion-method none says so knowingly.
  RunResult r = RunAs({"--alter", "ADD COLUMN w INT", "--dry-run", "--skip-check", "privileges",
                       "--recursion-method", "none"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("preflight privileges: skipped (--skip-check privileges)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

TEST_F(PreflightTest, FreeSpaceIsCheckedWhereTheServerReportsIt) {
  Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(20) NOT NULL)");
  RunResult r = RunShadowalter(
      {"--alter", "ADD COLUMN w INT", "--dry-run", "--print", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The sandbox loads MariaDB's DISKS plugin: the check reads the data directory's file system.
  EXPECT_NE(r.err.find("SELECT Path, Available FROM information_schema.DISKS"), std::string::npos)
      << r.err;
  EXPECT_TRUE(r.err.find("free space: ") != std::string::npos &&
              r.err.find(" available on /") != std::string::npos)
      << r.err;
  RunResult skipped = RunShadowalter({"--alter", "ADD COLUMN w INT", "--dry-run", "--skip-check",
                                      "free-space", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(skipped.exit_code, 0) << skipped.err;
  EXPECT_EQ(skipped.err.find("free space: "), std::string::npos) << skipped.err;
}

TEST_F(PreflightTest, SkippingAnUnknownOrEssentialCheckIsAUsageError) {
  Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(20) NOT NULL)");
  RunResult unknown = RunShadowalter({"--alter", "ADD COLUMN w INT", "--execute", "--skip-check",
                                      "nosuch", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(unknown.exit_code, 2) << unknown.err;
  EXPECT_NE(unknown.err.find("unknown check 'nosuch' for --skip-check"), std::string::npos)
      << unknown.err;
  RunResult essential = RunShadowalter({"--alter", "ADD COLUMN w INT", "--execute", "--skip-check",
                                        "leftovers", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(essential.exit_code, 2) << essential.err;
  EXPECT_NE(essential.err.find("the 'leftovers' check can't be skipped"), std::string::npos)
      << essential.err;
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'w'"),
            "0");
}

TEST_F(PreflightTest, EveryFailingCheckIsReportedAtOnce) {
  // MyISAM, and no key to walk: two checks fail, both are named in one refusal.
  Exec(*db_, "CREATE TABLE t (v VARCHAR(20) NULL) ENGINE=MyISAM");
  RunResult r =
      RunShadowalter({"--alter", "ADD COLUMN w INT", "--dry-run", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("engine: the table uses the MyISAM engine"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("chunk-key: the table has no primary key"), std::string::npos) << r.err;
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

TEST_F(PreflightTest, DroppingThePrimaryKeyWithoutKeepingItUniqueIsRefused) {
  Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(20) NOT NULL)");
  Exec(*db_, "INSERT INTO t SELECT seq, 'x' FROM seq_1_to_100");
  RunResult r =
      RunShadowalter({"--alter", "DROP PRIMARY KEY", "--execute", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("no unique key on the columns of key `PRIMARY`"), std::string::npos)
      << r.err;
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA "
                   "= DATABASE() AND TABLE_NAME = 't' AND INDEX_NAME = 'PRIMARY'"),
            "1");
}

// The engine the new table actually got decides: a non-transactional one would keep the trigger
// writes of transactions the application rolls back, and its table-level locks would hang the
// application's writes in a lock cycle with the copy. Refused in one line, in a dry run too, and
// nothing is left: no new table, no triggers, no checkpoint.
TEST_F(PreflightTest, AnAlterToANonTransactionalEngineIsRefusedLeavingNothing) {
  Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(20) NOT NULL)");
  Exec(*db_, "INSERT INTO t SELECT seq, CONCAT('v', seq) FROM seq_1_to_500");
  const std::string checksum = TableChecksum(*db_, "t");
  const std::pair<const char*, const char*> alters[] = {
      {"ENGINE=MyISAM", "MyISAM"},
      {"ENGINE=Aria TRANSACTIONAL=1", "Aria"},
      {"ENGINE=MEMORY", "MEMORY"},
      {"ADD COLUMN w INT NULL, ENGINE=MyISAM", "MyISAM"}};
  for (const auto& [alter, engine] : alters) {
    for (const char* mode : {"--execute", "--dry-run"}) {
      RunResult r = RunShadowalter({"--alter", alter, mode, PrimaryDsn(schema_, "t")});
      EXPECT_EQ(r.exit_code, 5) << alter << " " << mode << "\n" << r.err;
      const std::vector<std::string> errors = ErrorLines(r.err);
      ASSERT_EQ(errors.size(), 1u) << alter << " " << mode << "\n" << r.err;
      EXPECT_NE(errors[0].find("new-table-engine: with the ALTER applied the new table uses the " +
                               std::string(engine) + " engine, which is not transactional"),
                std::string::npos)
          << errors[0];
      EXPECT_NE(errors[0].find("keep the table InnoDB"), std::string::npos) << errors[0];
      EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{}) << alter << " " << mode;
    }
  }
  EXPECT_EQ(Scalar(*db_,
                   "SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 't'"),
            "InnoDB");
  EXPECT_EQ(TableChecksum(*db_, "t"), checksum);
  // The same table with an ALTER that keeps it InnoDB goes through.
  RunResult ok = RunShadowalter(
      {"--alter", "ENGINE=InnoDB, ADD COLUMN w INT NULL", "--execute", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

}  // namespace
}  // namespace shadowalter::testing
