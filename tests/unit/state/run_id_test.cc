#include "state/run_id.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace shadowalter {
namespace {

bool IsLowercaseHex(const std::string& text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

TEST(RunIdTest, SixteenLowercaseHexDigits) {
  for (int i = 0; i < 100; ++i) {
    const std::string id = NewRunId();
    EXPECT_EQ(id.size(), 16u) << id;
    EXPECT_TRUE(IsLowercaseHex(id)) << id;
  }
}

TEST(RunIdTest, EachCallMakesAnotherId) {
  EXPECT_NE(NewRunId(), NewRunId());
  // 64 random bits: a thousand ids never collide, and no digit is stuck (leading zeros kept).
  std::set<std::string> ids;
  std::set<char> first_digits;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewRunId();
    ids.insert(id);
    first_digits.insert(id[0]);
  }
  EXPECT_EQ(ids.size(), 1000u);
  EXPECT_GT(first_digits.size(), 8u);
}

}  // namespace
}  // namespace shadowalter
