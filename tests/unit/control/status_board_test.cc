// The control socket's status object (control/status_board.h) follows the run's events and the
// live settings.
#include "control/status_board.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

namespace shadowalter {
namespace {

rapidjson::Document Parse(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  EXPECT_FALSE(doc.HasParseError()) << json;
  return doc;
}

TEST(StatusBoardTest, BeforeAnyEventItSaysSoWithNulls) {
  Config config;
  LiveSettings live(config);
  StopFlag stop;
  StatusBoard board("db", "t", "00000000000000aa", live, stop, false);
  rapidjson::Document doc = Parse(board.Json());
  EXPECT_EQ(doc["schema_version"].GetInt(), kEventSchemaVersion);
  EXPECT_STREQ(doc["schema"].GetString(), "db");
  EXPECT_STREQ(doc["table"].GetString(), "t");
  EXPECT_STREQ(doc["run_id"].GetString(), "00000000000000aa");
  EXPECT_STREQ(doc["phase"].GetString(), "");
  EXPECT_TRUE(doc["progress"].IsNull());
  EXPECT_TRUE(doc["throttle"].IsNull());
  EXPECT_TRUE(doc["stop_requested"].IsNull());
  EXPECT_TRUE(doc["outcome"].IsNull());
  EXPECT_FALSE(doc["paused_by_hand"].GetBool());
  EXPECT_STREQ(doc["cutover"].GetString(), "immediate");
  EXPECT_DOUBLE_EQ(doc["settings"]["chunk_time"].GetDouble(), 0.5);
  EXPECT_EQ(doc["settings"]["chunk_size"].GetUint64(), 1000u);
  EXPECT_FALSE(doc["settings"]["chunk_size_pinned"].GetBool());
  EXPECT_STREQ(doc["settings"]["max_load"].GetString(), "Threads_running=25");
  EXPECT_STREQ(doc["settings"]["critical_load"].GetString(), "Threads_running=50");
}

TEST(StatusBoardTest, FollowsTheRun) {
  Config config;
  LiveSettings live(config);
  StopFlag stop;
  StatusBoard board("db", "t", "00000000000000aa", live, stop, true);
  board.SettleRunId("3f9a0c27d41e8b65");  // a resumed run takes the stopped run's id
  board.Phase("copy", "copying rows");
  ProgressEvent p;
  p.phase = "copy";
  p.rows_copied = 500;
  p.rows_estimated = 1000;
  p.percent = 50;
  p.rows_per_second = 250;
  p.eta_seconds = 2;
  p.chunk_size = 100;
  p.position = {"42", std::string("a\0b", 3)};
  board.Tick(p);
  board.ThrottleStart("replica lag", "replica r1 lags 3 s");
  live.SetChunkSize(77);
  live.SetMaxLag(4);
  live.set_paused(true);
  live.ReleaseCutover();
  stop.RequestFromControl(StopFlag::kControlPark);
  rapidjson::Document doc = Parse(board.Json());
  EXPECT_STREQ(doc["phase"].GetString(), "copy");
  EXPECT_STREQ(doc["run_id"].GetString(), "3f9a0c27d41e8b65");
  EXPECT_EQ(doc["progress"]["rows_copied"].GetUint64(), 500u);
  EXPECT_DOUBLE_EQ(doc["progress"]["eta_seconds"].GetDouble(), 2);
  ASSERT_EQ(doc["progress"]["position"].Size(), 2u);
  EXPECT_STREQ(doc["progress"]["position"][0].GetString(), "42");
  EXPECT_STREQ(doc["progress"]["position"][1].GetString(), "0x610062");
  EXPECT_STREQ(doc["throttle"]["kind"].GetString(), "replica lag");
  EXPECT_STREQ(doc["throttle"]["reason"].GetString(), "replica r1 lags 3 s");
  EXPECT_TRUE(doc["paused_by_hand"].GetBool());
  EXPECT_STREQ(doc["stop_requested"].GetString(), "park on the control socket");
  EXPECT_STREQ(doc["cutover"].GetString(), "released");
  EXPECT_EQ(doc["settings"]["chunk_size"].GetUint64(), 77u);
  EXPECT_TRUE(doc["settings"]["chunk_size_pinned"].GetBool());
  EXPECT_DOUBLE_EQ(doc["settings"]["max_lag"].GetDouble(), 4);
  board.ThrottleEnd("replica lag", 1);
  DoneEvent done;
  done.status = "parked";
  board.Done(done);
  rapidjson::Document after = Parse(board.Json());
  EXPECT_TRUE(after["throttle"].IsNull());
  EXPECT_STREQ(after["outcome"].GetString(), "parked");
}

TEST(StatusBoardTest, ShowKeyValueKeepsPrintableTextAndHexesTheRest) {
  EXPECT_EQ(StatusBoard::ShowKeyValue("abc 12"), "abc 12");
  EXPECT_EQ(StatusBoard::ShowKeyValue("\xff\x01"), "0xff01");
  EXPECT_EQ(StatusBoard::ShowKeyValue(""), "");
}

}  // namespace
}  // namespace shadowalter
