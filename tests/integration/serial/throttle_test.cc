// Throttling against the real sandbox: a stopped or lagging replica, server load and a pause file
// hold the copy back (the new table stays empty) until they clear, and then the run completes
// with every row; --replica-timeout and --critical-load abort with full cleanup; replica
// discovery that can't place a connected replica refuses before creating anything; --chunk-time
// adapts the chunk size unless --chunk-size pins it.
//
// These tests stop replication, lock the replica and load the primary, so they run alone
// (tests/integration/serial/, RUN_SERIAL). Whatever happens in a test, TearDown stops the
// background shadowalter, kills the helper queries, releases the replica's lock and starts
// replication again.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "model_writer.h"
#include "sandbox.h"

namespace shadowalter::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Only there so that a broken feature fails the test instead of hanging it.
constexpr auto kTimeout = 60s;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Polls `done` every 50 ms until it holds (true) or `timeout` passes (false).
bool WaitUntil(const std::function<bool()>& done,
               std::chrono::milliseconds timeout =
                   std::chrono::duration_cast<std::chrono::milliseconds>(kTimeout)) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (done()) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
}

double SecondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Sessions on the primary each running SELECT SLEEP(seconds), in their own threads: they make
// Threads_running high. Stop() kills their queries (KILL QUERY) and joins the threads.
class Sleepers {
 public:
  ~Sleepers() { Stop(); }

  void Start(int count, int seconds) {
    for (int i = 0; i < count; ++i) {
      std::unique_ptr<Session> s = ConnectPrimary();
      if (!s) return;
      ids_.push_back(Scalar(*s, "SELECT CONNECTION_ID()"));
      Session* raw = s.get();
      sessions_.push_back(std::move(s));
      threads_.emplace_back([this, raw, seconds] {
        (void)raw->Query("SELECT SLEEP(" + std::to_string(seconds) + ")");
        finished_.fetch_add(1);
      });
    }
  }

  int count() const { return static_cast<int>(threads_.size()); }

  // How many of them are sleeping in the server right now.
  int Sleeping(Session& admin) const {
    if (ids_.empty()) return 0;
    std::string list;
    for (const auto& id : ids_) list += (list.empty() ? "" : ",") + id;
    const std::string n = Scalar(admin,
                                 "SELECT COUNT(*) FROM information_schema.PROCESSLIST "
                                 "WHERE INFO LIKE 'SELECT SLEEP(%' AND ID IN (" +
                                     list + ")");
    return n == "ERROR" || n == "NULL" ? 0 : std::stoi(n);
  }

  void Stop() {
    if (threads_.empty()) return;
    std::unique_ptr<Session> admin = ConnectPrimary();
    // Repeat the kills: a thread may not have sent its query yet when the first kill runs.
    const auto deadline = Clock::now() + 90s;
    while (finished_.load() < count() && Clock::now() < deadline) {
      if (admin) {
        for (const auto& id : ids_) (void)admin->Execute("KILL QUERY " + id);
      }
      std::this_thread::sleep_for(50ms);
    }
    for (auto& t : threads_) t.join();
    threads_.clear();
    sessions_.clear();
    ids_.clear();
    finished_ = 0;
  }

 private:
  std::vector<std::unique_ptr<Session>> sessions_;
  std::vector<std::string> ids_;
  std::vector<std::thread> threads_;
  std::atomic<int> finished_{0};
};

struct CopySummary {
  bool found = false;
  uint64_t rows = 0, chunks = 0, last_chunk_size = 0;
};

// "copied N rows in K chunks, ... last chunk size S)"
CopySummary ParseCopySummary(const std::string& err) {
  static const std::regex re(R"(copied (\d+) rows in (\d+) chunks, [^\n]*last chunk size (\d+)\))");
  std::smatch m;
  CopySummary s;
  if (!std::regex_search(err, m, re)) return s;
  s.found = true;
  s.rows = std::stoull(m[1]);
  s.chunks = std::stoull(m[2]);
  s.last_chunk_size = std::stoull(m[3]);
  return s;
}

class ThrottleTest : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    env_ = *ReadSandboxEnv();
    replica_ = ConnectReplica();
    ASSERT_TRUE(replica_);
    // A previous run that was killed may have left replication stopped: start from a replica
    // that replicates and is caught up.
    Exec(*replica_, "START SLAVE");
    ASSERT_TRUE(WaitUntil([&] { return ReplicaThreadsRunning(*replica_); }))
        << "the sandbox replica does not replicate";
    WaitForReplica();
  }

  void TearDown() override {
    // 1. The background run: SIGTERM (it cleans up), SIGKILL if it won't go.
    for (const Background& bg : running_) {
      kill(bg.pid, SIGTERM);
      int status = 0;
      if (!WaitUntil([&] { return waitpid(bg.pid, &status, WNOHANG) == bg.pid; }, 30s)) {
        kill(bg.pid, SIGKILL);
        waitpid(bg.pid, &status, 0);
      }
      unlink(bg.out_path.c_str());
      unlink(bg.err_path.c_str());
    }
    running_.clear();
    // 2. The helper queries and threads.
    sleepers_.Stop();
    // 3. Replication: release the replica's lock and start both threads, on a fresh session in
    // case the test's one broke.
    if (lock_session_) {
      (void)lock_session_->Execute("UNLOCK TABLES");
      lock_session_.reset();
    }
    replica_.reset();
    if (!env_.host.empty()) {
      std::unique_ptr<Session> replica = ConnectReplica();
      if (replica) {
        Status st = replica->Execute("START SLAVE");
        EXPECT_TRUE(st.ok()) << "START SLAVE on the replica: " << st.message();
        EXPECT_TRUE(WaitUntil([&] { return ReplicaThreadsRunning(*replica); }))
            << "replication did not start again";
      }
    }
    if (pause_file_.size()) unlink(pause_file_.c_str());
    // 4. A global setting a test changed for a moment.
    if (!saved_wait_timeout_.empty()) {
      std::unique_ptr<Session> admin = ConnectPrimary();
      if (admin) {
        Status st = admin->Execute("SET GLOBAL wait_timeout = " + saved_wait_timeout_);
        EXPECT_TRUE(st.ok()) << "restoring wait_timeout: " << st.message();
      }
      saved_wait_timeout_.clear();
    }
    SandboxTest::TearDown();
    // Leave the replica caught up (with the schema dropped) for whatever runs next.
    if (!env_.host.empty()) {
      std::unique_ptr<Session> primary = ConnectPrimary();
      std::unique_ptr<Session> replica = ConnectReplica();
      if (primary && replica) {
        const std::string pos = Scalar(*primary, "SELECT @@gtid_binlog_pos");
        EXPECT_EQ(Scalar(*replica, "SELECT MASTER_GTID_WAIT('" + pos + "', 60)"), "0")
            << "the replica did not catch up after the test";
      }
    }
  }

  static bool ReplicaThreadsRunning(Session& replica) {
    auto rs = replica.Query("SHOW SLAVE STATUS");
    if (!rs.ok() || rs->empty()) return false;
    std::string sql, io;
    for (size_t i = 0; i < rs->column_names.size(); ++i) {
      if (rs->column_names[i] == "Slave_SQL_Running") sql = rs->rows[0][i].value_or("");
      if (rs->column_names[i] == "Slave_IO_Running") io = rs->rows[0][i].value_or("");
    }
    return sql == "Yes" && io == "Yes";
  }

  std::string ReplicaStatusField(const std::string& field) {
    auto rs = replica_->Query("SHOW SLAVE STATUS");
    if (!rs.ok() || rs->empty()) return "";
    for (size_t i = 0; i < rs->column_names.size(); ++i) {
      if (rs->column_names[i] == field) return rs->rows[0][i].value_or("NULL");
    }
    return "";
  }

  void StopReplicaSqlThread() {
    Exec(*replica_, "STOP SLAVE SQL_THREAD");
    ASSERT_TRUE(WaitUntil([&] { return ReplicaStatusField("Slave_SQL_Running") == "No"; }));
  }

  // Table t (id, v, n) with `rows` rows, replicated.
  void CreateTable(int rows) {
    Exec(*db_,
         "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(40) NOT NULL, "
         "n INT NOT NULL)");
    Exec(*db_, "INSERT INTO t SELECT seq, CONCAT('value ', seq), seq * 7 FROM seq_1_to_" +
                   std::to_string(rows));
    create_before_ = Rows(*db_, "SHOW CREATE TABLE t");
    content_before_ = Content(*db_);
    WaitForReplica();
  }

  // The row count and a digest of every row's original columns, in key order.
  static std::vector<std::string> Content(Session& s, const std::string& table = "t") {
    (void)s.Execute("SET SESSION group_concat_max_len = 1073741824");
    return Rows(s,
                "SELECT COUNT(*), MD5(GROUP_CONCAT(CONCAT_WS(':', id, v, n) ORDER BY id "
                "SEPARATOR ',')) FROM " +
                    table);
  }

  bool ShadowExists() {
    return Scalar(*db_,
                  "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                  "DATABASE() AND TABLE_NAME = '_t_new'") == "1";
  }

  // The run was altered: t has the new column w, every original row is in it unchanged, and
  // nothing of ours is left.
  void ExpectAlteredWithAllRows() {
    EXPECT_EQ(Scalar(*db_,
                     "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                     "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'w'"),
              "1");
    EXPECT_EQ(Content(*db_), content_before_);
    EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
  }

  // The run changed nothing: same definition, same rows, no table or trigger of ours.
  void ExpectOriginalUnchanged() {
    EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
    EXPECT_EQ(Rows(*db_, "SHOW CREATE TABLE t"), create_before_);
    EXPECT_EQ(Content(*db_), content_before_);
  }

  // Once the new table exists, it holds no row for `how_long` (polled): the copy is held back.
  void ExpectNoRowCopiedFor(std::chrono::milliseconds how_long, const Background& bg) {
    ASSERT_TRUE(WaitUntil([&] { return ShadowExists(); })) << "the new table never appeared:\n"
                                                           << ReadText(bg.err_path);
    const auto deadline = Clock::now() + how_long;
    int polls = 0;
    while (Clock::now() < deadline) {
      auto count = db_->Query("SELECT COUNT(*) FROM _t_new");
      ASSERT_TRUE(count.ok()) << count.status().message() << "\n" << ReadText(bg.err_path);
      ASSERT_EQ(count->Scalar().value_or("NULL"), "0")
          << "rows were copied while the copy should pause:\n"
          << ReadText(bg.err_path);
      ++polls;
      std::this_thread::sleep_for(100ms);
    }
    EXPECT_GE(polls, 5);
  }

  // Waits until the running shadowalter's stderr holds every one of `needles`.
  void ExpectLogSoon(const Background& bg, const std::vector<std::string>& needles,
                     std::chrono::milliseconds timeout = kTimeout) {
    std::string err;
    const bool found = WaitUntil(
        [&] {
          err = ReadText(bg.err_path);
          for (const auto& n : needles) {
            if (!Contains(err, n)) return false;
          }
          return true;
        },
        timeout);
    std::string all;
    for (const auto& n : needles) all += " \"" + n + "\"";
    EXPECT_TRUE(found) << "stderr never showed" << all << ":\n" << err;
  }

  std::vector<std::string> Args(std::vector<std::string> extra) const {
    std::vector<std::string> args = {"--alter", "ADD COLUMN w INT NULL", "--execute",
                                     "--no-attempt-instant"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(PrimaryDsn(schema_, "t"));
    return args;
  }

  Background Start(const std::vector<std::string>& extra) {
    Background bg = StartShadowalter(Args(extra));
    running_.push_back(bg);
    return bg;
  }

  // Waits (bounded) for a background run; on timeout the test fails and TearDown stops it.
  RunResult Finish(const Background& bg, std::chrono::seconds timeout = 120s) {
    RunResult r;
    int status = 0;
    if (!WaitUntil([&] { return waitpid(bg.pid, &status, WNOHANG) == bg.pid; }, timeout)) {
      ADD_FAILURE() << "shadowalter did not end within " << timeout.count() << " s:\n"
                    << ReadText(bg.err_path);
      return r;  // still in running_: TearDown terminates it
    }
    for (auto it = running_.begin(); it != running_.end(); ++it) {
      if (it->pid == bg.pid) {
        running_.erase(it);
        break;
      }
    }
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = ReadText(bg.out_path);
    r.err = ReadText(bg.err_path);
    unlink(bg.out_path.c_str());
    unlink(bg.err_path.c_str());
    return r;
  }

  RunResult Run(const std::vector<std::string>& extra, std::chrono::seconds timeout = 120s) {
    return Finish(Start(extra), timeout);
  }

  // Creates the pause file (removed by TearDown at the latest).
  void CreatePauseFile() {
    char path[] = "/tmp/sa_pause_XXXXXX";
    const int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    close(fd);
    pause_file_ = path;
  }

  // Starts `count` sleeping sessions and waits until Threads_running counts them.
  void StartSleepers(int count) {
    sleepers_.Start(count, 60);
    ASSERT_EQ(sleepers_.count(), count);
    std::unique_ptr<Session> admin = ConnectPrimary();
    ASSERT_TRUE(admin);
    ASSERT_TRUE(WaitUntil([&] { return sleepers_.Sleeping(*admin) == count; }))
        << "the sleepers never all ran";
    std::string running;
    ASSERT_TRUE(WaitUntil([&] {
      running = Scalar(*admin,
                       "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
                       "WHERE VARIABLE_NAME = 'THREADS_RUNNING'");
      return running != "NULL" && running != "ERROR" && std::stoi(running) >= count;
    })) << "Threads_running stays at "
        << running;
  }

  SandboxEnv env_;
  std::unique_ptr<Session> replica_;       // replica session of the test
  std::unique_ptr<Session> lock_session_;  // replica session holding FLUSH TABLES WITH READ LOCK
  std::vector<Background> running_;        // background runs not yet waited for
  Sleepers sleepers_;
  std::string pause_file_;
  std::string saved_wait_timeout_;  // the primary's global wait_timeout while a test lowers it
  std::vector<std::string> create_before_;
  std::vector<std::string> content_before_;
};

// 1. A replica whose SQL thread is stopped counts as infinitely behind: the copy waits (no row
// reaches the new table) and says why, then resumes once the thread runs again, and the run
// completes with every row, on the primary and, once applied, on the replica.
TEST_F(ThrottleTest, StoppedReplicaSqlThreadPausesTheCopyUntilItRunsAgain) {
  CreateTable(20000);
  ASSERT_EQ(content_before_.size(), 1u);
  ASSERT_EQ(content_before_[0].substr(0, 6), "20000|");
  StopReplicaSqlThread();
  ASSERT_FALSE(HasFatalFailure());

  // Unthrottled, this copy takes well under a second (20 chunks of 1000 rows).
  const Background bg = Start({"--chunk-size", "1000", "--check-interval", "0.2"});
  ExpectNoRowCopiedFor(3s, bg);
  ASSERT_FALSE(HasFatalFailure());
  ExpectLogSoon(bg, {"pausing the copy", "SQL thread stopped"});

  Exec(*replica_, "START SLAVE SQL_THREAD");
  const RunResult r = Finish(bg);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Contains(r.err, "resuming the copy")) << r.err;
  EXPECT_TRUE(Contains(r.err, "time throttled")) << r.err;
  ExpectAlteredWithAllRows();

  // The replica applied the whole run once its SQL thread ran again.
  WaitForReplica();
  std::unique_ptr<Session> replica = ConnectReplica(schema_);
  ASSERT_TRUE(replica);
  EXPECT_EQ(Content(*replica), content_before_);
  EXPECT_EQ(Scalar(*replica,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE "
                   "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't' AND "
                   "COLUMN_NAME = 'w'"),
            "1");
}

// 2. --replica-timeout: a replica down longer than that aborts the run (exit 1) after the
// timeout, with full cleanup, naming the option.
TEST_F(ThrottleTest, ReplicaTimeoutAbortsWithFullCleanup) {
  CreateTable(20000);
  StopReplicaSqlThread();
  ASSERT_FALSE(HasFatalFailure());

  const auto start = Clock::now();
  const RunResult r = Run({"--replica-timeout", "2", "--check-interval", "0.2"});
  const double seconds = SecondsSince(start);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(Contains(r.err, "--replica-timeout")) << r.err;
  EXPECT_TRUE(Contains(r.err, "SQL thread stopped")) << r.err;
  // It gave the replica the 2 s before giving up.
  EXPECT_GE(seconds, 2.0) << r.err;
  ExpectOriginalUnchanged();
}

// 3a. Discovery by processlist alone finds the replica's client address with the primary's port,
// which is the primary itself: the connected replica can't be placed, so the run is refused
// (exit 5) before anything is created, and the message says to give --replica.
TEST_F(ThrottleTest, DiscoveryThatCannotPlaceAConnectedReplicaRefusesUntouched) {
  CreateTable(2000);
  ASSERT_NE(Scalar(*db_,
                   "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE "
                   "COMMAND LIKE 'Binlog Dump%'"),
            "0")
      << "the sandbox replica is not connected";
  const RunResult r = Run({"--recursion-method", "processlist"});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_TRUE(Contains(r.err, "--replica")) << r.err;
  EXPECT_FALSE(Contains(r.err, "triggers installed")) << r.err;
  EXPECT_EQ(Rows(*db_, "SHOW TABLES"), std::vector<std::string>{"t"});
  ExpectOriginalUnchanged();
}

// 3b. The same discovery plus the replica given with --replica: it is watched, and the run
// completes.
TEST_F(ThrottleTest, ExplicitReplicaCompletesProcesslistDiscovery) {
  CreateTable(2000);
  const std::string replica = "127.0.0.1:" + std::to_string(env_.replica_port);
  const RunResult r = Run({"--recursion-method", "processlist", "--replica",
                           "h=127.0.0.1,P=" + std::to_string(env_.replica_port)});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Contains(r.err, "watching replica lag on " + replica)) << r.err;
  ExpectAlteredWithAllRows();
}

// 3c. --recursion-method none: no replica is watched, and the run completes.
TEST_F(ThrottleTest, RecursionMethodNoneCopiesWithoutWatching) {
  CreateTable(2000);
  const RunResult r = Run({"--recursion-method", "none"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Contains(r.err, "no replicas to watch")) << r.err;
  ExpectAlteredWithAllRows();
}

// 4. A replica that lags more than --max-lag (its SQL thread blocked by a read lock on the
// replica while the primary writes) holds the copy back until it catches up.
TEST_F(ThrottleTest, ReplicaLagOverMaxLagPausesTheCopyUntilItCatchesUp) {
  CreateTable(20000);
  Exec(*db_, "CREATE TABLE marker (id INT NOT NULL PRIMARY KEY)");
  WaitForReplica();
  lock_session_ = ConnectReplica();
  ASSERT_TRUE(lock_session_);
  Exec(*lock_session_, "FLUSH TABLES WITH READ LOCK");
  Exec(*db_, "INSERT INTO marker VALUES (1)");
  std::string lag;
  ASSERT_TRUE(WaitUntil([&] {
    lag = ReplicaStatusField("Seconds_Behind_Master");
    return lag != "" && lag != "NULL" && std::stoi(lag) >= 2;
  })) << "the replica never lagged: Seconds_Behind_Master "
      << lag;

  const Background bg = Start({"--max-lag", "1", "--check-interval", "0.2"});
  ExpectNoRowCopiedFor(2s, bg);
  ASSERT_FALSE(HasFatalFailure());
  ExpectLogSoon(bg, {"pausing the copy: replica", "lags", "more than 1 s"});

  Exec(*lock_session_, "UNLOCK TABLES");
  const RunResult r = Finish(bg);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Contains(r.err, "resuming the copy")) << r.err;
  EXPECT_TRUE(Contains(r.err, "replica lag")) << r.err;  // in "time throttled: ..."
  ExpectAlteredWithAllRows();
}

// 5. --critical-load: Threads_running at or above the limit aborts the run (exit 1) with full
// cleanup.
TEST_F(ThrottleTest, CriticalLoadAbortsWithFullCleanup) {
  CreateTable(20000);
  StartSleepers(10);
  ASSERT_FALSE(HasFatalFailure());
  const RunResult r =
      Run({"--critical-load", "Threads_running=8", "--max-load", "Threads_running=1000"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(Contains(r.err, "critical load")) << r.err;
  EXPECT_TRUE(Contains(r.err, "--critical-load")) << r.err;
  sleepers_.Stop();
  ExpectOriginalUnchanged();
}

// 6. --max-load: Threads_running at or above the limit pauses the copy until the load drops,
// then the run completes with every row.
TEST_F(ThrottleTest, MaxLoadPausesTheCopyUntilTheLoadDrops) {
  CreateTable(20000);
  StartSleepers(10);
  ASSERT_FALSE(HasFatalFailure());
  const Background bg = Start({"--max-load", "Threads_running=8", "--critical-load",
                               "Threads_running=1000", "--check-interval", "0.2"});
  ExpectNoRowCopiedFor(2s, bg);
  ASSERT_FALSE(HasFatalFailure());
  ExpectLogSoon(bg, {"pausing the copy: server load Threads_running"});

  sleepers_.Stop();  // the load drops
  const RunResult r = Finish(bg);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Contains(r.err, "resuming the copy")) << r.err;
  EXPECT_TRUE(Contains(r.err, "server load")) << r.err;
  ExpectAlteredWithAllRows();
}

// 6b. --max-checkpoint-age: with a limit of 0.01% (about 20 KB of redo here) every chunk's own
// writes pass it; the copy pauses until InnoDB has flushed and checkpointed them, resumes, and
// the run completes with every row. innodb_max_dirty_pages_pct=0 makes the server flush eagerly
// (back to a few bytes of checkpoint age within seconds) instead of at its idle pace.
TEST_F(ThrottleTest, CheckpointAgeOverTheLimitPausesTheCopyUntilInnodbCatchesUp) {
  CreateTable(20000);
  const std::string dirty = Scalar(*db_, "SELECT @@GLOBAL.innodb_max_dirty_pages_pct");
  Exec(*db_, "SET GLOBAL innodb_max_dirty_pages_pct = 0");
  struct Restore {
    Session& db;
    std::string dirty;
    ~Restore() { (void)db.Execute("SET GLOBAL innodb_max_dirty_pages_pct = " + dirty); }
  } restore{*db_, dirty};
  // The limit holds the copy only while someone else writes: an application at work elsewhere.
  Exec(*db_,
       "CREATE TABLE app (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, k INT, "
       "v VARCHAR(64))");
  ModelWriter app(schema_, "app", 11);
  app.LoadModel();
  app.Start();
  const Background bg =
      Start({"--max-checkpoint-age", "0.01", "--chunk-size", "10000", "--check-interval", "0.2"});
  // A short pause is logged once it ends ("resuming ... held back by ..."), a long one as it
  // begins too: either line names the reason.
  ExpectLogSoon(bg, {"server load: InnoDB checkpoint age"});
  // With the application writing on, the age would never fall this low: it stops, InnoDB
  // catches up, and the copy goes on.
  app.Stop();
  const RunResult r = Finish(bg);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Contains(r.err, "resuming the copy")) << r.err;
  EXPECT_TRUE(Contains(r.err, "--max-checkpoint-age")) << r.err;
  ExpectAlteredWithAllRows();
}

// 6c. With nobody else writing, the furious flushing near the maximum would stall only the copy:
// the checkpoint age does not hold it back then. Before the copy's first transaction nothing is
// measured yet, so at most the first chunk may wait; 20 chunks each over the limit used to wait
// at every one.
TEST_F(ThrottleTest, CheckpointAgeDoesNotHoldACopyNobodyElseWritesAround) {
  CreateTable(20000);
  const RunResult r = Finish(
      Start({"--max-checkpoint-age", "0.01", "--chunk-size", "1000", "--check-interval", "0.2"}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  size_t pauses = 0;
  for (size_t at = r.err.find("InnoDB checkpoint age"); at != std::string::npos;
       at = r.err.find("InnoDB checkpoint age", at + 1)) {
    ++pauses;
  }
  EXPECT_LE(pauses, 2u) << r.err;  // one pause: its start and end lines at most
  ExpectAlteredWithAllRows();
}

// 7. --pause-file: the copy waits while the file exists and completes once it is removed.
TEST_F(ThrottleTest, PauseFileHoldsTheCopyUntilRemoved) {
  CreateTable(20000);
  CreatePauseFile();
  ASSERT_FALSE(HasFatalFailure());

  const Background bg = Start({"--pause-file", pause_file_, "--check-interval", "0.2"});
  ExpectNoRowCopiedFor(2s, bg);
  ASSERT_FALSE(HasFatalFailure());
  ExpectLogSoon(bg, {"pausing the copy: pause file " + pause_file_});

  ASSERT_EQ(unlink(pause_file_.c_str()), 0);
  const RunResult r = Finish(bg);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Contains(r.err, "resuming the copy")) << r.err;
  ExpectAlteredWithAllRows();
}

// 7b. A stop request (SIGTERM) while paused ends the run at once with full cleanup.
TEST_F(ThrottleTest, SigtermWhilePausedCleansUp) {
  CreateTable(20000);
  CreatePauseFile();
  ASSERT_FALSE(HasFatalFailure());
  const Background bg = Start({"--pause-file", pause_file_});
  ExpectLogSoon(bg, {"pausing the copy: pause file"});
  ASSERT_FALSE(HasFailure());
  kill(bg.pid, SIGTERM);
  const RunResult r = Finish(bg, 30s);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(Contains(r.err, "SIGTERM")) << r.err;
  ExpectOriginalUnchanged();
}

// 7c. A pause longer than the server's wait_timeout must not cost the run its connections: the
// sessions that sit idle while the copy waits (the copy's, the throttler's, the one for the swap)
// are kept alive or reconnected, and the run completes. wait_timeout is lowered to 2 s only while
// shadowalter connects (its sessions keep that value), then restored.
TEST_F(ThrottleTest, PauseLongerThanWaitTimeoutStillCompletes) {
  CreateTable(20000);
  CreatePauseFile();
  ASSERT_FALSE(HasFatalFailure());
  saved_wait_timeout_ = Scalar(*db_, "SELECT @@GLOBAL.wait_timeout");
  ASSERT_NE(saved_wait_timeout_, "ERROR");
  Exec(*db_, "SET GLOBAL wait_timeout = 2");
  const Background bg = Start({"--pause-file", pause_file_});
  // By the time it pauses, every session the copy and the swap use is connected.
  ExpectLogSoon(bg, {"pausing the copy: pause file"}, 10s);
  Exec(*db_, "SET GLOBAL wait_timeout = " + saved_wait_timeout_);
  saved_wait_timeout_.clear();
  ASSERT_FALSE(HasFailure());

  ExpectNoRowCopiedFor(5s, bg);  // well past the 2 s wait_timeout
  ASSERT_FALSE(HasFatalFailure());
  ASSERT_EQ(unlink(pause_file_.c_str()), 0);
  const RunResult r = Finish(bg);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ExpectAlteredWithAllRows();
}

// 7d. The same for a copy that simply takes longer than wait_timeout: the session that created
// the triggers and later swaps the tables sits idle through the copy and the verification, and
// must still be usable for the swap.
TEST_F(ThrottleTest, CopyLongerThanWaitTimeoutStillSwaps) {
  CreateTable(60000);
  saved_wait_timeout_ = Scalar(*db_, "SELECT @@GLOBAL.wait_timeout");
  ASSERT_NE(saved_wait_timeout_, "ERROR");
  Exec(*db_, "SET GLOBAL wait_timeout = 2");
  // Tiny fixed chunks: a copy of several seconds.
  const Background bg = Start({"--chunk-size", "20"});
  ExpectLogSoon(bg, {"triggers installed"}, 10s);
  Exec(*db_, "SET GLOBAL wait_timeout = " + saved_wait_timeout_);
  saved_wait_timeout_.clear();
  ASSERT_FALSE(HasFailure());
  const RunResult r = Finish(bg);
  const CopySummary s = ParseCopySummary(r.err);
  ASSERT_TRUE(s.found) << r.err;
  ASSERT_GE(s.chunks, 3000u) << r.err;
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ExpectAlteredWithAllRows();
}

// 8a. --chunk-time: the chunk size adapts from its initial 1000 rows.
TEST_F(ThrottleTest, ChunkTimeAdaptsTheChunkSize) {
  CreateTable(50000);
  const RunResult r = Run({"--chunk-time", "0.05"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const CopySummary s = ParseCopySummary(r.err);
  ASSERT_TRUE(s.found) << r.err;
  EXPECT_EQ(s.rows, 50000u) << r.err;
  EXPECT_NE(s.last_chunk_size, 1000u) << r.err;
  ExpectAlteredWithAllRows();
}

// 8b. An explicit --chunk-size pins the size, --chunk-time notwithstanding.
TEST_F(ThrottleTest, ExplicitChunkSizeIsNotAdapted) {
  CreateTable(50000);
  const RunResult r = Run({"--chunk-size", "500", "--chunk-time", "0.05"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const CopySummary s = ParseCopySummary(r.err);
  ASSERT_TRUE(s.found) << r.err;
  EXPECT_EQ(s.rows, 50000u) << r.err;
  EXPECT_EQ(s.last_chunk_size, 500u) << r.err;
  EXPECT_GE(s.chunks, 100u) << r.err;
  ExpectAlteredWithAllRows();
}

// 9. --skip-check-replica-lag: a replica that does not apply at all (its SQL thread stopped)
// would hold the copy forever (test 1); named with this option it is left alone, and the run
// completes at full speed. The same replica named by another host name is recognised by its
// server id.
TEST_F(ThrottleTest, AReplicaWhoseLagIsNotCheckedDoesNotPauseTheCopy) {
  CreateTable(20000);
  StopReplicaSqlThread();
  ASSERT_FALSE(HasFatalFailure());
  const std::string port = std::to_string(env_.replica_port);
  // DSN, and the name the log gives it. Through the socket, discovery's host:port never matches:
  // only the server id tells it is the same replica.
  std::vector<std::pair<std::string, std::string>> names = {
      {"h=" + env_.host + ",P=" + port, env_.host + ":" + port}};
  if (const char* socket = std::getenv("SHADOWALTER_REPLICA_SOCKET"); socket && *socket) {
    names.push_back({std::string("S=") + socket, socket});
  }
  for (const auto& [dsn, name] : names) {
    const RunResult r = Run({"--check-interval", "0.2", "--skip-check-replica-lag", dsn}, 60s);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(Contains(r.err, "not watching the lag of replica " + name)) << r.err;
    EXPECT_TRUE(Contains(r.err, "no replicas to watch")) << r.err;
    EXPECT_FALSE(Contains(r.err, "pausing the copy")) << r.err;
    ExpectAlteredWithAllRows();
    Exec(*db_, "ALTER TABLE t DROP COLUMN w");
  }
  // A name that is no replica is a warning, not a way around the replica that is there.
  Exec(*replica_, "START SLAVE SQL_THREAD");
  WaitForReplica();
  const RunResult other = Run({"--skip-check-replica-lag", "h=127.0.0.2,P=1"}, 60s);
  EXPECT_EQ(other.exit_code, 0) << other.err;
  EXPECT_TRUE(Contains(other.err, "--skip-check-replica-lag 127.0.0.2:1: no such replica"))
      << other.err;
  EXPECT_TRUE(Contains(other.err, "watching replica lag on")) << other.err;
}

// 10. --replica-user / --replica-password: replicas are reached with their own account, not the
// primary's; a wrong password leaves the replica unreachable, and an account without PROCESS
// can't see replicas of the replica: either way the run is refused before anything is created
// rather than copying without watching them.
TEST_F(ThrottleTest, ReplicasAreReachedWithTheirOwnAccount) {
  CreateTable(5000);
  // An account that exists only on the replica, allowed to read replication status (and, below,
  // to see its replicas).
  Exec(*replica_, "SET SESSION sql_log_bin = 0");
  Exec(*replica_, "DROP USER IF EXISTS 'sa_lagwatch'@'%'");
  Exec(*replica_, "CREATE USER 'sa_lagwatch'@'%' IDENTIFIED BY 'Watch-1'");
  Exec(*replica_, "GRANT SLAVE MONITOR ON *.* TO 'sa_lagwatch'@'%'");
  const RunResult bad = Run({"--replica-user", "sa_lagwatch", "--replica-password", "wrong"}, 60s);
  EXPECT_EQ(bad.exit_code, 5) << bad.err;
  EXPECT_TRUE(Contains(bad.err, "could be found and reached")) << bad.err;
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
  // Right password, but the account sees only its own sessions: replicas of the replica would
  // go unseen, so refused too, asking for PROCESS.
  const RunResult blind =
      Run({"--replica-user", "sa_lagwatch", "--replica-password", "Watch-1"}, 60s);
  EXPECT_EQ(blind.exit_code, 5) << blind.err;
  EXPECT_TRUE(Contains(blind.err, "grant it PROCESS there")) << blind.err;
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
  Exec(*replica_, "GRANT PROCESS ON *.* TO 'sa_lagwatch'@'%'");
  const RunResult good =
      Run({"--replica-user", "sa_lagwatch", "--replica-password", "Watch-1"}, 60s);
  EXPECT_EQ(good.exit_code, 0) << good.err;
  EXPECT_TRUE(Contains(good.err, "watching replica lag on")) << good.err;
  ExpectAlteredWithAllRows();
  Exec(*replica_, "DROP USER IF EXISTS 'sa_lagwatch'@'%'");
}

// 11. A binary log reader on the primary that is no replica (mariadb-binlog here, as a CDC tool or
// a binlog server reads) is refused by default: it might be a replica nobody watches. The refusal
// names its host and --allow-binlog-client, which then lets the run through, with a warning in
// the plan and in the log, still watching the real replica.
TEST_F(ThrottleTest, ABinlogReaderThatIsNoReplicaIsRefusedUnlessAllowed) {
  CreateTable(5000);
  const std::string file = Scalar(*db_, "SELECT @@log_bin_basename");
  auto logs = db_->Query("SHOW BINARY LOGS");
  ASSERT_TRUE(logs.ok() && !logs->empty()) << logs.status().message();
  const std::string first = logs->rows.back()[0].value_or("");
  const pid_t reader = fork();
  ASSERT_GE(reader, 0);
  if (reader == 0) {
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    const std::string host = "--host=" + env_.host;
    const std::string port = "--port=" + std::to_string(env_.primary_port);
    const std::string user = "--user=" + env_.user;
    const std::string password = "--password=" + env_.password;
    execlp("mariadb-binlog", "mariadb-binlog", "--read-from-remote-server", "--stop-never",
           host.c_str(), port.c_str(), user.c_str(), password.c_str(), first.c_str(), nullptr);
    _exit(127);
  }
  struct StopReader {
    pid_t pid;
    ~StopReader() {
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
  } stop_reader{reader};
  const std::string dumps =
      "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'";
  ASSERT_TRUE(WaitUntil([&] { return Scalar(*db_, dumps) == "2"; }))
      << "mariadb-binlog did not connect (" << file << ", " << first << ")";

  const RunResult refused = Run({}, 60s);
  EXPECT_EQ(refused.exit_code, 5) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "2 binary log reader(s) (from " + env_.host)) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "--allow-binlog-client HOST")) << refused.err;
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});

  const RunResult plan =
      RunShadowalter({"--alter", "ADD COLUMN w INT NULL", "--dry-run", "--allow-binlog-client",
                      env_.host, PrimaryDsn(schema_, "t")});
  EXPECT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_TRUE(Contains(plan.out + plan.err, "allowed by --allow-binlog-client")) << plan.err;

  const RunResult allowed = Run({"--allow-binlog-client", env_.host}, 60s);
  EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
  EXPECT_TRUE(Contains(allowed.err, "1 binary log reader(s) on the primary are not replicas"))
      << allowed.err;
  EXPECT_TRUE(Contains(allowed.err, "watching replica lag on")) << allowed.err;
  ExpectAlteredWithAllRows();
}

// 12. A server that itself replicates (here the sandbox replica, altered as if it were a primary):
// the rows its SQL thread applies fire no triggers, so it is refused unless the DBA says how the
// upstream's writes are handled. --upstream-writes none is taken on the DBA's word, with a
// warning; --upstream-writes fire-triggers is checked (MariaDB's slave_run_triggers_for_rbr), and
// then the writes made upstream during the copy reach the new table through the triggers.
TEST_F(ThrottleTest, AServerThatReplicatesNeedsToBeToldHowUpstreamWritesArrive) {
  CreateTable(20000);
  std::string dsn = PrimaryDsn(schema_, "t");
  const std::string primary_port = ",P=" + std::to_string(env_.primary_port) + ",";
  ASSERT_NE(dsn.find(primary_port), std::string::npos) << dsn;
  dsn.replace(dsn.find(primary_port), primary_port.size(),
              ",P=" + std::to_string(env_.replica_port) + ",");
  auto on_replica = [&](std::vector<std::string> extra, const std::string& column) {
    std::vector<std::string> args = {"--alter",      "ADD COLUMN " + column + " INT NULL",
                                     "--execute",    "--no-attempt-instant",
                                     "--chunk-size", "500"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(dsn);
    return RunShadowalter(args);
  };
  // The replica's own writes (the run's DDL) go to a GTID domain of their own, as they would on
  // a master-master pair; in the primary's domain they would break strict GTID replication.
  Exec(*replica_, "SET GLOBAL gtid_domain_id = 7");
  struct RestoreSetting {
    Session* replica;
    ~RestoreSetting() {
      (void)replica->Execute("SET GLOBAL gtid_domain_id = 0");
      (void)replica->Execute("SET GLOBAL slave_run_triggers_for_rbr = NO");
      (void)replica->Execute("STOP SLAVE");
      (void)replica->Execute("START SLAVE");
    }
  } restore{replica_.get()};

  const RunResult refused = on_replica({}, "w1");
  EXPECT_EQ(refused.exit_code, 5) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "this server replicates from")) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "--upstream-writes fire-triggers")) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "--upstream-writes none")) << refused.err;

  const RunResult stated = on_replica({"--upstream-writes", "none"}, "w1");
  EXPECT_EQ(stated.exit_code, 0) << stated.err;
  EXPECT_TRUE(Contains(stated.err, "by --upstream-writes none")) << stated.err;

  const RunResult not_firing = on_replica({"--upstream-writes", "fire-triggers"}, "w2");
  EXPECT_EQ(not_firing.exit_code, 5) << not_firing.err;
  EXPECT_TRUE(Contains(not_firing.err, "slave_run_triggers_for_rbr = NO")) << not_firing.err;

  Exec(*replica_, "SET GLOBAL slave_run_triggers_for_rbr = YES");
  Exec(*replica_, "STOP SLAVE");
  Exec(*replica_, "START SLAVE");
  ASSERT_TRUE(WaitUntil([&] { return ReplicaThreadsRunning(*replica_); }));
  // Writes on the primary all through the replica's copy: inserts, updates and deletes.
  std::atomic<bool> stop{false};
  std::atomic<int> writes{0};
  std::thread writer([&] {
    std::unique_ptr<Session> s = ConnectPrimary(schema_);
    for (int i = 0; !stop && s; ++i) {
      const std::string id = std::to_string(1 + (i * 7919) % 20000);
      Status st = i % 3 == 0   ? s->Execute("UPDATE t SET n = n + 1 WHERE id = " + id)
                  : i % 3 == 1 ? s->Execute("INSERT INTO t VALUES (" + std::to_string(30000 + i) +
                                            ", 'upstream', 1)")
                               : s->Execute("DELETE FROM t WHERE id = " + id);
      if (st.ok()) writes++;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  const RunResult firing = on_replica({"--upstream-writes", "fire-triggers"}, "w2");
  stop = true;
  writer.join();
  EXPECT_EQ(firing.exit_code, 0) << firing.err;
  EXPECT_TRUE(Contains(firing.err, "slave_run_triggers_for_rbr = YES makes the row events"))
      << firing.err;
  EXPECT_GT(writes.load(), 100);
  WaitForReplica();
  // Every upstream write is in the altered table on the replica.
  std::unique_ptr<Session> replica = ConnectReplica(schema_);
  ASSERT_TRUE(replica);
  EXPECT_EQ(Content(*replica), Content(*db_));
  EXPECT_EQ(Scalar(*replica,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME IN ('w1', 'w2')"),
            "2");
}

}  // namespace
}  // namespace shadowalter::testing
