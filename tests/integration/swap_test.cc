// What the swap leaves: the new table under the old name with the parent foreign keys it had,
// the old table kept on request, and the password never visible in the process's arguments.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "sandbox.h"

namespace shadowalter::testing {
namespace {

using SwapTest = SandboxTest;

TEST_F(SwapTest, NoDropOldTableKeepsTheOriginalWithoutTriggers) {
  Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(20) NOT NULL)");
  Exec(*db_, "INSERT INTO t SELECT seq, CONCAT('v', seq) FROM seq_1_to_3000");
  const std::string before = TableChecksum(*db_, "t");
  RunResult r =
      RunShadowalter({"--alter", "ADD COLUMN w INT NOT NULL DEFAULT 7", "--execute",
                      "--no-attempt-instant", "--no-drop-old-table", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(TableChecksum(*db_, "_t_old"), before);
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t WHERE w = 7"), "3000");
  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE "
                   "TRIGGER_SCHEMA = DATABASE()"),
            "0");
  EXPECT_NE(r.err.find("_t_old"), std::string::npos) << r.err;
}

TEST_F(SwapTest, ForeignKeysToParentTablesSurvive) {
  Exec(*db_, "CREATE TABLE parent (id INT NOT NULL PRIMARY KEY)");
  Exec(*db_, "INSERT INTO parent SELECT seq FROM seq_1_to_100");
  Exec(*db_,
       "CREATE TABLE child (id INT NOT NULL PRIMARY KEY, pid INT NOT NULL, "
       "CONSTRAINT fk_child_parent FOREIGN KEY (pid) REFERENCES parent (id) "
       "ON DELETE CASCADE)");
  Exec(*db_, "INSERT INTO child SELECT seq, 1 + seq % 100 FROM seq_1_to_2000");
  RunResult r = RunShadowalter({"--alter", "ADD COLUMN note VARCHAR(10) NULL", "--execute",
                                "--no-attempt-instant", PrimaryDsn(schema_, "child")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM child"), "2000");
  // The constraint exists on the new table (its toggled name restored once the old table is gone)
  // and still points at the parent.
  EXPECT_EQ(Scalar(*db_,
                   "SELECT CONCAT(CONSTRAINT_NAME, '->', REFERENCED_TABLE_NAME) FROM "
                   "information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 'child'"),
            "fk_child_parent->parent");
  EXPECT_FALSE(db_->Execute("INSERT INTO child VALUES (5000, 999, NULL)").ok())
      << "a child row without a parent must still be refused";
  Exec(*db_, "DELETE FROM parent WHERE id = 1");
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM child WHERE pid = 1"), "0") << "cascade lost";
}

TEST_F(SwapTest, PasswordNeverInTheProcessArguments) {
  Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(20) NOT NULL)");
  Exec(*db_, "INSERT INTO t SELECT seq, 'x' FROM seq_1_to_30000");
  auto env = ReadSandboxEnv();
  ASSERT_TRUE(env);
  Background bg = StartShadowalter(
      {"--alter", "ADD COLUMN w INT", "--execute", "--no-attempt-instant", "--chunk-size", "20",
       "--password", env->password, PrimaryDsn(schema_, "t") + ",p=" + env->password});
  std::string cmdline;
  if (WaitUntil([&] { return TableExists(*db_, "_t_new"); })) {
    cmdline = ReadFileText("/proc/" + std::to_string(bg.pid) + "/cmdline");
  }
  RunResult r = WaitShadowalter(bg);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_FALSE(cmdline.empty()) << "never saw the running process";
  EXPECT_NE(cmdline.find("--execute"), std::string::npos);
  EXPECT_EQ(cmdline.find(env->password), std::string::npos) << "password visible in ps";
  EXPECT_EQ(r.err.find(env->password), std::string::npos);
  EXPECT_EQ(r.out.find(env->password), std::string::npos);
}

TEST_F(SwapTest, PostponedCutoverWaitsForTheFileAndKeepsTheCopyCurrent) {
  Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(20) NOT NULL)");
  Exec(*db_, "INSERT INTO t SELECT seq, 'x' FROM seq_1_to_5000");
  const std::string flag = "/tmp/sa_postpone_" + schema_;
  { std::ofstream(flag) << "wait"; }
  Background bg =
      StartShadowalter({"--alter", "ADD COLUMN w INT", "--execute", "--no-attempt-instant",
                        "--postpone-cutover-file", flag, PrimaryDsn(schema_, "t")});
  // Wait until the copy is done (the new table holds every row) and the run is parked on the
  // file; then write: the triggers must carry it over.
  const bool parked = WaitUntil(
      [&] { return ReadFileText(bg.err_path).find("cut-over postponed") != std::string::npos; });
  ASSERT_TRUE(parked);
  Exec(*db_, "UPDATE t SET v = 'late' WHERE id = 7");
  Exec(*db_, "INSERT INTO t VALUES (9999, 'new')");
  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'w'"),
            "0")
      << "swapped while the file exists";
  std::remove(flag.c_str());
  RunResult r = WaitShadowalter(bg);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Scalar(*db_, "SELECT v FROM t WHERE id = 7"), "late");
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t"), "5001");
  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'w'"),
            "1");
}

// Credentials from an option file ([client] group), read the way the mysql client reads it.
TEST_F(SwapTest, CredentialsFromAnOptionFile) {
  Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY)");
  Exec(*db_, "INSERT INTO t SELECT seq FROM seq_1_to_100");
  auto env = ReadSandboxEnv();
  ASSERT_TRUE(env);
  const std::string file = "/tmp/sa_optfile_" + schema_ + ".cnf";
  {
    std::ofstream out(file);
    out << "[client]\nuser=" << env->user << "\npassword=" << env->password
        << "\nhost=" << env->host << "\nport=" << env->primary_port << "\n";
  }
  RunResult r = RunShadowalter({"--alter", "ADD COLUMN w INT", "--execute", "--no-attempt-instant",
                                "F=" + file + ",D=" + schema_ + ",t=t"},
                               {{"MYSQL_PWD", "<unset>"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find(env->password), std::string::npos);
  // The same without the file has no password and is refused untouched.
  RunResult refused =
      RunShadowalter({"--alter", "ADD COLUMN x INT", "--execute", "--no-attempt-instant",
                      "F=/dev/null,h=" + env->host + ",P=" + std::to_string(env->primary_port) +
                          ",u=" + env->user + ",D=" + schema_ + ",t=t"},
                     {{"MYSQL_PWD", "<unset>"}});
  EXPECT_EQ(refused.exit_code, 5) << refused.err;
  std::remove(file.c_str());
}

}  // namespace
}  // namespace shadowalter::testing
