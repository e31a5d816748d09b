// The run id against the real binary: a run parked and its resume carry one run_id on every
// event of both invocations, `status` shows it, hooks get it; a checkpoint made before run ids
// (no run_id column) still resumes, and the resumed run records its own id there.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "sandbox.h"

namespace shadowalter::testing {
namespace {

constexpr int kParkedExit = 4;

class RunIdResumeTest : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    char dir[] = "/tmp/sa_run_id.XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    pause_ = dir_ + "/pause";
    calls_ = dir_ + "/calls.log";
    Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(40) NOT NULL)");
    Exec(*db_, "INSERT INTO t SELECT seq, CONCAT('value ', seq) FROM seq_1_to_2000");
  }
  void TearDown() override {
    if (!dir_.empty()) (void)std::system(("rm -rf '" + dir_ + "'").c_str());
    SandboxTest::TearDown();
  }

  std::string Dsn() const { return PrimaryDsn(schema_, "t"); }

  // The copy waits on the pause file until the time limit parks the run.
  RunResult RunAndPark(std::vector<std::string> args) {
    std::ofstream(pause_) << "";
    args.insert(args.end(), {"--pause-file", pause_, "--max-runtime", "2s", Dsn()});
    RunResult r = RunShadowalter(args);
    std::remove(pause_.c_str());
    return r;
  }

  // Hooks that append "<hook> <SHADOWALTER_RUN_ID>" to the calls log.
  void WriteHooks() {
    for (const char* name : {"startup", "parked", "success"}) {
      const std::string path = dir_ + "/" + name;
      std::ofstream(path) << "#!/bin/sh\necho \"$SHADOWALTER_HOOK $SHADOWALTER_RUN_ID\" >> '"
                          << calls_ << "'\n";
      chmod(path.c_str(), 0755);
    }
  }
  std::vector<std::string> Calls() const {
    std::vector<std::string> lines;
    std::ifstream in(calls_);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

  // The events of one invocation: each line parsed, its run_id checked to be one id of 16 hex
  // digits, the same on every line; returns that id ("" on a failure) and the events in order.
  static std::string OneRunId(const RunResult& r, std::vector<std::string>* events = nullptr) {
    const std::regex hex16("[0-9a-f]{16}");
    std::string id;
    std::istringstream in(r.out);
    int lines = 0;
    for (std::string line; std::getline(in, line); ++lines) {
      rapidjson::Document d;
      d.Parse(line.c_str());
      EXPECT_FALSE(d.HasParseError()) << line;
      if (d.HasParseError() || !d.IsObject()) return "";
      EXPECT_TRUE(d.HasMember("run_id") && d["run_id"].IsString()) << line;
      if (!d.HasMember("run_id") || !d["run_id"].IsString()) return "";
      const std::string this_id = d["run_id"].GetString();
      EXPECT_TRUE(std::regex_match(this_id, hex16)) << line;
      if (id.empty()) id = this_id;
      EXPECT_EQ(this_id, id) << "line " << lines << ": " << line;
      if (events != nullptr) {
        std::string e = d["event"].GetString();
        if (e == "phase") e += ":" + std::string(d["phase"].GetString());
        if (e == "done") e += ":" + std::string(d["status"].GetString());
        events->push_back(e);
      }
    }
    EXPECT_GT(lines, 0) << "no events";
    return id;
  }

  // `status --output json` for the table: its run_id (or "null"), its verdict.
  std::pair<std::string, std::string> StatusRunId() {
    RunResult status = RunShadowalter({"status", "--output", "json", Dsn()});
    rapidjson::Document d;
    d.Parse(status.out.c_str());
    EXPECT_FALSE(d.HasParseError()) << status.out << status.err;
    if (d.HasParseError() || !d.HasMember("run_id")) return {"missing", ""};
    return {d["run_id"].IsNull() ? std::string("null") : std::string(d["run_id"].GetString()),
            d["verdict"].GetString()};
  }

  std::string dir_, pause_, calls_;
};

TEST_F(RunIdResumeTest, AParkedRunAndItsResumeCarryOneRunId) {
  WriteHooks();
  RunResult parked = RunAndPark({"--alter", "ADD COLUMN w INT NULL", "--execute",
                                 "--no-attempt-instant", "--output", "json", "--hook-dir", dir_});
  ASSERT_EQ(parked.exit_code, kParkedExit) << parked.err;
  std::vector<std::string> events;
  const std::string id = OneRunId(parked, &events);
  ASSERT_FALSE(id.empty()) << parked.out;
  // Held until find_stopped_run, then written in their order; a throttle_start while paused.
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0], "phase:analyze");
  const auto find_stopped_run = std::find(events.begin(), events.end(), "phase:find_stopped_run");
  EXPECT_NE(find_stopped_run, events.end());
  EXPECT_LT(find_stopped_run, std::find(events.begin(), events.end(), "throttle_start"));
  EXPECT_EQ(events.back(), "done:parked");

  EXPECT_EQ(StatusRunId(), std::make_pair(id, std::string("resumable")));
  RunResult text = RunShadowalter({"status", Dsn()});
  EXPECT_NE(text.out.find("  run id:        " + id + "\n"), std::string::npos) << text.out;

  // The next night: `resume` continues it under the same id, on every line.
  RunResult resumed = RunShadowalter({"resume", "--output", "json", "--hook-dir", dir_, Dsn()});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  events.clear();
  EXPECT_EQ(OneRunId(resumed, &events), id) << resumed.out;
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0], "phase:analyze");
  EXPECT_EQ(events.back(), "done:success");
  // Hooks: the startup hook of an --execute run can't know it yet.
  EXPECT_EQ(Calls(),
            (std::vector<std::string>{"startup ", "parked " + id, "startup ", "success " + id}));
  // Done: nothing on record any more.
  EXPECT_EQ(StatusRunId(), std::make_pair(std::string("null"), std::string("nothing")));
}

// A run parked twice, then finished, by the same command line with --resume (the cron line of
// docs/operations.md): one id throughout, the fresh run's.
TEST_F(RunIdResumeTest, TheSameCommandLineWithResumeKeepsTheId) {
  const std::vector<std::string> args = {"--alter",  "ADD COLUMN w INT NULL", "--execute",
                                         "--resume", "--no-attempt-instant",  "--output",
                                         "json"};
  RunResult first = RunAndPark(args);
  ASSERT_EQ(first.exit_code, kParkedExit) << first.err;
  const std::string id = OneRunId(first);
  ASSERT_FALSE(id.empty());
  RunResult second = RunAndPark(args);
  ASSERT_EQ(second.exit_code, kParkedExit) << second.err;
  EXPECT_EQ(OneRunId(second), id);
  std::vector<std::string> last_args = args;
  last_args.push_back(Dsn());
  RunResult last = RunShadowalter(last_args);
  ASSERT_EQ(last.exit_code, 0) << last.err;
  EXPECT_EQ(OneRunId(last), id);
}

// A checkpoint table made before run ids has no run_id column: status shows none, the run that
// resumes it keeps the id it made and records it (adding the column), status then shows it, and
// the run that finishes it has it too.
TEST_F(RunIdResumeTest, ACheckpointWithoutTheRunIdColumnResumesAndGetsAnId) {
  RunResult parked = RunAndPark({"--alter", "ADD COLUMN w INT NULL", "--execute",
                                 "--no-attempt-instant", "--output", "json"});
  ASSERT_EQ(parked.exit_code, kParkedExit) << parked.err;
  const std::string old_id = OneRunId(parked);
  Exec(*db_, "ALTER TABLE _t_state DROP COLUMN run_id");
  EXPECT_EQ(StatusRunId(), std::make_pair(std::string("null"), std::string("resumable")));
  RunResult text = RunShadowalter({"status", Dsn()});
  EXPECT_EQ(text.exit_code, kParkedExit) << text.err;
  EXPECT_EQ(text.out.find("run id"), std::string::npos) << text.out;

  // Resumed, and parked again while paused: the id it made is on record now.
  RunResult resumed = RunAndPark({"resume", "--output", "json"});
  ASSERT_EQ(resumed.exit_code, kParkedExit) << resumed.err;
  EXPECT_NE(resumed.err.find("resuming"), std::string::npos) << resumed.err;
  const std::string new_id = OneRunId(resumed);
  ASSERT_FALSE(new_id.empty());
  EXPECT_NE(new_id, old_id);
  EXPECT_EQ(Scalar(*db_, "SELECT run_id FROM _t_state"), new_id);
  EXPECT_EQ(StatusRunId(), std::make_pair(new_id, std::string("resumable")));

  RunResult finished = RunShadowalter({"resume", "--output", "json", Dsn()});
  ASSERT_EQ(finished.exit_code, 0) << finished.err;
  EXPECT_EQ(OneRunId(finished), new_id);
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

// A run that can't continue a stopped one writes at once, with an id of its own.
TEST_F(RunIdResumeTest, ADryRunHasAnIdOfItsOwn) {
  RunResult dry =
      RunShadowalter({"--alter", "ADD COLUMN w INT NULL", "--dry-run", "--output", "json", Dsn()});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  const std::string id = OneRunId(dry);
  EXPECT_FALSE(id.empty());
  RunResult again =
      RunShadowalter({"--alter", "ADD COLUMN w INT NULL", "--dry-run", "--output", "json", Dsn()});
  EXPECT_NE(OneRunId(again), id);
}

}  // namespace
}  // namespace shadowalter::testing
