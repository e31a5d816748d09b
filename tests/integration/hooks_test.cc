// --hook-dir against the real binary: hooks run in order with their variables, and a failing
// before-cutover hook keeps the original table as it was.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "sandbox.h"

namespace shadowalter::testing {
namespace {

class HooksTest : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    char dir[] = "/tmp/sa_hooks.XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    log_ = dir_ + "/calls.log";
    Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(40) NOT NULL)");
    Exec(*db_, "INSERT INTO t SELECT seq, CONCAT('value ', seq) FROM seq_1_to_2000");
  }
  void TearDown() override {
    if (!dir_.empty()) (void)std::system(("rm -rf '" + dir_ + "'").c_str());
    SandboxTest::TearDown();
  }

  // A hook that appends one line about itself to the log, then runs `tail`.
  void Hook(const std::string& name, const std::string& tail = "") {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << "#!/bin/sh\n"
                        << "echo \"$(basename \"$0\") $SHADOWALTER_PHASE $SHADOWALTER_SCHEMA "
                           "$SHADOWALTER_TABLE rows=$SHADOWALTER_ROWS_COPIED "
                           "exit=${SHADOWALTER_EXIT_CODE:-none} pwd=${MYSQL_PWD:-none}\" >> '"
                        << log_ << "'\n"
                        << tail << "\n";
    chmod(path.c_str(), 0755);
  }

  std::vector<std::string> Calls() {
    std::vector<std::string> lines;
    std::ifstream in(log_);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

  std::string dir_, log_;
};

TEST_F(HooksTest, RunInOrderWithTheirVariables) {
  for (const char* name :
       {"startup", "validated", "before-copy", "before-cutover", "success", "failure"}) {
    Hook(name, "echo said by $(basename \"$0\")");
  }
  // Not executable: skipped with a warning.
  std::ofstream(dir_ + "/notes.txt") << "not a hook\n";
  RunResult r =
      RunShadowalter({"--alter", "ADD COLUMN w INT NULL", "--execute", "--no-attempt-instant",
                      "--hook-dir", dir_, PrimaryDsn(schema_, "t")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string s = schema_;
  EXPECT_EQ(Calls(), (std::vector<std::string>{
                         "startup startup " + s + " t rows=0 exit=none pwd=none",
                         "validated preflight " + s + " t rows=0 exit=none pwd=none",
                         "before-copy copy " + s + " t rows=0 exit=none pwd=none",
                         "before-cutover swap " + s + " t rows=2000 exit=none pwd=none",
                         "success done " + s + " t rows=2000 exit=0 pwd=none",
                     }));
  // Their output goes to the log.
  EXPECT_NE(r.err.find("hook before-cutover: said by before-cutover"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("said by"), std::string::npos) << r.out;
  EXPECT_EQ(Rows(*db_, "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '" +
                           schema_ + "' AND TABLE_NAME = 't' AND COLUMN_NAME = 'w'"),
            std::vector<std::string>{"1"});
}

TEST_F(HooksTest, NonExecutableHookIsAWarning) {
  std::ofstream(dir_ + "/startup") << "#!/bin/sh\nexit 1\n";
  chmod((dir_ + "/startup").c_str(), 0644);
  RunResult r = RunShadowalter({"--alter", "ADD COLUMN w INT NULL", "--dry-run", "--hook-dir", dir_,
                                PrimaryDsn(schema_, "t")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("is not an executable file"), std::string::npos) << r.err;
}

TEST_F(HooksTest, FailingBeforeCutoverPreventsTheSwap) {
  Hook("before-cutover", "exit 7");
  Hook("failure");
  Hook("success");
  const std::string checksum = TableChecksum(*db_, "t");
  const std::vector<std::string> create = Rows(*db_, "SHOW CREATE TABLE t");
  RunResult r =
      RunShadowalter({"--alter", "ADD COLUMN w INT NULL", "--execute", "--no-attempt-instant",
                      "--hook-dir", dir_, "--output", "json", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("hook before-cutover failed (exit status 7)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("everything was cleaned up"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("\"status\":\"failed\""), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\"phase\":\"swap\",\"description\""), std::string::npos) << r.out;
  const std::string s = schema_;
  EXPECT_EQ(Calls(), (std::vector<std::string>{
                         "before-cutover swap " + s + " t rows=2000 exit=none pwd=none",
                         "failure swap " + s + " t rows=2000 exit=1 pwd=none",
                     }));
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
  EXPECT_EQ(Rows(*db_, "SHOW CREATE TABLE t"), create);
  EXPECT_EQ(TableChecksum(*db_, "t"), checksum);
}

TEST_F(HooksTest, ParkedRunRunsTheParkedHook) {
  for (const char* name : {"success", "failure", "parked"}) Hook(name);
  const std::string pause = dir_ + "/pause";
  std::ofstream(pause) << "";
  RunResult r = RunShadowalter({"--alter", "ADD COLUMN w INT NULL", "--execute",
                                "--no-attempt-instant", "--pause-file", pause, "--max-runtime",
                                "2s", "--hook-dir", dir_, PrimaryDsn(schema_, "t")});
  ASSERT_EQ(r.exit_code, 4) << r.err;
  EXPECT_EQ(Calls(), (std::vector<std::string>{
                         "parked copy " + schema_ + " t rows=0 exit=4 pwd=none",
                     }));
  EXPECT_EQ(RunShadowalter({"cleanup", PrimaryDsn(schema_, "t")}).exit_code, 0);
}

}  // namespace
}  // namespace shadowalter::testing
