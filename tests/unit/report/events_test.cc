// --output json: each event is one line of valid JSON with the documented fields and types.
#include "report/events.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <sstream>
#include <string>
#include <vector>

namespace shadowalter {
namespace {

std::chrono::system_clock::time_point FixedTime() {
  // 2026-12-01T10:00:00.123Z
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(1796119200123LL));
}

constexpr char kRunId[] = "0123456789abcdef";
constexpr char kStoppedRunId[] = "3f9a0c27d41e8b65";

// The lines of `text`, each parsed; fails the test on a line that isn't one JSON object.
std::vector<rapidjson::Document> ParseLines(const std::string& text) {
  std::vector<rapidjson::Document> docs;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    rapidjson::Document d;
    d.Parse(line.c_str());
    EXPECT_FALSE(d.HasParseError()) << line;
    EXPECT_TRUE(d.IsObject()) << line;
    docs.push_back(std::move(d));
  }
  return docs;
}

std::vector<std::string> RunIds(const std::vector<rapidjson::Document>& lines) {
  std::vector<std::string> ids;
  for (const rapidjson::Document& d : lines) {
    EXPECT_TRUE(d.HasMember("run_id") && d["run_id"].IsString());
    ids.push_back(d.HasMember("run_id") && d["run_id"].IsString() ? d["run_id"].GetString() : "");
  }
  return ids;
}

std::vector<std::string> Events(const std::vector<rapidjson::Document>& lines) {
  std::vector<std::string> events;
  for (const rapidjson::Document& d : lines) events.push_back(d["event"].GetString());
  return events;
}

using Strings = std::vector<std::string>;

class EventsTest : public ::testing::Test {
 protected:
  JsonEventSink sink_{out_, "shop", "orders", "127.0.0.1:3306/shop.orders", kRunId, FixedTime};
  std::ostringstream out_;

  // The lines written so far, each parsed; fails the test on a line that isn't one JSON object.
  std::vector<rapidjson::Document> Lines() {
    std::vector<rapidjson::Document> docs;
    std::istringstream in(out_.str());
    for (std::string line; std::getline(in, line);) {
      rapidjson::Document d;
      d.Parse(line.c_str());
      EXPECT_FALSE(d.HasParseError()) << line;
      EXPECT_TRUE(d.IsObject()) << line;
      docs.push_back(std::move(d));
    }
    return docs;
  }

  static void ExpectCommon(const rapidjson::Document& d, const char* event) {
    ASSERT_TRUE(d.HasMember("ts") && d["ts"].IsString());
    EXPECT_STREQ(d["ts"].GetString(), "2026-12-01T10:00:00.123Z");
    ASSERT_TRUE(d.HasMember("event") && d["event"].IsString());
    EXPECT_STREQ(d["event"].GetString(), event);
    EXPECT_EQ(d["schema_version"].GetInt(), kEventSchemaVersion);
    EXPECT_STREQ(d["version"].GetString(), SHADOWALTER_VERSION);
    EXPECT_STREQ(d["schema"].GetString(), "shop");
    EXPECT_STREQ(d["table"].GetString(), "orders");
    ASSERT_TRUE(d.HasMember("run_id") && d["run_id"].IsString());
    EXPECT_STREQ(d["run_id"].GetString(), kRunId);
  }
};

TEST(Rfc3339Test, UtcWithMilliseconds) {
  EXPECT_EQ(Rfc3339Utc(FixedTime()), "2026-12-01T10:00:00.123Z");
  EXPECT_EQ(Rfc3339Utc(std::chrono::system_clock::time_point()), "1970-01-01T00:00:00.000Z");
}

TEST_F(EventsTest, Phase) {
  sink_.Phase("copy", "copying rows");
  auto lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  ExpectCommon(lines[0], "phase");
  EXPECT_STREQ(lines[0]["phase"].GetString(), "copy");
  EXPECT_STREQ(lines[0]["description"].GetString(), "copying rows");
  EXPECT_STREQ(lines[0]["connection"].GetString(), "127.0.0.1:3306/shop.orders");
}

TEST_F(EventsTest, ProgressWithUnknownLagAndEta) {
  ProgressEvent p;
  p.phase = "copy";
  p.rows_copied = 500;
  p.rows_estimated = 1000;
  p.percent = 50;
  p.rows_per_second = 250.1234;
  p.chunk_size = 1000;
  sink_.Progress(p);
  p.eta_seconds = 2;
  p.max_replica_lag_seconds = 0.25;
  sink_.Progress(p);
  auto lines = Lines();
  ASSERT_EQ(lines.size(), 2u);
  ExpectCommon(lines[0], "progress");
  const auto& a = lines[0];
  EXPECT_EQ(a["rows_copied"].GetUint64(), 500u);
  EXPECT_EQ(a["rows_estimated"].GetUint64(), 1000u);
  EXPECT_DOUBLE_EQ(a["percent"].GetDouble(), 50);
  EXPECT_DOUBLE_EQ(a["rows_per_second"].GetDouble(), 250.123);
  EXPECT_TRUE(a["eta_seconds"].IsNull());
  EXPECT_EQ(a["chunk_size"].GetUint64(), 1000u);
  EXPECT_TRUE(a["max_replica_lag_seconds"].IsNull());
  EXPECT_DOUBLE_EQ(lines[1]["eta_seconds"].GetDouble(), 2);
  EXPECT_DOUBLE_EQ(lines[1]["max_replica_lag_seconds"].GetDouble(), 0.25);
}

TEST_F(EventsTest, ThrottleStartAndEnd) {
  sink_.ThrottleStart("replica lag", "replica r1 lags 3 s (--max-lag 1)");
  sink_.ThrottleEnd("replica lag", 4.5);
  auto lines = Lines();
  ASSERT_EQ(lines.size(), 2u);
  ExpectCommon(lines[0], "throttle_start");
  EXPECT_STREQ(lines[0]["kind"].GetString(), "replica lag");
  EXPECT_STREQ(lines[0]["reason"].GetString(), "replica r1 lags 3 s (--max-lag 1)");
  ExpectCommon(lines[1], "throttle_end");
  EXPECT_DOUBLE_EQ(lines[1]["seconds"].GetDouble(), 4.5);
}

TEST_F(EventsTest, WarningIsEscaped) {
  sink_.Warning("a \"quoted\" name\nand a second line\t\\");
  auto lines = Lines();
  ASSERT_EQ(lines.size(), 1u);  // the newline is escaped, so still one line
  ExpectCommon(lines[0], "warning");
  EXPECT_STREQ(lines[0]["message"].GetString(), "a \"quoted\" name\nand a second line\t\\");
}

TEST_F(EventsTest, DoneWithStatistics) {
  DoneEvent d;
  d.status = "success";
  d.exit_code = 0;
  d.elapsed_seconds = 12.3456;
  d.phase_seconds = {{"connect", 0.01}, {"copy", 10.5}};
  d.throttled_seconds = 1.25;
  d.message = "done";
  RunStatistics s;
  s.chunks = 7;
  s.rows_copied = 7000;
  s.chunk_retries = 1;
  s.throttle_waits["server load"] = 2;
  s.throttle_seconds["server load"] = 1.25;
  s.warnings = 3;
  d.statistics = s;
  sink_.Done(d);
  d.statistics.reset();
  d.status = "refused";
  d.exit_code = 5;
  d.revertible = true;
  sink_.Done(d);
  auto lines = Lines();
  ASSERT_EQ(lines.size(), 2u);
  const auto& a = lines[0];
  ExpectCommon(a, "done");
  EXPECT_STREQ(a["status"].GetString(), "success");
  EXPECT_TRUE(a["exit_code"].IsInt());
  EXPECT_EQ(a["exit_code"].GetInt(), 0);
  EXPECT_DOUBLE_EQ(a["elapsed_seconds"].GetDouble(), 12.346);
  ASSERT_TRUE(a["phase_seconds"].IsObject());
  EXPECT_DOUBLE_EQ(a["phase_seconds"]["copy"].GetDouble(), 10.5);
  EXPECT_DOUBLE_EQ(a["throttled_seconds"].GetDouble(), 1.25);
  EXPECT_STREQ(a["message"].GetString(), "done");
  ASSERT_TRUE(a["revertible"].IsBool());
  EXPECT_FALSE(a["revertible"].GetBool());
  EXPECT_TRUE(lines[1]["revertible"].GetBool());
  ASSERT_TRUE(a["statistics"].IsObject());
  EXPECT_EQ(a["statistics"]["chunks"].GetUint64(), 7u);
  EXPECT_EQ(a["statistics"]["rows_copied"].GetUint64(), 7000u);
  EXPECT_EQ(a["statistics"]["chunk_retries"].GetUint64(), 1u);
  EXPECT_EQ(a["statistics"]["throttle_waits"]["server load"].GetUint64(), 2u);
  EXPECT_DOUBLE_EQ(a["statistics"]["throttle_seconds"]["server load"].GetDouble(), 1.25);
  EXPECT_EQ(a["statistics"]["warnings"].GetUint64(), 3u);
  EXPECT_STREQ(lines[1]["status"].GetString(), "refused");
  EXPECT_EQ(lines[1]["exit_code"].GetInt(), 5);
  EXPECT_FALSE(lines[1].HasMember("statistics"));
}

// A sink that writes at once carries the id it was given; settling changes nothing then.
TEST_F(EventsTest, ASinkThatDoesNotHoldWritesAtOnceWithItsId) {
  sink_.Phase("analyze", "analyzing the ALTER");
  EXPECT_EQ(Lines().size(), 1u);
  sink_.SettleRunId(kStoppedRunId);
  sink_.Warning("w");
  EXPECT_EQ(RunIds(Lines()), (Strings{kRunId, kRunId}));
}

// --execute: the lines wait for the id, then all go out with it, in order, each with its own
// time; later ones are written at once.
TEST(HeldEventsTest, LinesWaitForTheSettledIdThenGoOutWithIt) {
  std::ostringstream out;
  int tick = 0;
  JsonEventSink sink(out, "shop", "orders", "u@h:3306/shop.orders", kRunId, [&tick] {
    return std::chrono::system_clock::time_point(std::chrono::seconds(++tick));
  });
  sink.HoldUntilRunIdSettled();
  sink.Phase("analyze", "analyzing the ALTER");
  sink.Phase("connect", "connecting");
  sink.Warning("a warning before the id is known");
  sink.Phase("find_stopped_run", "looking for a stopped run");
  EXPECT_EQ(out.str(), "");
  sink.SettleRunId(kStoppedRunId);
  auto lines = ParseLines(out.str());
  EXPECT_EQ(Events(lines), (Strings{"phase", "phase", "warning", "phase"}));
  EXPECT_EQ(RunIds(lines), (Strings(4, kStoppedRunId)));
  EXPECT_STREQ(lines[0]["ts"].GetString(), "1970-01-01T00:00:01.000Z");
  EXPECT_STREQ(lines[3]["ts"].GetString(), "1970-01-01T00:00:04.000Z");
  EXPECT_STREQ(lines[3]["phase"].GetString(), "find_stopped_run");

  sink.Phase("inspect", "inspecting the table");
  EXPECT_EQ(ParseLines(out.str()).size(), 5u);
  sink.SettleRunId("ffffffffffffffff");  // only the first settling counts
  DoneEvent done;
  done.status = "success";
  sink.Done(done);
  lines = ParseLines(out.str());
  EXPECT_EQ(Events(lines).back(), "done");
  EXPECT_EQ(RunIds(lines), (Strings(6, kStoppedRunId)));
}

// A run that ends before it looked for a stopped run (a refused connection): done writes what
// was held with the id the sink was given.
TEST(HeldEventsTest, DoneWritesWhatIsHeldWithTheProvisionalId) {
  std::ostringstream out;
  JsonEventSink sink(out, "shop", "orders", "u@h:3306/shop.orders", kRunId);
  sink.HoldUntilRunIdSettled();
  sink.Phase("analyze", "analyzing the ALTER");
  sink.Phase("connect", "connecting");
  EXPECT_EQ(out.str(), "");
  DoneEvent done;
  done.status = "unreachable";
  done.exit_code = 6;
  sink.Done(done);
  auto lines = ParseLines(out.str());
  EXPECT_EQ(Events(lines), (Strings{"phase", "phase", "done"}));
  EXPECT_EQ(RunIds(lines), (Strings(3, kRunId)));
  sink.SettleRunId(kStoppedRunId);  // too late: the run's lines are out
  sink.Warning("after the end");
  EXPECT_EQ(RunIds(ParseLines(out.str())).back(), kRunId);
}

// Nothing held is lost: a sink destroyed without done still writes its lines.
TEST(HeldEventsTest, TheDestructorWritesWhatIsHeld) {
  std::ostringstream out;
  {
    JsonEventSink sink(out, "shop", "orders", "u@h:3306/shop.orders", kRunId);
    sink.HoldUntilRunIdSettled();
    sink.Phase("analyze", "analyzing the ALTER");
    EXPECT_EQ(out.str(), "");
  }
  auto lines = ParseLines(out.str());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(RunIds(lines), (Strings{kRunId}));
}

// Any id is written as a JSON string, whatever it holds.
TEST(HeldEventsTest, TheIdIsEscaped) {
  std::ostringstream out;
  JsonEventSink sink(out, "shop", "orders", "u@h:3306/shop.orders", kRunId);
  sink.HoldUntilRunIdSettled();
  sink.SettleRunId("a\"b\\c");
  sink.Warning("w");
  auto lines = ParseLines(out.str());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_STREQ(lines[0]["run_id"].GetString(), "a\"b\\c");
}

// The fan-out hands the id to every sink.
TEST(HeldEventsTest, TheFanoutForwardsTheId) {
  std::ostringstream a, b;
  JsonEventSink first(a, "shop", "orders", "u@h", kRunId);
  JsonEventSink second(b, "shop", "orders", "u@h", kRunId);
  first.HoldUntilRunIdSettled();
  second.HoldUntilRunIdSettled();
  EventFanout fanout({&first, nullptr, &second});
  fanout.Phase("analyze", "analyzing the ALTER");
  fanout.SettleRunId(kStoppedRunId);
  EXPECT_EQ(RunIds(ParseLines(a.str())), (Strings{kStoppedRunId}));
  EXPECT_EQ(RunIds(ParseLines(b.str())), (Strings{kStoppedRunId}));
}

}  // namespace
}  // namespace shadowalter
