#include "cli/load_spec.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

TEST(LoadSpecTest, ParsesLimitsAndBareNames) {
  auto limits = ParseLoadSpec("max-load", "Threads_running=25, Threads_connected:300,Questions");
  ASSERT_TRUE(limits.ok()) << limits.status().message();
  ASSERT_EQ(limits->size(), 3u);
  EXPECT_EQ((*limits)[0].variable, "Threads_running");
  EXPECT_EQ((*limits)[0].limit, 25.0);
  EXPECT_EQ((*limits)[1].variable, "Threads_connected");
  EXPECT_EQ((*limits)[1].limit, 300.0);
  EXPECT_EQ((*limits)[2].variable, "Questions");
  EXPECT_FALSE((*limits)[2].limit.has_value());
}

TEST(LoadSpecTest, AcceptsFractions) {
  auto limits = ParseLoadSpec("max-load", "Threads_running=2.5");
  ASSERT_TRUE(limits.ok());
  EXPECT_DOUBLE_EQ(*(*limits)[0].limit, 2.5);
}

TEST(LoadSpecTest, RejectsBadInputNamingTheOption) {
  for (const char* bad : {"", "Threads running=3", "=5", "Threads_running=", "Threads_running=x",
                          "Threads_running=-1", "a=1,,b=2", "x;DROP TABLE t=1"}) {
    auto limits = ParseLoadSpec("critical-load", bad);
    EXPECT_FALSE(limits.ok()) << bad;
    EXPECT_EQ(limits.status().code(), Code::kUsage) << bad;
    EXPECT_NE(limits.status().message().find("--critical-load"), std::string::npos) << bad;
  }
}

TEST(LoadSpecTest, FormatsBack) {
  auto limits = ParseLoadSpec("max-load", "Threads_running=25,Questions");
  ASSERT_TRUE(limits.ok());
  EXPECT_EQ(FormatLoadSpec(*limits), "Threads_running=25,Questions");
}

}  // namespace
}  // namespace shadowalter
