// The preflight list itself: its order, and which checks --skip-check may skip. The checks that
// read a server are tested against the sandbox (tests/integration/preflight_test.cc).
#include "check/preflight.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace shadowalter {
namespace {

TEST(PreflightChecksTest, RunInTheDocumentedOrder) {
  std::vector<std::string> names;
  for (const PreflightCheck& c : PreflightChecks()) names.push_back(c.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{
                "table-exists", "server-version", "engine", "chunk-key", "triggers", "foreign-keys",
                "leftovers", "replication", "galera", "privileges", "binlog-format",
                "replication-filters", "free-space", "new-table-engine", "copy-plan",
                "default-zone", "unique-keys", "own-triggers", "new-table-exists"}));
}

TEST(PreflightChecksTest, OnlyTheNewTablesEngineWaitsForTheAlteredNewTable) {
  for (const PreflightCheck& c : PreflightChecks()) {
    EXPECT_EQ(c.stage == PreflightStage::kNewTableAltered, c.name == "new-table-engine") << c.name;
  }
}

TEST(PreflightChecksTest, TheLaterStagesEachHaveOneCheckThatIsNoOption) {
  const std::vector<std::pair<std::string, PreflightStage>> later = {
      {"table-exists", PreflightStage::kBeforeInspecting},
      {"copy-plan", PreflightStage::kNewTableInspected},
      {"default-zone", PreflightStage::kCopyPlanned},
      {"unique-keys", PreflightStage::kNewUniqueKeys},
      {"own-triggers", PreflightStage::kOwnTriggers},
      {"new-table-exists", PreflightStage::kBeforeComparing}};
  for (const PreflightCheck& c : PreflightChecks()) {
    const bool is_later =
        std::find(later.begin(), later.end(), std::pair(c.name, c.stage)) != later.end();
    EXPECT_EQ(!c.named_for_skip_check, is_later) << c.name;
    if (is_later) {
      EXPECT_FALSE(c.unskippable_because.empty()) << c.name;
    }
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

TEST(ValidateSkippedChecksTest, TheLaterStagesChecksAreUnknownToIt) {
  for (const char* name : {"default-zone", "unique-keys", "own-triggers", "new-table-exists"}) {
    EXPECT_EQ(ValidateSkippedChecks({name}).message(),
              "unknown check '" + std::string(name) +
                  "' for --skip-check: the checks that can be skipped are privileges, "
                  "binlog-format, replication-filters, free-space");
  }
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
