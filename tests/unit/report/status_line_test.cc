// The terminal's status line: its text, redrawn in place, cut to the terminal, gone at the end.
#include "report/status_line.h"

#include <gtest/gtest.h>

#include <sstream>

namespace shadowalter {
namespace {

ProgressEvent Copy(uint64_t rows) {
  ProgressEvent p;
  p.phase = "copy";
  p.rows_copied = rows;
  p.rows_estimated = 1000;
  p.percent = rows / 10.0;
  p.rows_per_second = 250;
  p.eta_seconds = (1000.0 - rows) / 250;
  p.chunk_size = 100;
  p.max_replica_lag_seconds = 0.25;
  return p;
}

TEST(TtyStatusLineTest, Format) {
  EXPECT_EQ(TtyStatusLine::Format("copy", Copy(500), ""),
            "copy 50.0% 500/~1000 rows 250 rows/s ETA 2 s chunk 100 lag 0.2 s");
  ProgressEvent unknown = Copy(0);
  unknown.rows_estimated = 0;
  unknown.eta_seconds.reset();
  unknown.max_replica_lag_seconds.reset();
  EXPECT_EQ(TtyStatusLine::Format("verify", unknown, "replica lag: replica r1 lags 3 s"),
            "verify 0 rows 250 rows/s ETA ? chunk 100 | paused: replica lag: replica r1 lags 3 s");
  EXPECT_EQ(TtyStatusLine::Format("copy", std::nullopt, ""), "copy");
}

TEST(TtyStatusLineTest, DrawsOnlyDuringCopyAndVerifyAndErasesAtTheEnd) {
  std::ostringstream out;
  {
    TtyStatusLine line(out, [] { return 200; });
    line.Phase("create_triggers", "creating triggers");
    EXPECT_EQ(out.str(), "");
    line.Phase("copy", "copying rows");
    EXPECT_EQ(out.str(), "\r\x1b[Kcopy");
    line.Tick(Copy(500));  // within the redraw interval of the phase's first draw: kept for later
    EXPECT_EQ(out.str(), "\r\x1b[Kcopy");
    line.ThrottleStart("pause file", "pause file /tmp/p exists");
    EXPECT_EQ(out.str(),
              "\r\x1b[Kcopy\r\x1b[Kcopy 50.0% 500/~1000 rows 250 rows/s ETA 2 s chunk 100 "
              "lag 0.2 s | paused: pause file /tmp/p exists");  // its kind is not said twice
    line.ThrottleEnd("pause file", 1);
    line.ThrottleStart("server load", "Threads_running 30 >= 25");
    EXPECT_NE(out.str().find("| paused: server load: Threads_running 30 >= 25"), std::string::npos)
        << out.str();
    line.Done(DoneEvent{});
    EXPECT_EQ(out.str().substr(out.str().size() - 4), "\r\x1b[K");
  }
}

TEST(TtyStatusLineTest, CutToTheTerminal) {
  std::ostringstream out;
  TtyStatusLine line(out, [] { return 20; });
  line.Phase("copy", "copying rows");
  line.ThrottleStart("server load", "Threads_running 30 >= 25");
  const std::string last = out.str().substr(out.str().rfind('\r'));
  EXPECT_EQ(last, "\r\x1b[K" + std::string("copy | paused: serv"));
}

}  // namespace
}  // namespace shadowalter
