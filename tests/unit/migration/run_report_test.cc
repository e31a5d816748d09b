// The run's report without a server: the done event it emits, the phase shares the log shows,
// and the progress events of the copy.
#include "migration/run_report.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace shadowalter {
namespace {

// Keeps every event it is sent.
class RecordingSink : public NullEventSink {
 public:
  void Progress(const ProgressEvent& p) override { progress.push_back(p); }
  void Done(const DoneEvent& d) override { done.push_back(d); }
  std::vector<ProgressEvent> progress;
  std::vector<DoneEvent> done;
};

TEST(RunReportTest, TheDoneEventCarriesTheOutcomeAndThePhasesInOrder) {
  RecordingSink sink;
  RunReport report(sink);
  report.PhaseTook("connect", "connecting", 0.25);
  report.PhaseTook("copy", "copying rows", 3.5);
  report.outcome().status = "parked";
  report.outcome().message = "copying rows: --max-runtime 60 s reached";
  report.Done(4, 4.0, /*with_statistics=*/false);
  ASSERT_EQ(sink.done.size(), 1u);
  const DoneEvent& d = sink.done[0];
  EXPECT_EQ(d.status, "parked");
  EXPECT_EQ(d.exit_code, 4);
  EXPECT_EQ(d.elapsed_seconds, 4.0);
  EXPECT_EQ(d.message, "copying rows: --max-runtime 60 s reached");
  EXPECT_EQ(d.phase_seconds,
            (std::vector<std::pair<std::string, double>>{{"connect", 0.25}, {"copy", 3.5}}));
  EXPECT_EQ(d.throttled_seconds, 0);  // no throttler
  EXPECT_FALSE(d.statistics.has_value());
}

TEST(RunReportTest, StatisticsCountTheCopyThrottleWaitsAndWarnings) {
  RecordingSink sink;
  RunReport report(sink);
  CopyProgress p;
  p.rows_copied = 1200;
  p.chunks = 12;
  p.lock_conflicts = 2;
  report.set_copy_progress(p);
  report.CountThrottleWait("replica_lag");
  report.CountThrottleWait("replica_lag");
  report.CountThrottleWait("load");
  report.CountWarning();
  report.Done(0, 1.0, /*with_statistics=*/true);
  ASSERT_EQ(sink.done.size(), 1u);
  ASSERT_TRUE(sink.done[0].statistics.has_value());
  const RunStatistics& s = *sink.done[0].statistics;
  EXPECT_EQ(s.rows_copied, 1200u);
  EXPECT_EQ(s.chunks, 12u);
  EXPECT_EQ(s.chunk_retries, 2u);
  EXPECT_EQ(s.throttle_waits, (std::map<std::string, uint64_t>{{"load", 1}, {"replica_lag", 2}}));
  EXPECT_EQ(s.warnings, 1u);
}

TEST(RunReportTest, PhaseSharesLeaveOutTheInstantOnes) {
  NullEventSink sink;
  RunReport report(sink);
  report.PhaseTook("connect", "connecting", 0.01);
  report.PhaseTook("copy", "copying rows", 3.0);
  report.PhaseTook("swap", "swapping tables", 1.0);
  EXPECT_EQ(report.PhaseShares(4.0),
            "time by phase: copying rows 3.0 s (75%), swapping tables 1.0 s (25%)");
}

TEST(RunReportTest, ProgressEventsCarryTheSnapshot) {
  RecordingSink sink;
  RunReport report(sink);
  ProgressSnapshot snap;
  snap.rows = 500;
  snap.estimated = 1000;
  snap.percent = 50;
  snap.rows_per_second = 250;
  snap.eta_seconds = 2;
  report.Progress("copy", snap, 100);
  ASSERT_EQ(sink.progress.size(), 1u);
  const ProgressEvent& e = sink.progress[0];
  EXPECT_EQ(e.phase, "copy");
  EXPECT_EQ(e.rows_copied, 500u);
  EXPECT_EQ(e.rows_estimated, 1000u);
  EXPECT_EQ(e.percent, 50);
  EXPECT_EQ(e.eta_seconds, 2);
  EXPECT_EQ(e.chunk_size, 100u);
  EXPECT_FALSE(e.max_replica_lag_seconds.has_value());
}

}  // namespace
}  // namespace shadowalter
