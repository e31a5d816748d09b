// The preflight list itself: its order, and which checks --skip-check may skip. The checks that
// read a server are tested against the sandbox (tests/integration/preflight_test.cc).
#include "check/preflight.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

TEST(PreflightChecksTest, RunInTheDocumentedOrder) {
  std::vector<std::string> names;
  for (const PreflightCheck& c : PreflightChecks()) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"server-version", "engine", "chunk-key", "triggers",
                                             "foreign-keys", "leftovers", "replication",
                                             "privileges", "binlog-format", "replication-filters",
                                             "free-space", "new-table-engine"}));
}

TEST(PreflightChecksTest, OnlyTheNewTablesEngineWaitsForTheAlteredNewTable) {
  for (const PreflightCheck& c : PreflightChecks()) {
    EXPECT_EQ(c.stage == PreflightStage::kNewTableAltered, c.name == "new-table-engine") << c.name;
  }
}

TEST(ValidateSkippedChecksTest, AcceptsTheSkippableChecks) {
  EXPECT_TRUE(ValidateSkippedChecks({}).ok());
  EXPECT_TRUE(
      ValidateSkippedChecks({"privileges", "binlog-format", "replication-filters", "free-space"})
          .ok());
}

TEST(ValidateSkippedChecksTest, RefusesUnknownNamesListingTheSkippableOnes) {
  Status s = ValidateSkippedChecks({"free-spaces"});
  EXPECT_EQ(s.code(), Code::kUsage);
  EXPECT_EQ(s.message(),
            "unknown check 'free-spaces' for --skip-check: the checks that can be "
            "skipped are privileges, binlog-format, replication-filters, free-space");
}

TEST(ValidateSkippedChecksTest, RefusesChecksThatProtectTheData) {
  for (const char* name : {"server-version", "engine", "chunk-key", "triggers", "foreign-keys",
                           "leftovers", "replication", "new-table-engine"}) {
    Status s = ValidateSkippedChecks({name});
    EXPECT_EQ(s.code(), Code::kUsage) << name;
    EXPECT_NE(s.message().find("can't be skipped"), std::string::npos) << s.message();
  }
}

}  // namespace
}  // namespace shadowalter
