// The control socket on a real run: pause, retune and continue a copy; park it (resume finishes
// it) or abort it (the table stays as it was); release a postponed cut-over. Every change is
// answered, logged and emitted as an event; a bad command changes nothing.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "sandbox.h"

namespace shadowalter::testing {
namespace {

class ControlTest : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(40) NOT NULL)");
    Exec(*db_, "INSERT INTO t SELECT seq, CONCAT('value ', seq) FROM seq_1_to_60000");
    checksum_before_ = TableChecksum(*db_, "t");
    socket_ = "/tmp/sa_control_" + std::to_string(getpid()) + "_" + schema_ + ".sock";
  }
  void TearDown() override {
    unlink(socket_.c_str());
    SandboxTest::TearDown();
  }

  // A slow copy (tiny chunks) with a control socket; returns once rows reach the new table.
  Background StartControlled(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--alter",          "ADD COLUMN w INT NULL",
                                     "--execute",        "--no-attempt-instant",
                                     "--chunk-size",     "20",
                                     "--output",         "json",
                                     "--control-socket", socket_};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(PrimaryDsn(schema_, "t"));
    Background bg = StartShadowalter(args);
    const bool copying = WaitUntil([&] {
      return TableExists(*db_, "_t_new") && Scalar(*db_, "SELECT COUNT(*) FROM _t_new") != "0";
    });
    if (!copying) ADD_FAILURE() << "the copy never started";
    return bg;
  }

  RunResult Control(const std::string& command) {
    return RunShadowalter({"control", socket_, command});
  }

  rapidjson::Document Status() {
    RunResult r = Control("status");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    rapidjson::Document doc;
    doc.Parse(r.out.c_str());
    EXPECT_FALSE(doc.HasParseError()) << r.out;
    return doc;
  }

  std::string NewTableRows() { return Scalar(*db_, "SELECT COUNT(*) FROM _t_new"); }

  std::string checksum_before_;
  std::string socket_;
};

TEST_F(ControlTest, PauseRetuneAndContinue) {
  Background bg = StartControlled();
  RunResult paused = Control("pause");
  ASSERT_EQ(paused.exit_code, 0) << paused.err;
  EXPECT_EQ(paused.out.rfind("ok: paused by hand", 0), 0u) << paused.out;
  // Held back: no chunk is copied while paused (one may have been under way).
  ASSERT_TRUE(WaitUntil([&] {
    const std::string before = NewTableRows();
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    return NewTableRows() == before;
  }));
  const std::string held = NewTableRows();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(NewTableRows(), held);
  rapidjson::Document status = Status();
  EXPECT_STREQ(status["phase"].GetString(), "copy");
  EXPECT_TRUE(status["paused_by_hand"].GetBool());
  ASSERT_TRUE(status["throttle"].IsObject());
  EXPECT_STREQ(status["throttle"]["kind"].GetString(), "by hand");
  ASSERT_TRUE(status["progress"].IsObject());
  EXPECT_GT(status["progress"]["rows_copied"].GetUint64(), 0u);
  EXPECT_TRUE(status["progress"]["position"].IsArray());
  EXPECT_EQ(status["settings"]["chunk_size"].GetUint64(), 20u);
  const std::string run_id = status["run_id"].GetString();
  EXPECT_EQ(run_id.size(), 16u);

  // A bad command is refused with one line and changes nothing.
  RunResult bad = Control("chunk-size=0");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.out, "");
  EXPECT_NE(bad.err.find("bad chunk-size '0'"), std::string::npos) << bad.err;
  EXPECT_EQ(Status()["settings"]["chunk_size"].GetUint64(), 20u);

  // A status variable the server lacks can only be found out by the run: warned about, and
  // the limits in force stay.
  ASSERT_EQ(Control("max-load=No_such_status_variable=5").exit_code, 0);
  ASSERT_TRUE(WaitUntil([&] {
    return ReadFileText(bg.err_path).find("the new load limits are not used") != std::string::npos;
  }));
  EXPECT_TRUE(WaitUntil([&] {
    return std::string(Status()["settings"]["max_load"].GetString()) == "Threads_running=25";
  }));
  ASSERT_EQ(Control("chunk-size=5000").exit_code, 0);
  ASSERT_EQ(Control("max-lag=7").exit_code, 0);
  ASSERT_EQ(Control("max-load=Threads_running=99").exit_code, 0);
  rapidjson::Document tuned = Status();
  EXPECT_EQ(tuned["settings"]["chunk_size"].GetUint64(), 5000u);
  EXPECT_TRUE(tuned["settings"]["chunk_size_pinned"].GetBool());
  EXPECT_DOUBLE_EQ(tuned["settings"]["max_lag"].GetDouble(), 7);
  EXPECT_STREQ(tuned["settings"]["max_load"].GetString(), "Threads_running=99");
  ASSERT_EQ(Control("continue").exit_code, 0);

  RunResult r = WaitShadowalter(bg);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Each change is logged and is an event.
  EXPECT_NE(r.err.find("control socket: chunk-size=5000: chunk size pinned at 5000 rows"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.out.find("\"event\":\"control\",\"schema_version\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"command\":\"max-lag=7\""), std::string::npos);
  EXPECT_NE(r.out.find("\"kind\":\"by hand\""), std::string::npos);
  EXPECT_EQ(r.out.find("chunk-size=0"), std::string::npos);  // the refused one is no event
  // The status names the run its events name.
  EXPECT_NE(r.out.find("\"run_id\":\"" + run_id + "\""), std::string::npos) << r.out;
  // The copy went on in chunks of the new size: the last progress event names it.
  EXPECT_NE(r.out.rfind("\"chunk_size\":5000"), std::string::npos);
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t WHERE w IS NULL"), "60000");
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
  // The socket is gone with the run.
  EXPECT_NE(access(socket_.c_str(), F_OK), 0);
  EXPECT_EQ(Control("status").exit_code, 6);
}

TEST_F(ControlTest, ParkKeepsTheWorkAndResumeFinishesIt) {
  Background bg = StartControlled();
  RunResult parking = Control("park");
  ASSERT_EQ(parking.exit_code, 0) << parking.err;
  RunResult r = WaitShadowalter(bg);
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("stopped by park on the control socket"), std::string::npos) << r.err;
  EXPECT_TRUE(TableExists(*db_, "_t_new"));
  EXPECT_TRUE(TableExists(*db_, "_t_state"));
  Exec(*db_, "UPDATE t SET v = 'changed while parked' WHERE id = 59999");
  RunResult resumed = RunShadowalter({"resume", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t WHERE w IS NULL"), "60000");
  EXPECT_EQ(Scalar(*db_, "SELECT v FROM t WHERE id = 59999"), "changed while parked");
}

TEST_F(ControlTest, AbortCleansUpAndLeavesTheTableAsItWas) {
  const std::vector<std::string> create_before = Rows(*db_, "SHOW CREATE TABLE t");
  Background bg = StartControlled();
  ASSERT_EQ(Control("abort").exit_code, 0);
  // A second stop is refused: the first one is under way.
  RunResult again = Control("park");
  if (again.exit_code == 0) {
    ADD_FAILURE() << "a second stop was accepted: " << again.out;
  } else if (again.exit_code == 2) {
    EXPECT_NE(again.err.find("a stop is already under way"), std::string::npos) << again.err;
  }  // 6: the run had already ended
  RunResult r = WaitShadowalter(bg);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("stopped by abort on the control socket"), std::string::npos) << r.err;
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
  EXPECT_EQ(Rows(*db_, "SHOW CREATE TABLE t"), create_before);
  EXPECT_EQ(TableChecksum(*db_, "t"), checksum_before_);
}

TEST_F(ControlTest, CutoverReleasesAPostponedSwap) {
  const std::string hold = socket_ + ".hold";
  { std::ofstream(hold) << "hold"; }
  Background bg = StartControlled({"--postpone-cutover-file", hold});
  // Changing the chunk size once the copy is under way speeds the test and is harmless.
  ASSERT_EQ(Control("chunk-size=20000").exit_code, 0);
  ASSERT_TRUE(WaitUntil(
      [&] { return ReadFileText(bg.err_path).find("cut-over postponed") != std::string::npos; },
      60000));
  rapidjson::Document status = Status();
  EXPECT_STREQ(status["phase"].GetString(), "wait_for_cutover");
  EXPECT_STREQ(status["cutover"].GetString(), "postpone_file");
  RunResult released = Control("cutover");
  ASSERT_EQ(released.exit_code, 0) << released.err;
  RunResult r = WaitShadowalter(bg);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("the cut-over was released on the control socket"), std::string::npos)
      << r.err;
  EXPECT_EQ(access(hold.c_str(), F_OK), 0);  // the DBA's file is left alone
  unlink(hold.c_str());
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t WHERE w IS NULL"), "60000");
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

// Another run's socket is not taken over; the second run changes nothing on the server.
TEST_F(ControlTest, ASocketInUseIsRefusedBeforeAnythingIsDone) {
  Background bg = StartControlled();
  Exec(*db_, "CREATE TABLE u (id INT PRIMARY KEY)");
  RunResult second = RunShadowalter({"--alter", "ADD COLUMN w INT NULL", "--execute",
                                     "--control-socket", socket_, PrimaryDsn(schema_, "u")});
  EXPECT_EQ(second.exit_code, 2);
  EXPECT_NE(second.err.find("another process listens there"), std::string::npos) << second.err;
  EXPECT_FALSE(TableExists(*db_, "_u_new"));
  ASSERT_EQ(Control("abort").exit_code, 0);
  EXPECT_EQ(WaitShadowalter(bg).exit_code, 1);
}

// --pid: a file naming a live process refuses the run with one line, before anything is done; a
// run that may go ahead writes its own id there and removes the file at the end.
TEST_F(ControlTest, APidFileOfALiveProcessRefusesBeforeAnythingIsDone) {
  const std::string pid = socket_ + ".pid";
  { std::ofstream(pid) << getpid() << "\n"; }
  RunResult refused = RunShadowalter(
      {"--alter", "ADD COLUMN w INT NULL", "--execute", "--pid", pid, PrimaryDsn(schema_, "t")});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(ErrorLines(refused.err).size(), 1u) << refused.err;
  EXPECT_NE(refused.err.find("process " + std::to_string(getpid()) + " (another run?)"),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
  EXPECT_EQ(TableChecksum(*db_, "t"), checksum_before_);
  unlink(pid.c_str());
  RunResult ran = RunShadowalter(
      {"--alter", "ADD COLUMN w INT NULL", "--execute", "--pid", pid, PrimaryDsn(schema_, "t")});
  EXPECT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_NE(access(pid.c_str(), F_OK), 0);
}

}  // namespace
}  // namespace shadowalter::testing
