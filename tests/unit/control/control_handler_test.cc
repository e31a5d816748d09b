// What each control command does to the run's live settings and stop flag, and what it answers
// (control/control_handler.h). The socket itself: control_socket_test.cc; a real run:
// tests/integration/control_test.cc.
#include "control/control_handler.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <vector>

namespace shadowalter {
namespace {

// Records the control events the handler emits.
class RecordingSink : public NullEventSink {
 public:
  void Control(const std::string& command, const std::string& outcome) override {
    controls.push_back({command, outcome});
  }
  std::vector<std::pair<std::string, std::string>> controls;
};

class ControlHandlerTest : public ::testing::Test {
 protected:
  ControlHandler Handler(bool postponable = false) {
    return ControlHandler(live_, stop_, board_, sink_, postponable);
  }
  Config config_;
  LiveSettings live_{config_};
  StopFlag stop_;
  StatusBoard board_{"db", "t", "00000000000000aa", live_, stop_, false};
  RecordingSink sink_;
};

TEST_F(ControlHandlerTest, ChangesTheLiveSettingsAndSaysSo) {
  ControlHandler h = Handler();
  const uint64_t before = live_.version();
  EXPECT_EQ(h.Answer("chunk-time=2"), "ok: chunk time 0.5 s -> 2 s, from the next chunk");
  EXPECT_DOUBLE_EQ(live_.tuning().chunk_time, 2);
  EXPECT_GT(live_.version(), before);
  EXPECT_EQ(h.Answer("chunk-size=300").rfind("ok: chunk size pinned at 300 rows", 0), 0u);
  EXPECT_TRUE(live_.tuning().chunk_size_fixed);
  EXPECT_EQ(live_.tuning().chunk_size, 300u);
  // chunk-time= frees a pinned size again.
  EXPECT_NE(h.Answer("chunk-time=1").find("adapts to it again"), std::string::npos);
  EXPECT_FALSE(live_.tuning().chunk_size_fixed);
  EXPECT_EQ(h.Answer("max-lag=5"), "ok: max lag 1 s -> 5 s");
  EXPECT_DOUBLE_EQ(live_.tuning().max_lag, 5);
  EXPECT_EQ(h.Answer("max-load=Threads_running=40"),
            "ok: max load Threads_running=25 -> Threads_running=40");
  EXPECT_EQ(h.Answer("critical-load=Threads_running=90"),
            "ok: critical load Threads_running=50 -> Threads_running=90");
  ASSERT_EQ(live_.tuning().critical_load.size(), 1u);
  EXPECT_EQ(live_.tuning().critical_load[0].limit, 90.0);
  // Every change is an event naming the command as sent.
  ASSERT_EQ(sink_.controls.size(), 6u);
  EXPECT_EQ(sink_.controls[0].first, "chunk-time=2");
  EXPECT_EQ(sink_.controls[0].second, "chunk time 0.5 s -> 2 s, from the next chunk");
}

TEST_F(ControlHandlerTest, ABadCommandChangesNothing) {
  ControlHandler h = Handler();
  const uint64_t before = live_.version();
  EXPECT_EQ(h.Answer("chunk-time=0").rfind("error: bad chunk-time '0'", 0), 0u);
  EXPECT_EQ(h.Answer("frobnicate").rfind("error: unknown command", 0), 0u);
  EXPECT_EQ(h.Answer("cutover").rfind("error: this run has no --postpone-cutover-file", 0), 0u);
  EXPECT_EQ(live_.version(), before);
  EXPECT_FALSE(live_.cutover_released());
  EXPECT_FALSE(stop_.requested());
  EXPECT_TRUE(sink_.controls.empty());
}

TEST_F(ControlHandlerTest, PauseAndContinue) {
  ControlHandler h = Handler();
  EXPECT_EQ(h.Answer("continue"), "ok: was not paused by hand; nothing changed");
  EXPECT_EQ(h.Answer("pause").rfind("ok: paused by hand", 0), 0u);
  EXPECT_TRUE(live_.paused());
  EXPECT_EQ(h.Answer("continue").rfind("ok: the pause by hand is lifted", 0), 0u);
  EXPECT_FALSE(live_.paused());
}

TEST_F(ControlHandlerTest, ParkAndAbortSetTheStopFlagOnce) {
  ControlHandler h = Handler();
  EXPECT_EQ(h.Answer("park").rfind("ok: parking at the next safe point", 0), 0u);
  EXPECT_EQ(stop_.signal_number(), StopFlag::kControlPark);
  EXPECT_EQ(h.Answer("abort"),
            "error: a stop is already under way (park on the control socket); nothing changed");
  EXPECT_EQ(stop_.signal_number(), StopFlag::kControlPark);
  StopFlag fresh;
  ControlHandler aborting(live_, fresh, board_, sink_, false);
  EXPECT_EQ(aborting.Answer("abort").rfind("ok: aborting", 0), 0u);
  EXPECT_EQ(fresh.signal_number(), StopFlag::kControlAbort);
}

TEST_F(ControlHandlerTest, CutoverReleasesAPostponedSwap) {
  ControlHandler h = Handler(/*postponable=*/true);
  EXPECT_EQ(h.Answer("cutover").rfind("ok: the postponed cut-over is released", 0), 0u);
  EXPECT_TRUE(live_.cutover_released());
}

TEST_F(ControlHandlerTest, StatusAndHelpChangeNothing) {
  ControlHandler h = Handler();
  rapidjson::Document doc;
  doc.Parse(h.Answer("status").c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_STREQ(doc["event"].GetString(), "control_status");
  EXPECT_NE(h.Answer("help").find("chunk-size=ROWS"), std::string::npos);
  EXPECT_TRUE(sink_.controls.empty());
}

}  // namespace
}  // namespace shadowalter
