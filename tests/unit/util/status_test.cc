#include "util/status.h"

#include <gtest/gtest.h>

#include <string>

namespace shadowalter {
namespace {

StatusOr<int> Half(int n) {
  if (n % 2 != 0) return InternalError("odd: " + std::to_string(n));
  return n / 2;
}

TEST(StatusOrTest, ValueOfOkIsTheValue) {
  StatusOr<int> half = Half(8);
  ASSERT_TRUE(half.ok());
  EXPECT_EQ(half.value(), 4);
  EXPECT_EQ(*half, 4);
}

TEST(StatusOrTest, ArrowReachesTheValue) {
  StatusOr<std::string> text = std::string("abc");
  EXPECT_EQ(text->size(), 3u);
}

TEST(StatusOrTest, MovedOutValue) {
  StatusOr<std::string> text = std::string("abc");
  std::string out = std::move(text).value();
  EXPECT_EQ(out, "abc");
}

TEST(StatusOrTest, WithAddsContextAndKeepsCode) {
  Status s = Status(Code::kServer, "deadlock", 1213).With("copying");
  EXPECT_EQ(s.message(), "copying: deadlock");
  EXPECT_EQ(s.code(), Code::kServer);
  EXPECT_EQ(s.server_errno(), 1213u);
}

using StatusOrDeathTest = ::testing::Test;

TEST_F(StatusOrDeathTest, ValueOnErrorAborts) {
  EXPECT_DEATH(
      {
        StatusOr<int> half = Half(3);
        (void)half.value();
      },
      "StatusOr::value\\(\\) on error: odd: 3");
}

TEST_F(StatusOrDeathTest, DereferenceOnErrorAborts) {
  EXPECT_DEATH(
      {
        StatusOr<int> half = Half(5);
        (void)*half;
      },
      "StatusOr::value\\(\\) on error: odd: 5");
}

TEST_F(StatusOrDeathTest, ArrowOnErrorAborts) {
  EXPECT_DEATH(
      {
        StatusOr<std::string> text = InternalError("no text");
        (void)text->size();
      },
      "StatusOr::value\\(\\) on error: no text");
}

TEST_F(StatusOrDeathTest, MovedValueOnErrorAborts) {
  EXPECT_DEATH(
      {
        StatusOr<std::string> text = InternalError("gone");
        std::string out = std::move(text).value();
      },
      "StatusOr::value\\(\\) on error: gone");
}

}  // namespace
}  // namespace shadowalter
