// --output json against the real binary: every stdout line is one JSON event with the documented
// fields, in the documented order, ending with `done`; the log and the plan stay on stderr.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "sandbox.h"

namespace shadowalter::testing {
namespace {

class OutputTest : public SandboxTest {
 protected:
  // Parses every stdout line, checking the fields all events share.
  std::vector<rapidjson::Document> Events(const RunResult& r) {
    std::vector<rapidjson::Document> events;
    std::istringstream in(r.out);
    const std::regex rfc3339(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
    const std::regex run_id_format("[0-9a-f]{16}");
    std::string run_id;  // the same on every line
    for (std::string line; std::getline(in, line);) {
      rapidjson::Document d;
      d.Parse(line.c_str());
      EXPECT_FALSE(d.HasParseError()) << "not JSON: " << line;
      if (d.HasParseError() || !d.IsObject()) continue;
      EXPECT_TRUE(d.HasMember("ts") && d["ts"].IsString() &&
                  std::regex_match(d["ts"].GetString(), rfc3339))
          << line;
      EXPECT_TRUE(d.HasMember("event") && d["event"].IsString()) << line;
      EXPECT_TRUE(d.HasMember("schema") && d["schema"].IsString() &&
                  d["schema"].GetString() == schema_)
          << line;
      EXPECT_TRUE(d.HasMember("table") && d["table"].IsString() &&
                  std::string(d["table"].GetString()) == "t")
          << line;
      EXPECT_TRUE(d.HasMember("run_id") && d["run_id"].IsString() &&
                  std::regex_match(d["run_id"].GetString(), run_id_format))
          << line;
      if (d.HasMember("run_id") && d["run_id"].IsString()) {
        if (run_id.empty()) run_id = d["run_id"].GetString();
        EXPECT_EQ(d["run_id"].GetString(), run_id) << line;
      }
      if (!d.HasMember("event") || !d["event"].IsString()) continue;
      events.push_back(std::move(d));
    }
    const auto env = ReadSandboxEnv();
    if (env && !env->password.empty()) {
      EXPECT_EQ(r.out.find(env->password), std::string::npos) << "the password is in stdout";
    }
    return events;
  }

  static std::string Event(const rapidjson::Document& d) { return d["event"].GetString(); }

  // The phase ids in the order their events came.
  static std::vector<std::string> Phases(const std::vector<rapidjson::Document>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) {
      if (Event(e) == "phase") out.push_back(e["phase"].GetString());
    }
    return out;
  }

  // The position of the phase event for `id`, or -1.
  static int IndexOfPhase(const std::vector<rapidjson::Document>& events, const std::string& id) {
    for (size_t i = 0; i < events.size(); ++i) {
      if (Event(events[i]) == "phase" && events[i]["phase"].GetString() == id) {
        return static_cast<int>(i);
      }
    }
    return -1;
  }

  // The last event is `done` with this status and exit code; returns it for more checks.
  static const rapidjson::Document* ExpectDone(const std::vector<rapidjson::Document>& events,
                                               const std::string& status, int exit_code) {
    EXPECT_FALSE(events.empty());
    if (events.empty()) return nullptr;
    const rapidjson::Document& done = events.back();
    EXPECT_EQ(Event(done), "done");
    if (Event(done) != "done") return nullptr;
    EXPECT_EQ(std::string(done["status"].GetString()), status);
    EXPECT_TRUE(done["exit_code"].IsInt());
    EXPECT_EQ(done["exit_code"].GetInt(), exit_code);
    EXPECT_TRUE(done["elapsed_seconds"].IsNumber());
    EXPECT_TRUE(done["phase_seconds"].IsObject());
    EXPECT_TRUE(done["throttled_seconds"].IsNumber());
    EXPECT_TRUE(done["message"].IsString());
    for (size_t i = 0; i + 1 < events.size(); ++i) EXPECT_NE(Event(events[i]), "done");
    return &done;
  }
};

TEST_F(OutputTest, SuccessfulRun) {
  Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(40) NOT NULL)");
  Exec(*db_, "INSERT INTO t SELECT seq, CONCAT('value ', seq) FROM seq_1_to_3000");
  RunResult r = RunShadowalter({"--alter", "ADD COLUMN w INT NULL", "--execute",
                                "--no-attempt-instant", "--chunk-size", "500", "--output", "json",
                                "--statistics", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<rapidjson::Document> events = Events(r);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(Event(events.front()), "phase");
  EXPECT_EQ(std::string(events.front()["phase"].GetString()), "analyze");

  // The phases of a copy, in order.
  const std::vector<std::string> phases = Phases(events);
  std::vector<std::string> expected = {"analyze",
                                       "connect",
                                       "run_lock",
                                       "find_stopped_run",
                                       "inspect",
                                       "find_replicas",
                                       "preflight",
                                       "record_checkpoint",
                                       "create_new_table",
                                       "alter_new_table",
                                       "compare_definitions",
                                       "check_new_table",
                                       "plan_copy",
                                       "check_unique_keys",
                                       "alter_instantly",
                                       "create_triggers",
                                       "copy",
                                       "verify",
                                       "swap",
                                       "drop_old_table"};
  EXPECT_EQ(phases, expected);
  for (const auto& e : events) {
    if (Event(e) != "phase") continue;
    EXPECT_TRUE(e["description"].IsString());
    ASSERT_TRUE(e["connection"].IsString());
    EXPECT_NE(std::string(e["connection"].GetString()).find(schema_ + ".t"), std::string::npos);
  }

  // Progress comes between the copy's and the verification's phase events, and ends at 100%.
  const int copy = IndexOfPhase(events, "copy");
  const int verify = IndexOfPhase(events, "verify");
  std::vector<const rapidjson::Document*> progress;
  for (int i = copy + 1; i < verify; ++i) {
    if (Event(events[i]) == "progress") progress.push_back(&events[i]);
  }
  ASSERT_FALSE(progress.empty()) << r.out;
  for (const rapidjson::Document* p : progress) {
    EXPECT_STREQ((*p)["phase"].GetString(), "copy");
    EXPECT_TRUE((*p)["rows_copied"].IsUint64());
    EXPECT_TRUE((*p)["rows_estimated"].IsUint64());
    EXPECT_TRUE((*p)["percent"].IsNumber());
    EXPECT_TRUE((*p)["rows_per_second"].IsNumber());
    EXPECT_TRUE((*p)["eta_seconds"].IsNumber() || (*p)["eta_seconds"].IsNull());
    EXPECT_TRUE((*p)["chunk_size"].IsUint64());
    // The copy's transactions are sized within their bounds (throttle/transaction_sizer.h).
    EXPECT_GE((*p)["transaction_rows"].GetUint64(), 250u);
    EXPECT_LE((*p)["transaction_rows"].GetUint64(), 10000u);
    EXPECT_TRUE((*p)["max_replica_lag_seconds"].IsNumber() ||
                (*p)["max_replica_lag_seconds"].IsNull());
  }
  EXPECT_EQ((*progress.back())["rows_copied"].GetUint64(), 3000u);
  EXPECT_EQ((*progress.back())["chunk_size"].GetUint64(), 500u);

  const rapidjson::Document* done = ExpectDone(events, "success", 0);
  ASSERT_NE(done, nullptr);
  EXPECT_TRUE((*done)["phase_seconds"].HasMember("copy"));
  EXPECT_TRUE((*done)["phase_seconds"]["copy"].IsNumber());
  ASSERT_TRUE(done->HasMember("statistics"));
  const auto& stats = (*done)["statistics"];
  EXPECT_EQ(stats["rows_copied"].GetUint64(), 3000u);
  EXPECT_GE(stats["chunks"].GetUint64(), 6u);
  EXPECT_TRUE(stats["chunk_retries"].IsUint64());
  EXPECT_TRUE(stats["throttle_waits"].IsObject());
  EXPECT_TRUE(stats["warnings"].IsUint64());
  // 3000 rows in 500-row chunks: at least one transaction per chunk, each within the bounds.
  EXPECT_GE(stats["transactions"].GetUint64(), 6u);
  EXPECT_GE(stats["transaction_rows_min"].GetUint64(), 250u);
  EXPECT_LE(stats["transaction_rows_max"].GetUint64(), 10000u);
  EXPECT_TRUE(stats["transaction_shrinks"].IsUint64());
  ASSERT_TRUE(stats["copy_step_seconds"].IsObject());
  EXPECT_GT(stats["copy_step_seconds"]["insert"].GetDouble(), 0.0);

  // The log stays on stderr, and --statistics adds its block there.
  EXPECT_NE(r.err.find("triggers installed"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("statistics for"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("rows copied:     3000"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("copy time:       lock"), std::string::npos) << r.err;
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t"), "3000");
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

TEST_F(OutputTest, DryRunPlanGoesToStderr) {
  Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v INT)");
  RunResult r = RunShadowalter({"--alter", "ADD COLUMN w INT NULL", "--dry-run", "--output", "json",
                                PrimaryDsn(schema_, "t")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<rapidjson::Document> events = Events(r);
  EXPECT_NE(IndexOfPhase(events, "report_plan"), -1);
  ExpectDone(events, "success", 0);
  EXPECT_NE(r.err.find("Plan for"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("Plan for"), std::string::npos) << r.out;
}

// The plan as data: a runbook can read the path, the key, the checks and the statements.
TEST_F(OutputTest, DryRunPlanIsAnEvent) {
  Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v INT, old INT)");
  RunResult r =
      RunShadowalter({"--alter", "MODIFY v BIGINT, DROP COLUMN old", "--dry-run", "--output",
                      "json", "--skip-check", "free-space", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<rapidjson::Document> events = Events(r);
  const rapidjson::Document* plan = nullptr;
  for (const auto& e : events) {
    if (std::string(e["event"].GetString()) == "plan") plan = &e;
  }
  ASSERT_NE(plan, nullptr) << r.out;
  const rapidjson::Document& p = *plan;
  EXPECT_STREQ(p["path"].GetString(), "copy");  // MODIFY to BIGINT rebuilds
  EXPECT_STRNE(p["not_instant_because"].GetString(), "");
  EXPECT_STREQ(p["chunk_key"].GetString(), "PRIMARY");
  ASSERT_EQ(p["columns"].Size(), 2u);
  EXPECT_STREQ(p["columns"][1]["from"].GetString(), "v");
  ASSERT_EQ(p["dropped_columns"].Size(), 1u);
  EXPECT_STREQ(p["dropped_columns"][0].GetString(), "old");
  ASSERT_EQ(p["skipped_checks"].Size(), 1u);
  EXPECT_STREQ(p["skipped_checks"][0].GetString(), "free-space");
  bool engine_checked = false, creates = false;
  for (const auto& c : p["checks"].GetArray())
    engine_checked |= std::string(c.GetString()) == "engine";
  for (const auto& st : p["statements"].GetArray()) {
    creates |= std::string(st.GetString()).find("CREATE TRIGGER") != std::string::npos;
  }
  EXPECT_TRUE(engine_checked);
  EXPECT_TRUE(creates);
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

TEST_F(OutputTest, RefusedRun) {
  Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v INT) ENGINE=MyISAM");
  RunResult r = RunShadowalter({"--alter", "ADD COLUMN w INT NULL", "--execute", "--output", "json",
                                PrimaryDsn(schema_, "t")});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  const std::vector<rapidjson::Document> events = Events(r);
  const std::vector<std::string> phases = Phases(events);
  ASSERT_FALSE(phases.empty());
  EXPECT_EQ(phases.back(), "preflight");
  const rapidjson::Document* done = ExpectDone(events, "refused", 5);
  ASSERT_NE(done, nullptr);
  EXPECT_NE(std::string((*done)["message"].GetString()).find("MyISAM"), std::string::npos);
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

TEST_F(OutputTest, AbortedRun) {
  Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(40) NOT NULL)");
  Exec(*db_, "INSERT INTO t SELECT seq, CONCAT('value ', seq) FROM seq_1_to_60000");
  const std::string checksum = TableChecksum(*db_, "t");
  Background bg =
      StartShadowalter({"--alter", "ADD COLUMN w INT NULL", "--execute", "--no-attempt-instant",
                        "--chunk-size", "20", "--output", "json", PrimaryDsn(schema_, "t")});
  ASSERT_TRUE(WaitUntil([&] {
    return TableExists(*db_, "_t_new") && Scalar(*db_, "SELECT COUNT(*) FROM _t_new") != "0";
  })) << "the copy never started";
  kill(bg.pid, SIGTERM);
  RunResult r = WaitShadowalter(bg);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::vector<rapidjson::Document> events = Events(r);
  EXPECT_NE(IndexOfPhase(events, "copy"), -1);
  EXPECT_EQ(IndexOfPhase(events, "swap"), -1);
  const rapidjson::Document* done = ExpectDone(events, "aborted", 1);
  ASSERT_NE(done, nullptr);
  EXPECT_NE(std::string((*done)["message"].GetString()).find("SIGTERM"), std::string::npos);
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
  EXPECT_EQ(TableChecksum(*db_, "t"), checksum);
}

TEST_F(OutputTest, ParkedRun) {
  Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(40) NOT NULL)");
  Exec(*db_, "INSERT INTO t SELECT seq, CONCAT('value ', seq) FROM seq_1_to_2000");
  // The copy waits on the pause file until the limit parks the run.
  const std::string pause = "/tmp/sa_parked_" + schema_;
  std::ofstream(pause) << "";
  RunResult r = RunShadowalter({"--alter", "ADD COLUMN w INT NULL", "--execute",
                                "--no-attempt-instant", "--pause-file", pause, "--max-runtime",
                                "2s", "--output", "json", PrimaryDsn(schema_, "t")});
  std::remove(pause.c_str());
  EXPECT_EQ(r.exit_code, 4) << r.err;
  const std::vector<rapidjson::Document> events = Events(r);
  const std::vector<std::string> phases = Phases(events);
  ASSERT_FALSE(phases.empty());
  EXPECT_EQ(phases.back(), "copy");
  EXPECT_LT(IndexOfPhase(events, "record_checkpoint"), IndexOfPhase(events, "create_triggers"));
  const rapidjson::Document* done = ExpectDone(events, "parked", 4);
  ASSERT_NE(done, nullptr);
  EXPECT_NE(std::string((*done)["message"].GetString()).find("--max-runtime"), std::string::npos);
  // Parked: the run's artifacts stay, on record, for resume.
  EXPECT_EQ(Leftovers(*db_, schema_).size(), 6u);
  EXPECT_EQ(RunShadowalter({"cleanup", PrimaryDsn(schema_, "t")}).exit_code, 0);
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

TEST_F(OutputTest, ThrottleStartAndEnd) {
  Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v INT NOT NULL)");
  Exec(*db_, "INSERT INTO t SELECT seq, seq FROM seq_1_to_2000");
  char path[] = "/tmp/sa_output_pause.XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  Background bg = StartShadowalter({"--alter", "ADD COLUMN w INT NULL", "--execute",
                                    "--no-attempt-instant", "--pause-file", path, "--output",
                                    "json", "--statistics", PrimaryDsn(schema_, "t")});
  // Paused before the first chunk: the file goes once the pause has lasted a moment.
  const bool paused = WaitUntil(
      [&] { return ReadFileText(bg.out_path).find("throttle_start") != std::string::npos; }, 60000);
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  unlink(path);
  RunResult r = WaitShadowalter(bg);
  ASSERT_TRUE(paused) << r.out << "\n" << r.err;
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<rapidjson::Document> events = Events(r);
  int start = -1, end = -1;
  for (size_t i = 0; i < events.size(); ++i) {
    if (Event(events[i]) == "throttle_start" && start < 0) start = static_cast<int>(i);
    if (Event(events[i]) == "throttle_end" && end < 0) end = static_cast<int>(i);
  }
  ASSERT_GE(start, 0);
  ASSERT_GT(end, start);
  EXPECT_GT(start, IndexOfPhase(events, "copy"));
  EXPECT_STREQ(events[start]["kind"].GetString(), "pause file");
  EXPECT_NE(std::string(events[start]["reason"].GetString()).find(path), std::string::npos);
  EXPECT_STREQ(events[end]["kind"].GetString(), "pause file");
  EXPECT_GE(events[end]["seconds"].GetDouble(), 0.5);
  const rapidjson::Document* done = ExpectDone(events, "success", 0);
  ASSERT_NE(done, nullptr);
  EXPECT_GE((*done)["throttled_seconds"].GetDouble(), 0.5);
  EXPECT_EQ((*done)["statistics"]["throttle_waits"]["pause file"].GetUint64(), 1u);
  EXPECT_NE(r.err.find("throttle waits:  pause file 1"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace shadowalter::testing
