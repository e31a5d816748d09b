#include "sql/cluster_queries.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

TEST(ClusterQueriesTest, AFenceFailsTheStatementBeforeItChangesAnything) {
  const std::string fence = FenceTriggerStatement("db", "t`x", "sa_t_fins", "INSERT");
  EXPECT_EQ(fence.rfind("CREATE OR REPLACE TRIGGER `db`.`sa_t_fins` BEFORE INSERT ON `db`.`t``x` "
                        "FOR EACH ROW SIGNAL SQLSTATE 'HY000' SET MYSQL_ERRNO = 1205",
                        0),
            0u)
      << fence;
}

TEST(ClusterQueriesTest, StatusReadsNameEveryVariableUsed) {
  const std::string q = GaleraStatusQuery();
  for (const char* v :
       {"wsrep_cluster_status", "wsrep_local_state_comment", "wsrep_cluster_size",
        "wsrep_incoming_addresses", "wsrep_flow_control_paused_ns", "wsrep_local_recv_queue"}) {
    EXPECT_NE(q.find(v), std::string::npos) << v;
  }
}

}  // namespace
}  // namespace shadowalter
