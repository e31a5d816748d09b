// Placing binary log readers: each server's readers against the known servers that replicate
// from it, at every level of the tree, and --allow-binlog-client for the rest.
#include "throttle/replica_topology.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

using Ids = std::vector<std::string>;

TopologyServer Server(std::string name, std::string id, std::optional<Ids> sources,
                      std::optional<Ids> readers) {
  return {std::move(name), std::move(id), std::move(sources), std::move(readers)};
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// primary 1 -> replica 2 -> replica 4: each reader has its replica.
TEST(ReplicaTopologyTest, AChainIsPlacedLevelByLevel) {
  const std::vector<TopologyServer> tree = {
      Server("the primary", "1", Ids{}, Ids{"10.0.0.2"}),
      Server("replica a:3306", "2", Ids{"1"}, Ids{"10.0.0.4"}),
      Server("replica b:3306", "4", Ids{"2"}, Ids{}),
  };
  EXPECT_TRUE(FindUnplacedReaders(tree, 0).empty());
}

// The replica of the replica was not found: the reader on the replica is left over, not hidden
// by the primary having found two replicas in all.
TEST(ReplicaTopologyTest, AMissingReplicaOfAReplicaIsLeftOver) {
  const std::vector<TopologyServer> tree = {
      Server("the primary", "1", Ids{}, Ids{"10.0.0.2"}),
      Server("replica a:3306", "2", Ids{"1"}, Ids{"10.0.0.4"}),
      Server("replica c:3306", "5", Ids{"1"}, Ids{}),  // replicates from the primary
  };
  const std::vector<UnplacedReaders> unplaced = FindUnplacedReaders(tree, 0);
  ASSERT_EQ(unplaced.size(), 1u);
  EXPECT_EQ(unplaced[0].server, 1u);
  EXPECT_EQ(unplaced[0].count, 1u);
  std::vector<std::string> warnings;
  const Status st = AccountForReaders(tree, unplaced, {}, warnings);
  EXPECT_EQ(st.code(), Code::kRefused);
  EXPECT_TRUE(Contains(st.message(),
                       "replica a:3306 has 1 binary log reader(s) (from 10.0.0.4) but only 0 "
                       "replica(s) of it could be found"))
      << st.message();
  EXPECT_TRUE(Contains(st.message(), "--allow-binlog-client HOST")) << st.message();
  EXPECT_TRUE(warnings.empty());
  // Allowed as a binlog client: a warning that names it and the server it reads from.
  EXPECT_TRUE(AccountForReaders(tree, unplaced, {"10.0.0.4"}, warnings).ok());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_TRUE(Contains(warnings[0], "1 binary log reader(s) on replica a:3306 are not replicas"))
      << warnings[0];
  EXPECT_TRUE(Contains(warnings[0], "from 10.0.0.4, allowed by --allow-binlog-client"))
      << warnings[0];
}

// A master-master pair: the primary reads from its replica, and is the reader it has.
TEST(ReplicaTopologyTest, APrimaryThatReplicatesFromItsReplicaPlacesThatReader) {
  const std::vector<TopologyServer> tree = {
      Server("the primary", "1", Ids{"2"}, Ids{"10.0.0.2"}),
      Server("replica a:3306", "2", Ids{"1"}, Ids{"10.0.0.1"}),
  };
  EXPECT_TRUE(FindUnplacedReaders(tree, 0).empty());
}

// Unknown sources (status unreadable) and replicas known only by name count for the primary,
// never for a replica.
TEST(ReplicaTopologyTest, UnknownSourcesCountForThePrimaryOnly) {
  const std::vector<TopologyServer> tree = {
      Server("the primary", "1", Ids{}, Ids{"h1", "h2", "h3"}),
      Server("replica a:3306", "2", std::nullopt, Ids{"h4"}),
      Server("replica b:3306", "3", Ids{"1"}, std::nullopt),  // not looked into
  };
  std::vector<UnplacedReaders> unplaced = FindUnplacedReaders(tree, 1);
  ASSERT_EQ(unplaced.size(), 1u);
  EXPECT_EQ(unplaced[0].server, 1u);  // a's reader: nobody replicates from a
  unplaced = FindUnplacedReaders(tree, 0);
  ASSERT_EQ(unplaced.size(), 2u);
  EXPECT_EQ(unplaced[0].server, 0u);
  EXPECT_EQ(unplaced[0].count, 1u);
}

// Readers from an allowed host account only for as many readers as come from it.
TEST(ReplicaTopologyTest, AllowedHostsCoverOnlyTheirOwnReaders) {
  const std::vector<TopologyServer> tree = {
      Server("the primary", "1", Ids{}, Ids{"cdc", "10.0.0.9", "10.0.0.2"}),
      Server("replica a:3306", "2", Ids{"1"}, Ids{}),
  };
  const std::vector<UnplacedReaders> unplaced = FindUnplacedReaders(tree, 0);
  ASSERT_EQ(unplaced.size(), 1u);
  EXPECT_EQ(unplaced[0].count, 2u);
  std::vector<std::string> warnings;
  const Status st = AccountForReaders(tree, unplaced, {"cdc"}, warnings);
  EXPECT_EQ(st.code(), Code::kRefused);
  EXPECT_TRUE(Contains(st.message(),
                       "the primary has 3 binary log reader(s) (from cdc, 10.0.0.9, 10.0.0.2) but "
                       "only 1 replica(s) of it"))
      << st.message();
  EXPECT_TRUE(AccountForReaders(tree, unplaced, {"cdc", "10.0.0.9"}, warnings).ok());
  EXPECT_EQ(warnings.size(), 1u);
}

}  // namespace
}  // namespace shadowalter
