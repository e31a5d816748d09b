// The live settings (control/live_settings.h) and how the copy takes them up between chunks
// (ApplyChunkTuning, migration/row_copy.h).
#include "control/live_settings.h"

#include <gtest/gtest.h>

#include "migration/row_copy.h"

namespace shadowalter {
namespace {

TEST(LiveSettingsTest, StartsFromTheConfigAndCountsChanges) {
  Config config;
  config.chunk_time = 2;
  config.chunk_size = 50;
  config.chunk_size_fixed = true;
  config.max_lag = 3;
  LiveSettings live(config);
  EXPECT_EQ(live.version(), 0u);
  Tuning t = live.tuning();
  EXPECT_DOUBLE_EQ(t.chunk_time, 2);
  EXPECT_EQ(t.chunk_size, 50u);
  EXPECT_TRUE(t.chunk_size_fixed);
  EXPECT_DOUBLE_EQ(t.max_lag, 3);
  live.SetChunkTime(1);
  EXPECT_EQ(live.version(), 1u);
  EXPECT_FALSE(live.tuning().chunk_size_fixed);
  live.SetMaxLoad({{"Threads_connected", 9.0}});
  EXPECT_EQ(live.version(), 2u);
  EXPECT_EQ(live.tuning().max_load[0].variable, "Threads_connected");
  // Pausing and releasing the cut-over are flags, not tuning.
  live.set_paused(true);
  live.ReleaseCutover();
  EXPECT_EQ(live.version(), 2u);
}

TEST(LiveSettingsTest, TheCopyTakesUpChunkChangesOnce) {
  Config config;
  LiveSettings live(config);
  ChunkSizer sizer(1000, 0.5);
  uint64_t seen = 0;
  ApplyChunkTuning(live, seen, sizer);  // nothing changed yet
  EXPECT_FALSE(sizer.fixed());
  EXPECT_EQ(sizer.next_rows(), 1000u);
  live.SetChunkSize(200);
  ApplyChunkTuning(live, seen, sizer);
  EXPECT_TRUE(sizer.fixed());
  EXPECT_EQ(sizer.next_rows(), 200u);
  live.SetMaxLag(9);  // not a chunk setting: the pinned size stays
  ApplyChunkTuning(live, seen, sizer);
  EXPECT_TRUE(sizer.fixed());
  EXPECT_EQ(sizer.next_rows(), 200u);
  live.SetChunkTime(0.25);
  ApplyChunkTuning(live, seen, sizer);
  EXPECT_FALSE(sizer.fixed());
  EXPECT_DOUBLE_EQ(sizer.target_seconds(), 0.25);
}

}  // namespace
}  // namespace shadowalter
