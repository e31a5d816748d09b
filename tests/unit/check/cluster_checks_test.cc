#include "check/cluster_checks.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

GaleraNode HealthyNode() {
  GaleraNode n;
  n.wsrep_on = true;
  n.osu_method = "TOI";
  n.cluster_status = "Primary";
  n.local_state = "Synced";
  n.cluster_size = 3;
  return n;
}

TableInfo TableWithPrimaryKey() {
  TableInfo t;
  t.name = "t";
  Index pk;
  pk.name = "PRIMARY";
  t.indexes = {pk};
  return t;
}

TEST(GaleraRefusalsTest, AHealthyNodeAndAPlainServerPass) {
  const Config config;
  EXPECT_EQ(GaleraRefusals(HealthyNode(), ServerFlavor::kMariaDB, TableWithPrimaryKey(), config),
            "");
  GaleraNode off;
  EXPECT_EQ(GaleraRefusals(off, ServerFlavor::kMySQL, TableInfo{}, config), "");
}

TEST(GaleraRefusalsTest, EachReasonIsNamed) {
  GaleraNode n = HealthyNode();
  n.osu_method = "RSU";
  n.cluster_status = "non-Primary";
  n.local_state = "Donor/Desynced";
  TableInfo t;  // no PRIMARY KEY
  t.triggers.push_back(Trigger{});
  t.referenced_by.push_back(ForeignKeyRef{});
  Config config;
  config.preserve_triggers = true;
  config.revertible = true;
  config.verify = false;
  const std::string why = GaleraRefusals(n, ServerFlavor::kMySQL, t, config);
  for (const char* expected :
       {"Percona XtraDB Cluster", "wsrep_OSU_method is RSU", "Primary component",
        "not Synced (wsrep_local_state_comment Donor/Desynced)", "no PRIMARY KEY",
        "moving the table's own triggers", "--revertible", "foreign keys", "--no-verify"}) {
    EXPECT_NE(why.find(expected), std::string::npos) << expected << "\n" << why;
  }
}

TEST(WritesetRowLimitTest, FollowsTheClustersLimits) {
  GaleraNode n = HealthyNode();
  EXPECT_EQ(WritesetRowLimit(n, 200), 0u) << "no limit set";
  n.max_ws_rows = 1000;
  EXPECT_EQ(WritesetRowLimit(n, 200), 500u) << "deletes and inserts both count";
  n.max_ws_size = 1 << 20;  // 1 MiB: 262144 bytes for rows of 2 x 200 B
  EXPECT_EQ(WritesetRowLimit(n, 200), 500u);
  n.max_ws_size = 200000;
  EXPECT_EQ(WritesetRowLimit(n, 200), 250u);
  n.max_ws_rows = 0;
  n.max_ws_size = 10;
  EXPECT_EQ(WritesetRowLimit(n, 1000), 1u) << "never 0, which means no limit";
  GaleraNode off;
  off.max_ws_rows = 10;
  EXPECT_EQ(WritesetRowLimit(off, 100), 0u);
}

}  // namespace
}  // namespace shadowalter
