// Placing binary log readers: each server's readers against the known servers that replicate
// from it, at every level of the tree, and --allow-binlog-client for the rest.
#include "throttle/replica_topology.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

using Ids = std::vector<std::string>;

TopologyServer Server(std::string name, std::string id, std::string host,
                      std::optional<Ids> sources, std::optional<Ids> readers) {
  return {std::move(name), std::move(id), std::move(host), std::move(sources), std::move(readers)};
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

Status Check(const std::vector<TopologyServer>& tree, const Ids& allowed,
             std::vector<std::string>& warnings) {
  return AccountForReaders(tree, allowed, warnings);
}

// primary 1 -> replica 2 -> replica 4: each reader has its replica.
TEST(ReplicaTopologyTest, AChainIsPlacedLevelByLevel) {
  const std::vector<TopologyServer> tree = {
      Server("the primary", "1", "", Ids{}, Ids{"10.0.0.2"}),
      Server("replica a:3306", "2", "10.0.0.2", Ids{"1"}, Ids{"10.0.0.4"}),
      Server("replica b:3306", "4", "10.0.0.4", Ids{"2"}, Ids{}),
  };
  std::vector<std::string> warnings;
  EXPECT_TRUE(Check(tree, {}, warnings).ok());
  EXPECT_TRUE(warnings.empty());
}

// The replica of the replica was not found: the reader on the replica is left over, not hidden
// by the primary having found two replicas in all.
TEST(ReplicaTopologyTest, AMissingReplicaOfAReplicaIsRefused) {
  const std::vector<TopologyServer> tree = {
      Server("the primary", "1", "", Ids{}, Ids{"10.0.0.2", "10.0.0.5"}),
      Server("replica a:3306", "2", "10.0.0.2", Ids{"1"}, Ids{"10.0.0.4"}),
      Server("replica c:3306", "5", "10.0.0.5", Ids{"1"}, Ids{}),
  };
  std::vector<std::string> warnings;
  const Status st = Check(tree, {}, warnings);
  EXPECT_EQ(st.code(), Code::kRefused);
  EXPECT_TRUE(Contains(st.message(),
                       "replica a:3306 has 1 binary log reader(s) (from 10.0.0.4) but only 0 "
                       "replica(s) of it could be found"))
      << st.message();
  EXPECT_TRUE(Contains(st.message(), "--allow-binlog-client HOST")) << st.message();
  // Allowed as a binlog client: a warning that names it and the server it reads from.
  EXPECT_TRUE(Check(tree, {"10.0.0.4"}, warnings).ok());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_TRUE(Contains(warnings[0], "1 binary log reader(s) on replica a:3306 are not replicas"))
      << warnings[0];
  EXPECT_TRUE(Contains(warnings[0], "from 10.0.0.4, allowed by --allow-binlog-client"))
      << warnings[0];
}

// A master-master pair: the primary reads from its replica, and is the reader it has.
TEST(ReplicaTopologyTest, APrimaryThatReplicatesFromItsReplicaPlacesThatReader) {
  const std::vector<TopologyServer> tree = {
      Server("the primary", "1", "", Ids{"2"}, Ids{"10.0.0.2"}),
      Server("replica a:3306", "2", "10.0.0.2", Ids{"1"}, Ids{"10.0.0.1"}),
  };
  std::vector<std::string> warnings;
  EXPECT_TRUE(Check(tree, {}, warnings).ok());
}

// A replica whose IO thread is stopped reports no source (SourceIds keeps running ones only): it
// accounts for no reader, so another reader can't hide behind it.
TEST(ReplicaTopologyTest, AReplicaThatDoesNotReadPlacesNoReader) {
  const std::vector<TopologyServer> tree = {
      Server("the primary", "1", "", Ids{}, Ids{"10.0.0.9"}),
      Server("replica d:3306", "4", "10.0.0.4", Ids{}, Ids{}),
  };
  std::vector<std::string> warnings;
  EXPECT_EQ(Check(tree, {}, warnings).code(), Code::kRefused);
}

// Unknown sources (status unreadable, a skipped replica known by name only) count for the
// primary, never for a replica.
TEST(ReplicaTopologyTest, UnknownSourcesCountForThePrimaryOnly) {
  const std::vector<TopologyServer> tree = {
      Server("the primary", "1", "", Ids{}, Ids{"h1", "h2"}),
      Server("replica a:3306", "2", "h1", std::nullopt, Ids{"h4"}),
      Server("replica b:3306", "", "h2", std::nullopt, std::nullopt),
  };
  std::vector<std::string> warnings;
  const Status st = Check(tree, {}, warnings);
  EXPECT_EQ(st.code(), Code::kRefused);
  EXPECT_TRUE(Contains(st.message(), "replica a:3306 has 1 binary log reader(s) (from h4)"))
      << st.message();
}

// Readers from an allowed host account only for themselves: a replica reached at an allowed host
// can't leave a reader from another host unplaced (the replica and the CDC tool on 10.0.0.5,
// an unknown replica on 10.0.0.9).
TEST(ReplicaTopologyTest, AllowedHostsNeverCoverAReaderFromElsewhere) {
  const std::vector<TopologyServer> tree = {
      Server("the primary", "1", "", Ids{}, Ids{"10.0.0.5", "10.0.0.5", "10.0.0.9"}),
      Server("replica r:3306", "2", "10.0.0.5", Ids{"1"}, Ids{}),
  };
  std::vector<std::string> warnings;
  Status st = Check(tree, {"10.0.0.5"}, warnings);
  EXPECT_EQ(st.code(), Code::kRefused);
  EXPECT_TRUE(Contains(st.message(),
                       "the primary has 3 binary log reader(s) (from 10.0.0.5, 10.0.0.5, "
                       "10.0.0.9) but only 1 replica(s) of it"))
      << st.message();
  EXPECT_TRUE(warnings.empty());
  // The replica on a host of its own accounts for that host's reader; the allowed host's one
  // reader (the CDC tool) is then left over, with a warning.
  const std::vector<TopologyServer> placed = {
      Server("the primary", "1", "", Ids{}, Ids{"10.0.0.5", "10.0.0.9"}),
      Server("replica r:3306", "2", "10.0.0.9", Ids{"1"}, Ids{}),
  };
  st = Check(placed, {"10.0.0.5"}, warnings);
  EXPECT_TRUE(st.ok()) << st.message();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_TRUE(Contains(warnings[0], "1 binary log reader(s) on the primary are not replicas"));
}

}  // namespace
}  // namespace shadowalter
