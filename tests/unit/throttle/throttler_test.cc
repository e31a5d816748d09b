// The throttler against scripted sessions: when WaitUntilClear holds the copy (replica lag over
// --max-lag, a stopped replica, load at --max-load, the pause file), that it lets it go once the
// reason is gone, and when it aborts instead (--critical-load, --replica-timeout, a stop). Replica
// sessions come from ScriptedConnections, so FindReplicas runs unchanged.
#include "throttle/throttler.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "db/scripted_session.h"

namespace shadowalter {
namespace {

constexpr char kThreadsRunning[] = "SHOW GLOBAL STATUS WHERE Variable_name IN ('Threads_running')";

// No limits, no replicas, no pause file, a short round: each test adds what it exercises.
Config QuietConfig() {
  Config c;
  c.max_load.clear();
  c.critical_load.clear();
  c.max_checkpoint_age = 0;
  c.recursion_method = "none";
  c.check_interval = 0.01;
  c.max_lag = 1.0;
  return c;
}

// What Throttler::Create asks the primary when replicas are not looked for.
std::unique_ptr<ScriptedSession> Primary() {
  auto p = std::make_unique<ScriptedSession>("primary");
  p->Expect("SELECT @@server_id").Returns({{"1"}});
  return p;
}

ScriptedRows StatusRow(const std::string& value) { return {{"Threads_running", value}}; }

// SHOW ALL SLAVES STATUS of a MariaDB replica.
ScriptedSession::Step& ExpectReplicaStatus(ScriptedSession& r, const std::string& sql_running,
                                           std::optional<std::string> lag) {
  return r.Expect("SHOW ALL SLAVES STATUS")
      .Returns({{"Yes", sql_running, lag}},
               {"Slave_IO_Running", "Slave_SQL_Running", "Seconds_Behind_Master"});
}

// Pauses and resumes as the observer sees them.
struct Pauses {
  std::vector<std::string> paused;   // kind: reason
  std::vector<std::string> resumed;  // kinds
  Throttler::Observer Observer() {
    return {[this](const std::string& kind, const std::string& reason) {
              paused.push_back(kind + ": " + reason);
            },
            [this](const std::string& kind, double) { resumed.push_back(kind); }};
  }
};

TEST(ThrottlerTest, GoesOnAtOnceWhenNothingHoldsTheCopy) {
  StopFlag stop;
  const Config config = QuietConfig();
  auto t = Throttler::Create(Primary(), config, stop);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_TRUE((*t)->WaitUntilClear().ok());
  EXPECT_EQ((*t)->throttled_seconds(), 0);
  EXPECT_TRUE((*t)->replicas().empty());
}

TEST(ThrottlerTest, PausesWhileAReplicaLagsMoreThanMaxLagAndResumes) {
  ScriptedConnections connections;
  ScriptedSession& replica = connections.Add(std::make_unique<ScriptedSession>("replica"));
  replica.Expect("SELECT @@server_id").Returns({{"2"}});
  ExpectReplicaStatus(replica, "Yes", "5");
  ExpectReplicaStatus(replica, "Yes", "3");  // read again every round while it lags
  ExpectReplicaStatus(replica, "Yes", "0");
  StopFlag stop;
  Config config = QuietConfig();
  ConnectionConfig where;
  where.host = "replica1";
  where.port = 3307;
  config.replicas = {where};
  auto t = Throttler::Create(Primary(), config, stop);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ((*t)->replicas().size(), 1u);
  EXPECT_EQ((*t)->replicas()[0].name, "replica1:3307");
  ASSERT_EQ(connections.requests().size(), 1u);
  EXPECT_EQ(connections.requests()[0].host, "replica1");
  Pauses pauses;
  (*t)->set_observer(pauses.Observer());

  ASSERT_TRUE((*t)->WaitUntilClear().ok());
  EXPECT_EQ(
      pauses.paused,
      (std::vector<std::string>{"replica lag: replica replica1:3307 lags 5 s, more than 1 s"}));
  EXPECT_EQ(pauses.resumed, (std::vector<std::string>{"replica lag"}));
  EXPECT_GT((*t)->throttled_seconds(), 0);
  EXPECT_EQ((*t)->seconds_by_reason().count("replica lag"), 1u);
  EXPECT_EQ((*t)->max_replica_lag(), 0.0);
}

TEST(ThrottlerTest, AStoppedReplicaHoldsTheCopyUntilReplicaTimeoutAborts) {
  ScriptedConnections connections;
  ScriptedSession& replica = connections.Add(std::make_unique<ScriptedSession>("replica"));
  replica.Expect("SELECT @@server_id").Returns({{"2"}});
  ExpectReplicaStatus(replica, "No", std::nullopt);
  ExpectReplicaStatus(replica, "No", std::nullopt);
  StopFlag stop;
  Config config = QuietConfig();
  ConnectionConfig where;
  where.host = "replica1";
  config.replicas = {where};
  config.replica_timeout = 0.005;  // one round of 10 ms outlasts it
  auto t = Throttler::Create(Primary(), config, stop);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  Pauses pauses;
  (*t)->set_observer(pauses.Observer());
  Status st = (*t)->WaitUntilClear();
  EXPECT_EQ(st.code(), Code::kAborted);
  EXPECT_NE(st.message().find("replica replica1:3306 has its SQL thread stopped for"),
            std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("(--replica-timeout 0.005)"), std::string::npos) << st.message();
  // Fail closed: the stopped replica paused the copy first, and the pause was seen to end.
  EXPECT_EQ(pauses.paused,
            (std::vector<std::string>{"replica lag: replica replica1:3306 has its SQL thread "
                                      "stopped"}));
  EXPECT_EQ(pauses.resumed, (std::vector<std::string>{"replica lag"}));
  EXPECT_FALSE((*t)->max_replica_lag().has_value());
}

TEST(ThrottlerTest, PausesWhileLoadIsAtMaxLoadAndResumesBelowIt) {
  auto primary = Primary();
  primary->Expect(kThreadsRunning).Returns(StatusRow("3"));
  primary->Expect(kThreadsRunning).Returns(StatusRow("25"));
  primary->Expect(kThreadsRunning).Returns(StatusRow("40"));
  primary->Expect(kThreadsRunning).Returns(StatusRow("24"));
  StopFlag stop;
  Config config = QuietConfig();
  config.max_load = {{"Threads_running", 25.0}};
  config.critical_load = {{"Threads_running", 50.0}};
  auto t = Throttler::Create(std::move(primary), config, stop);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  Pauses pauses;
  (*t)->set_observer(pauses.Observer());
  ASSERT_TRUE((*t)->WaitUntilClear().ok());
  // One pause: a load that only changes its value is the same pause.
  EXPECT_EQ(pauses.paused,
            (std::vector<std::string>{"server load: server load Threads_running=25 is at or above "
                                      "25"}));
  EXPECT_EQ(pauses.resumed, (std::vector<std::string>{"server load"}));
  EXPECT_EQ((*t)->seconds_by_reason().count("server load"), 1u);
}

TEST(ThrottlerTest, ALimitWithoutValueIsTwentyPercentAboveTheLoadAtStart) {
  auto primary = Primary();
  primary->Expect(kThreadsRunning).Returns(StatusRow("10"));  // the limit becomes 12
  primary->Expect(kThreadsRunning).Returns(StatusRow("12"));
  primary->Expect(kThreadsRunning).Returns(StatusRow("11"));
  StopFlag stop;
  Config config = QuietConfig();
  config.max_load = {{"Threads_running", std::nullopt}};
  auto t = Throttler::Create(std::move(primary), config, stop);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  Pauses pauses;
  (*t)->set_observer(pauses.Observer());
  ASSERT_TRUE((*t)->WaitUntilClear().ok());
  EXPECT_EQ(
      pauses.paused,
      (std::vector<std::string>{"server load: server load Threads_running=12 is at or above 12"}));
}

TEST(ThrottlerTest, CriticalLoadAbortsEvenWhileThePauseFileHoldsTheCopy) {
  char path[] = "/tmp/throttler_test_pause_XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  auto primary = Primary();
  primary->Expect(kThreadsRunning).Returns(StatusRow("3"));
  primary->Expect(kThreadsRunning).Returns(StatusRow("50"));
  StopFlag stop;
  Config config = QuietConfig();
  config.critical_load = {{"Threads_running", 50.0}};
  config.pause_file = path;
  auto t = Throttler::Create(std::move(primary), config, stop);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  Status st = (*t)->WaitUntilClear();
  std::remove(path);
  EXPECT_EQ(st.code(), Code::kAborted);
  EXPECT_EQ(st.message(), "critical load: Threads_running=50 is at or above 50 (--critical-load)");
}

TEST(ThrottlerTest, APanicFileAbortsEvenWhileThePauseFileHoldsTheCopy) {
  char pause[] = "/tmp/throttler_test_pause_XXXXXX";
  char panic[] = "/tmp/throttler_test_panic_XXXXXX";
  for (char* path : {pause, panic}) {
    const int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    close(fd);
  }
  StopFlag stop;
  Config config = QuietConfig();
  config.pause_file = pause;
  config.panic_file = panic;
  auto t = Throttler::Create(Primary(), config, stop);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  Status st = (*t)->WaitUntilClear();
  std::remove(pause);
  std::remove(panic);
  EXPECT_EQ(st.code(), Code::kAborted);
  EXPECT_EQ(st.message(), std::string("panic file ") + panic + " exists (--panic-file)");
}

TEST(ThrottlerTest, AMissingStatusVariableIsRefused) {
  auto primary = Primary();
  primary->Expect("SHOW GLOBAL STATUS WHERE Variable_name IN ('No_such_thing')");
  StopFlag stop;
  Config config = QuietConfig();
  config.max_load = {{"No_such_thing", 5.0}};
  auto t = Throttler::Create(std::move(primary), config, stop);
  EXPECT_EQ(t.status().code(), Code::kRefused);
}

// A pause file, and a watchdog: a throttler that never lets go would hold the test forever, so
// after a few seconds the watchdog requests a stop (WaitUntilClear then fails the test).
class PauseFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const int fd = mkstemp(path_);
    ASSERT_GE(fd, 0);
    close(fd);
    watchdog_ = std::thread([this] {
      std::unique_lock<std::mutex> lock(mu_);
      if (!done_.wait_for(lock, std::chrono::seconds(5), [this] { return finished_; })) {
        stop_.Request(SIGALRM);
      }
    });
  }
  void TearDown() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      finished_ = true;
    }
    done_.notify_all();
    watchdog_.join();
    std::remove(path_);
  }
  char path_[64] = "/tmp/throttler_test_pause_XXXXXX";
  StopFlag stop_;

 private:
  std::thread watchdog_;
  std::mutex mu_;
  std::condition_variable done_;
  bool finished_ = false;
};

TEST_F(PauseFileTest, PausesWhileThePauseFileExistsKeepingIdleSessionsAlive) {
  Config config = QuietConfig();
  config.pause_file = path_;
  auto t = Throttler::Create(Primary(), config, stop_);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  // The copy's idle session gets a DO 1 each round; the file goes away in the second.
  ScriptedSession idle("copy session");
  idle.Expect("DO 1");
  idle.Expect("DO 1").Then([&] { std::remove(path_); });
  (*t)->KeepAlive(&idle);
  Pauses pauses;
  (*t)->set_observer(pauses.Observer());
  ASSERT_TRUE((*t)->WaitUntilClear().ok());
  EXPECT_EQ(pauses.paused,
            (std::vector<std::string>{"pause file: pause file " + std::string(path_) + " exists"}));
  EXPECT_EQ(pauses.resumed, (std::vector<std::string>{"pause file"}));
  EXPECT_EQ((*t)->seconds_by_reason().count("pause file"), 1u);
  (*t)->StopKeepingAlive(&idle);
}

TEST_F(PauseFileTest, AStopRequestEndsTheWait) {
  Config config = QuietConfig();
  config.pause_file = path_;
  auto t = Throttler::Create(Primary(), config, stop_);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ScriptedSession idle("copy session");
  idle.Expect("DO 1").Then([&] { stop_.Request(SIGTERM); });
  (*t)->KeepAlive(&idle);
  Pauses pauses;
  (*t)->set_observer(pauses.Observer());
  Status st = (*t)->WaitUntilClear();
  EXPECT_EQ(st.code(), Code::kAborted);
  EXPECT_EQ(st.message(), "stopped by SIGTERM");
  EXPECT_EQ(pauses.resumed, (std::vector<std::string>{"pause file"}));
  (*t)->StopKeepingAlive(&idle);
}

}  // namespace
}  // namespace shadowalter
