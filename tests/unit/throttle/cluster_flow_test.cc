#include "throttle/cluster_flow.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

TEST(FlowControlPercentTest, IsThePausedShareOfTheTimeBetweenReadings) {
  EXPECT_FALSE(FlowControlPercent(std::nullopt, 5, 1.0)) << "no earlier reading";
  EXPECT_FALSE(FlowControlPercent(10, 20, 0)) << "no time passed";
  EXPECT_FALSE(FlowControlPercent(30, 20, 1.0)) << "a counter that went back (a restart)";
  EXPECT_DOUBLE_EQ(*FlowControlPercent(1'000'000'000, 1'250'000'000, 2.0), 12.5);
  EXPECT_DOUBLE_EQ(*FlowControlPercent(7, 7, 1.0), 0.0);
}

TEST(ClusterFlowReasonTest, FlowControlThenEachNodesQueue) {
  EXPECT_EQ(ClusterFlowReason(std::nullopt, 5, {{"a:1", 3}}, 16), "");
  EXPECT_EQ(ClusterFlowReason(5.0, 5, {{"a:1", 16}}, 16), "") << "at the limits: go on";
  const std::string flow = ClusterFlowReason(12.5, 5, {{"a:1", 0}}, 16);
  EXPECT_NE(flow.find("paused 12.5%"), std::string::npos) << flow;
  EXPECT_NE(flow.find("--max-flow-ctl 5"), std::string::npos) << flow;
  const std::string queue = ClusterFlowReason(1.0, 5, {{"a:1", 2}, {"b:2", 40}}, 16);
  EXPECT_NE(queue.find("node b:2 has 40 writesets"), std::string::npos) << queue;
  EXPECT_NE(queue.find("--max-recv-queue 16"), std::string::npos) << queue;
}

}  // namespace
}  // namespace shadowalter
