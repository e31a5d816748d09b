// The copy's transaction sizing (throttle/transaction_sizer.h): large while nobody else writes,
// the busy sizes as soon as someone does, halved when someone waited.
#include "throttle/transaction_sizer.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

TEST(TransactionSizerTest, GrowsByAStepWhileNobodyElseWritesUpToTheMaximum) {
  TransactionSizer s(1000, 4500);
  EXPECT_EQ(s.rows(), 1000u);
  EXPECT_EQ(s.rows_per_insert(), 500u);
  s.Record(0, 0);
  EXPECT_EQ(s.rows(), 1000u + TransactionSizer::kStep);
  EXPECT_EQ(s.rows_per_insert(), 1000u);
  for (int i = 0; i < 10; ++i) s.Record(0, 0);
  EXPECT_EQ(s.rows(), 4500u);
  EXPECT_EQ(s.rows_per_insert(), 2250u);  // at most half a transaction
  EXPECT_EQ(s.max_rows_used(), 4500u);
  EXPECT_EQ(s.shrinks(), 0u);
}

TEST(TransactionSizerTest, FallsToTheBusySizesAtOnceWhenOthersWrite) {
  TransactionSizer s(1000, 20000);
  for (int i = 0; i < 10; ++i) s.Record(0, 0);
  EXPECT_EQ(s.rows(), 11000u);
  s.Record(0, 3);
  EXPECT_EQ(s.rows(), TransactionSizer::kBusyRows);
  EXPECT_EQ(s.rows_per_insert(), TransactionSizer::kBusyInsertRows);
  s.Record(0, 1);  // still busy: no growth
  EXPECT_EQ(s.rows(), TransactionSizer::kBusyRows);
  EXPECT_EQ(s.shrinks(), 0u);
  s.Record(0, 0);  // quiet again
  EXPECT_EQ(s.rows(), TransactionSizer::kBusyRows + TransactionSizer::kStep);
}

TEST(TransactionSizerTest, HalvesWhenSomeoneWaitedNotBelowTheMinimum) {
  TransactionSizer s(8000, 20000);
  s.Record(3, 0);
  EXPECT_EQ(s.rows(), 4000u);
  s.Contended();  // the copy itself met a lock
  EXPECT_EQ(s.rows(), 2000u);
  for (int i = 0; i < 10; ++i) s.Record(1, 5);
  EXPECT_EQ(s.rows(), TransactionSizer::kMinRows);
  EXPECT_EQ(s.rows_per_insert(), TransactionSizer::kMinInsertRows);
  EXPECT_EQ(s.min_rows(), TransactionSizer::kMinRows);
  EXPECT_EQ(s.shrinks(), 12u);
  s.Record(0, 5);  // no wait, still busy: stays small
  EXPECT_EQ(s.rows(), TransactionSizer::kMinRows);
  s.Record(0, 0);  // quiet: grows again
  EXPECT_EQ(s.rows(), TransactionSizer::kMinRows + TransactionSizer::kStep);
}

// Quiet until measured, then as the last transaction found the server; fixed sizes measure
// nothing and assume the worst.
TEST(TransactionSizerTest, BusyIsWhatTheLastTransactionSaw) {
  TransactionSizer s(1000, 20000);
  EXPECT_FALSE(s.busy());
  s.Record(0, 3);
  EXPECT_TRUE(s.busy());
  s.Record(0, 0);
  EXPECT_FALSE(s.busy());
  s.Record(0, 2);
  EXPECT_TRUE(s.busy());
  s.Record(1, 0);
  EXPECT_TRUE(s.busy());
  EXPECT_TRUE(TransactionSizer::Fixed(1000, 500).busy());
}

TEST(TransactionSizerTest, StartsWithinItsBounds) {
  EXPECT_EQ(TransactionSizer(1, 20000).rows(), TransactionSizer::kMinRows);
  EXPECT_EQ(TransactionSizer(1, 20000).rows_per_insert(), TransactionSizer::kMinInsertRows);
  EXPECT_EQ(TransactionSizer(50000, 20000).rows(), 20000u);
  EXPECT_EQ(TransactionSizer(1000, 1).rows(), TransactionSizer::kMinRows);
}

TEST(TransactionSizerTest, AFixedSizeNeverChanges) {
  TransactionSizer s = TransactionSizer::Fixed(1000, 500);
  s.Record(0, 0);
  s.Record(5, 5);
  s.Contended();
  EXPECT_EQ(s.rows(), 1000u);
  EXPECT_EQ(s.rows_per_insert(), 500u);
  EXPECT_EQ(s.shrinks(), 0u);
  EXPECT_EQ(TransactionSizer::Fixed(0, 0).rows(), 0u);  // 0: the whole chunk in one
}

}  // namespace
}  // namespace shadowalter
