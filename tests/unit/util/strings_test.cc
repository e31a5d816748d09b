#include "util/strings.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

TEST(OneLineTest, LineBreaksBecomeVisible) {
  EXPECT_EQ(OneLine("plain text"), "plain text");
  EXPECT_EQ(OneLine("a\nb"), "a\\nb");
  EXPECT_EQ(OneLine("a\r\nb\rc\n"), "a\\nb\\nc\\n");
  EXPECT_EQ(OneLine("tab\tstays"), "tab\tstays");
  EXPECT_EQ(OneLine(""), "");
}

}  // namespace
}  // namespace shadowalter
