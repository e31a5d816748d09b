// Preflight checks of server-wide settings: binlog_format and replication filters. Each test
// changes the whole sandbox for a moment, so they run alone (serial/), and each puts the setting
// back whatever happens.
#include <gtest/gtest.h>

#include "sandbox.h"

namespace shadowalter::testing {
namespace {

class ServerSettingsTest : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(20) NOT NULL)");
    Exec(*db_, "INSERT INTO t SELECT seq, 'x' FROM seq_1_to_500");
    WaitForReplica();
  }
  bool ColumnExists(const std::string& column) {
    return Scalar(*db_,
                  "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                  "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = '" +
                      column + "'") == "1";
  }
};

// Restores a global setting of one server when the test ends.
class GlobalSetting {
 public:
  GlobalSetting(std::unique_ptr<Session> s, std::vector<std::string> restore)
      : session_(std::move(s)), restore_(std::move(restore)) {}
  ~GlobalSetting() {
    for (const std::string& sql : restore_) {
      Status st = session_->Execute(sql);
      EXPECT_TRUE(st.ok()) << sql << ": " << st.message();
    }
  }
  Session& session() { return *session_; }

 private:
  std::unique_ptr<Session> session_;
  std::vector<std::string> restore_;
};

TEST_F(ServerSettingsTest, StatementBasedBinaryLoggingIsRefused) {
  GlobalSetting primary(ConnectPrimary(), {"SET GLOBAL binlog_format = 'ROW'"});
  Exec(primary.session(), "SET GLOBAL binlog_format = 'STATEMENT'");
  RunResult r = RunShadowalter({"--alter", "ADD COLUMN w INT", "--execute", "--no-attempt-instant",
                                PrimaryDsn(schema_, "t")});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("binlog-format: binlog_format is STATEMENT on the primary"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(ColumnExists("w"));
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
  // Skipped explicitly, the check says so and the rest of the plan goes on.
  RunResult skipped = RunShadowalter({"--alter", "ADD COLUMN w INT", "--dry-run", "--skip-check",
                                      "binlog-format", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(skipped.exit_code, 0) << skipped.err;
  EXPECT_NE(skipped.err.find("preflight binlog-format: skipped"), std::string::npos) << skipped.err;
}

TEST_F(ServerSettingsTest, AReplicaWithReplicationFiltersIsRefused) {
  GlobalSetting replica(ConnectReplica(),
                        {"STOP SLAVE SQL_THREAD", "SET GLOBAL replicate_wild_ignore_table = ''",
                         "START SLAVE SQL_THREAD"});
  // A filter that matches nothing here still refuses: shadowalter can't judge patterns.
  Exec(replica.session(), "STOP SLAVE SQL_THREAD");
  Exec(replica.session(), "SET GLOBAL replicate_wild_ignore_table = 'nosuchdb%.%'");
  Exec(replica.session(), "START SLAVE SQL_THREAD");
  RunResult r = RunShadowalter({"--alter", "ADD COLUMN w INT", "--execute", "--no-attempt-instant",
                                PrimaryDsn(schema_, "t")});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find(": Replicate_Wild_Ignore_Table=nosuchdb%.%"), std::string::npos) << r.err;
  EXPECT_FALSE(ColumnExists("w"));
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
  RunResult skipped =
      RunShadowalter({"--alter", "ADD COLUMN w INT", "--execute", "--no-attempt-instant",
                      "--skip-check", "replication-filters", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(skipped.exit_code, 0) << skipped.err;
  EXPECT_TRUE(ColumnExists("w"));
}

}  // namespace
}  // namespace shadowalter::testing
