// --heartbeat measures replica lag to a fraction of a second: with the replica applying events
// late (MASTER_DELAY = 2), the lag the tool reports is that delay, and the copy waits until the
// delay is gone.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "sandbox.h"

namespace shadowalter::testing {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class HeartbeatTest : public SandboxTest {
 protected:
  void SetDelay(int seconds) {
    auto replica = ConnectReplica();
    ASSERT_TRUE(replica);
    Exec(*replica, "STOP SLAVE");
    Exec(*replica, "CHANGE MASTER TO MASTER_DELAY = " + std::to_string(seconds));
    Exec(*replica, "START SLAVE");
  }
  void TearDown() override {
    if (delayed_) SetDelay(0);
    SandboxTest::TearDown();
  }
  bool delayed_ = false;
};

TEST_F(HeartbeatTest, LagFollowsAnInducedDelay) {
  Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(20) NOT NULL)");
  Exec(*db_, "INSERT INTO t SELECT seq, 'x' FROM seq_1_to_20000");
  WaitForReplica();
  SetDelay(2);
  delayed_ = true;
  Background bg = StartShadowalter({"--alter", "ADD COLUMN w INT", "--execute",
                                    "--no-attempt-instant", "--heartbeat", "--max-lag", "1",
                                    "--check-interval", "0.2", PrimaryDsn(schema_, "t")});
  // Wait until the tool reports the lag it measured through the heartbeat.
  const std::regex lag_line(R"(lags ([0-9.]+) s, more than 1 s)");
  std::smatch m;
  std::string err;
  std::vector<double> seen;
  for (int i = 0; i < 600 && seen.empty(); ++i) {
    err = ReadAll(bg.err_path);
    seen.clear();
    for (std::sregex_iterator it(err.begin(), err.end(), lag_line), end; it != end; ++it) {
      seen.push_back(std::stod((*it)[1].str()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(seen.empty()) << "the copy never waited for the delayed replica:\n" << err;
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                         "DATABASE() AND TABLE_NAME = '_t_hb'"),
            "1");
  // MASTER_DELAY counts from the binlog event's timestamp, which has whole seconds: the replica
  // applies a beat written at t between 1 and 2 s after t (plus its apply time). The heartbeat
  // must report exactly that, to a fraction of a second; Seconds_Behind_Master could only say
  // 1 or 2.
  for (double lag : seen) {
    EXPECT_GT(lag, 0.95) << err;
    EXPECT_LT(lag, 2.6) << err;
  }
  bool fractional = false;
  for (double lag : seen) fractional |= lag != static_cast<int>(lag);
  EXPECT_TRUE(fractional) << "sub-second lag expected: " << err;

  SetDelay(0);
  delayed_ = false;
  RunResult r = WaitShadowalter(bg);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("resuming the copy"), std::string::npos) << r.err;
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t"), "20000");
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{}) << "heartbeat table left";
}

}  // namespace
}  // namespace shadowalter::testing
