// A run whose table already has the definition its ALTER gives it changes nothing and exits 0, so
// a cron line may stay after its ALTER is done; a rebuild (ENGINE=, FORCE) always runs.
#include <gtest/gtest.h>

#include "sandbox.h"

namespace shadowalter::testing {
namespace {

class NothingToDoTest : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    Exec(*db_,
         "CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, parent INT NULL, "
         "note VARCHAR(40) NOT NULL, KEY (parent), "
         "CONSTRAINT fk_parent FOREIGN KEY (parent) REFERENCES t (id))");
    Exec(*db_, "INSERT INTO t (note) SELECT CONCAT('n', seq) FROM seq_1_to_3000");
  }

  RunResult Alter(const std::string& alter, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--alter", alter, "--execute", "--no-attempt-instant"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(PrimaryDsn(schema_, "t"));
    return RunShadowalter(args);
  }
  std::vector<std::string> Definition() { return Rows(*db_, "SHOW CREATE TABLE t"); }
};

TEST_F(NothingToDoTest, AnAlterAlreadyDoneChangesNothingAndExitsZero) {
  const std::string alter = "MODIFY note VARCHAR(80) NOT NULL, ADD COLUMN IF NOT EXISTS w INT NULL";
  RunResult first = Alter(alter);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.err.find("nothing to do"), std::string::npos) << first.err;
  const std::vector<std::string> altered = Definition();
  const std::string checksum = TableChecksum(*db_, "t");

  RunResult again = Alter(alter, {"--output", "json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("nothing to do"), std::string::npos) << again.err;
  EXPECT_NE(again.out.find("\"status\":\"success\""), std::string::npos) << again.out;
  EXPECT_EQ(again.out.find("\"phase\":\"copy\""), std::string::npos) << "nothing is copied";
  EXPECT_EQ(Definition(), altered);
  EXPECT_EQ(TableChecksum(*db_, "t"), checksum);
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
  // The dry run says the same and leaves nothing either.
  RunResult dry = RunShadowalter({"--alter", alter, "--dry-run", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.err.find("nothing to do"), std::string::npos) << dry.err;
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

TEST_F(NothingToDoTest, ARebuildIsDoneEvenWhereTheDefinitionStaysTheSame) {
  const std::vector<std::string> before = Definition();
  RunResult r = Alter("ENGINE=InnoDB", {"--output", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("nothing to do"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("\"phase\":\"copy\""), std::string::npos) << r.out;
  EXPECT_EQ(Definition(), before);
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t"), "3000");
}

TEST_F(NothingToDoTest, AnAlterThatCantRunTwiceSaysHowToWriteIt) {
  ASSERT_EQ(Alter("ADD COLUMN w INT NULL").exit_code, 0);
  RunResult again = Alter("ADD COLUMN w INT NULL");
  EXPECT_EQ(again.exit_code, 2) << again.err;
  EXPECT_NE(again.err.find("IF NOT EXISTS"), std::string::npos) << again.err;
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

}  // namespace
}  // namespace shadowalter::testing
