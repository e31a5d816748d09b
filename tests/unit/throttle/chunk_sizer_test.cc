#include "throttle/chunk_sizer.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

// A simulated server copying `rate` rows per second plus a fixed cost per chunk.
double SimulatedSeconds(uint64_t rows, double rate, double overhead = 0.002) {
  return overhead + rows / rate;
}

TEST(ChunkSizerTest, StartsAtTheInitialSize) {
  ChunkSizer s(1000, 0.5);
  EXPECT_EQ(s.next_rows(), 1000u);
}

TEST(ChunkSizerTest, ConvergesToTheTargetTime) {
  ChunkSizer s(1000, 0.5);
  for (int i = 0; i < 40; ++i) {
    const uint64_t rows = s.next_rows();
    s.Record(rows, SimulatedSeconds(rows, 40000));
  }
  const double seconds = SimulatedSeconds(s.next_rows(), 40000);
  EXPECT_NEAR(seconds, 0.5, 0.05);
}

TEST(ChunkSizerTest, GrowsAtMostTwofoldPerChunk) {
  ChunkSizer s(100, 0.5);
  s.Record(100, 0.001);  // absurdly fast
  EXPECT_EQ(s.next_rows(), 200u);
  s.Record(200, 0.001);
  EXPECT_EQ(s.next_rows(), 400u);
}

TEST(ChunkSizerTest, ASlowChunkShrinksTheNextAtOnce) {
  ChunkSizer s(1000, 0.5);
  for (int i = 0; i < 20; ++i) s.Record(s.next_rows(), SimulatedSeconds(s.next_rows(), 40000));
  const uint64_t before = s.next_rows();
  // The server slows down tenfold: one chunk takes five times the target.
  s.Record(before, 5 * 0.5);
  EXPECT_LT(s.next_rows(), before / 4);
  EXPECT_NEAR(static_cast<double>(s.next_rows()), before * 0.5 / 2.5, before * 0.02);
}

TEST(ChunkSizerTest, StaysWithinBounds) {
  ChunkSizer s(1000, 0.5);
  s.Record(1000, 1000.0);  // one row per second: would be 0.5 rows
  EXPECT_EQ(s.next_rows(), ChunkSizer::kMinRows);
  ChunkSizer big(ChunkSizer::kMaxRows, 10.0);
  big.Record(ChunkSizer::kMaxRows, 0.01);
  EXPECT_EQ(big.next_rows(), ChunkSizer::kMaxRows);
}

TEST(ChunkSizerTest, FixedSizeNeverChanges) {
  ChunkSizer s = ChunkSizer::Fixed(777);
  s.Record(777, 10.0);
  s.Record(777, 0.0001);
  EXPECT_EQ(s.next_rows(), 777u);
  EXPECT_GT(s.rows_per_second(), 0);
}

TEST(ChunkSizerTest, IgnoresEmptyChunks) {
  ChunkSizer s(1000, 0.5);
  s.Record(0, 0.1);
  s.Record(10, 0);
  EXPECT_EQ(s.next_rows(), 1000u);
}

}  // namespace
}  // namespace shadowalter

namespace shadowalter {
namespace {

TEST(ChunkSizerTest, ShrinkHalvesDownToTheMinimum) {
  ChunkSizer s(1000, 0.5);
  s.Shrink();
  EXPECT_EQ(s.next_rows(), 500u);
  for (int i = 0; i < 20; ++i) s.Shrink();
  EXPECT_EQ(s.next_rows(), ChunkSizer::kMinRows);
  ChunkSizer fixed = ChunkSizer::Fixed(300);
  fixed.Shrink();
  EXPECT_EQ(fixed.next_rows(), 300u);
}

// The control socket's chunk-size= pins the size at once; chunk-time= frees it again and sizes
// from the rate measured so far.
TEST(ChunkSizerTest, PinAndRetarget) {
  ChunkSizer s(1000, 0.5);
  s.Record(1000, 0.5);  // 2000 rows/s
  s.Pin(300);
  EXPECT_TRUE(s.fixed());
  EXPECT_EQ(s.next_rows(), 300u);
  s.Record(300, 0.01);  // a fast chunk does not move a pinned size
  EXPECT_EQ(s.next_rows(), 300u);
  s.Retarget(0.1);
  EXPECT_FALSE(s.fixed());
  EXPECT_DOUBLE_EQ(s.target_seconds(), 0.1);
  // Sized from the measured rate, never more than twice the size before.
  EXPECT_LE(s.next_rows(), 600u);
  EXPECT_GE(s.next_rows(), ChunkSizer::kMinRows);
  ChunkSizer fresh(1000, 0.5);
  fresh.Retarget(2);  // nothing measured yet: the size stays until a chunk is measured
  EXPECT_EQ(fresh.next_rows(), 1000u);
}

}  // namespace
}  // namespace shadowalter
