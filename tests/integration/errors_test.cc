// Bad input is refused clearly and safely: each case checks the exit code, that stderr holds one
// error line naming the problem, and that the server is left exactly as it was. Also: passwords
// given on the command line never show up in the output, and a dry run changes nothing.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "db/quote.h"
#include "sandbox.h"

namespace shadowalter::testing {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string EnvOr(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v ? v : fallback;
}

class BadInputTest : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Exec(*db_,
         "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(20) NOT NULL, "
         "n INT NULL, KEY (v))");
    Exec(*db_,
         "INSERT INTO t SELECT seq, CONCAT('v', seq), IF(seq % 5 = 0, NULL, seq) "
         "FROM seq_1_to_500");
    create_ = ShowCreate();
    checksum_ = TableChecksum(*db_, "t");
    objects_ = TablesAndTriggers();
  }

  std::string ShowCreate() {
    auto rows = Rows(*db_, "SHOW CREATE TABLE t");
    return rows.empty() ? "" : rows[0];
  }

  std::vector<std::string> TablesAndTriggers() {
    std::vector<std::string> out =
        Rows(*db_,
             "SELECT CONCAT('table ', TABLE_NAME) FROM information_schema.TABLES WHERE "
             "TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME");
    for (const auto& t : Rows(*db_,
                              "SELECT CONCAT('trigger ', TRIGGER_NAME) FROM "
                              "information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = "
                              "DATABASE() ORDER BY TRIGGER_NAME")) {
      out.push_back(t);
    }
    return out;
  }

  // The table and the schema are exactly as SetUp left them.
  void ExpectUnchanged() {
    EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
    EXPECT_EQ(ShowCreate(), create_);
    EXPECT_EQ(TableChecksum(*db_, "t"), checksum_);
    EXPECT_EQ(TablesAndTriggers(), objects_);
  }

  // Exactly one error line, containing each of `keywords` (case-insensitive).
  void ExpectOneErrorLine(const RunResult& r, const std::vector<std::string>& keywords) {
    const auto errors = ErrorLines(r.err);
    ASSERT_EQ(errors.size(), 1u) << "stderr:\n" << r.err;
    for (const auto& k : keywords) {
      EXPECT_NE(Lower(errors[0]).find(Lower(k)), std::string::npos)
          << "the error line should name '" << k << "': " << errors[0];
    }
  }

  std::string create_;
  std::string checksum_;
  std::vector<std::string> objects_;
};

// ----- the ALTER text -----

TEST_F(BadInputTest, UnknownTypeInAlterIsAUsageErrorWithTheServersMessage) {
  RunResult r = RunShadowalter({"--alter", "ADD COLUMN x NOTATYPE", "--execute",
                                "--no-attempt-instant", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  ExpectOneErrorLine(r, {"rejected the ALTER", "NOTATYPE"});
  ExpectUnchanged();
}

TEST_F(BadInputTest, SyntaxErrorInAlterIsAUsageErrorWithTheServersMessage) {
  RunResult r = RunShadowalter({"--alter", "ADD COLUMN x INT garbage here", "--execute",
                                "--no-attempt-instant", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  ExpectOneErrorLine(r, {"rejected the ALTER", "SQL syntax", "near 'here'"});
  ExpectUnchanged();
}

// The server's message quotes the ALTER from the error on, line break included: the error is
// still one line, and so is every log line.
TEST_F(BadInputTest, AnErrorQuotingAMultiLineAlterIsOneLine) {
  RunResult r = RunShadowalter({"--alter", "ADD COLUMN x INT == 1\n, ADD COLUMN y INT", "--execute",
                                "--no-attempt-instant", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  ExpectOneErrorLine(r, {"rejected the ALTER", "near '== 1\\n, ADD COLUMN y INT'"});
  std::istringstream lines(r.err);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_EQ(line.rfind("20", 0), 0u) << "a line that is not a log record: " << line;
  }
  ExpectUnchanged();
}

TEST_F(BadInputTest, AlterTablePrefixIsRefusedBeforeConnecting) {
  RunResult r = RunShadowalter({"--alter", "ALTER TABLE t ADD COLUMN x INT", "--execute",
                                "--no-attempt-instant", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  ExpectOneErrorLine(r, {"starts with ALTER TABLE"});
  EXPECT_EQ(r.err.find("connected to"), std::string::npos) << r.err;
  ExpectUnchanged();

  // With nothing listening at all, the answer is the same: the text is checked first.
  RunResult offline = RunShadowalter(
      {"--alter", "ALTER TABLE t ADD COLUMN x INT", "--execute", "--no-attempt-instant",
       "h=127.0.0.1,P=1,u=nobody,F=/dev/null,D=" + schema_ + ",t=t"});
  EXPECT_EQ(offline.exit_code, 2) << offline.err;
  ExpectOneErrorLine(offline, {"starts with ALTER TABLE"});
}

// ----- what the DSN points at -----

TEST_F(BadInputTest, UnknownTableIsRefused) {
  RunResult r = RunShadowalter({"--alter", "ADD COLUMN x INT", "--execute", "--no-attempt-instant",
                                PrimaryDsn(schema_, "no_such_table")});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  ExpectOneErrorLine(r, {"no_such_table", "does not exist"});
  ExpectUnchanged();
}

TEST_F(BadInputTest, UnknownDatabaseIsRefused) {
  const std::string missing = schema_ + "_missing";
  RunResult r = RunShadowalter({"--alter", "ADD COLUMN x INT", "--execute", "--no-attempt-instant",
                                PrimaryDsn(missing, "t")});
  EXPECT_EQ(r.exit_code, 5) << "exit 5: nothing was touched, the server refused us\n" << r.err;
  ExpectOneErrorLine(r, {"Unknown database", missing});
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = " +
                             QuoteString(missing)),
            "0");
  ExpectUnchanged();
}

TEST_F(BadInputTest, WrongPasswordIsRefusedWithoutEchoingIt) {
  const std::string wrong = "Wr0ng-Secret-7731";
  RunResult r = RunShadowalter({"--alter", "ADD COLUMN x INT", "--execute", "--no-attempt-instant",
                                PrimaryDsn(schema_, "t")},
                               {{"MYSQL_PWD", wrong}});
  EXPECT_EQ(r.exit_code, 5) << "exit 5: nothing was touched, the server refused us\n" << r.err;
  ExpectOneErrorLine(r, {"Access denied"});
  EXPECT_EQ(r.err.find(wrong), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find(wrong), std::string::npos) << r.out;
  ExpectUnchanged();
}

// Nothing listening: worth trying again later (exit 6), unlike a server that says no (exit 5).
TEST_F(BadInputTest, ClosedPortIsUnreachable) {
  const std::string dsn = "h=127.0.0.1,P=1,u=sandbox,F=/dev/null,D=" + schema_ + ",t=t";
  RunResult r = RunShadowalter({"--alter", "ADD COLUMN x INT", "--execute", "--no-attempt-instant",
                                "--output", "json", dsn});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  ExpectOneErrorLine(r, {"connect", "127.0.0.1"});
  EXPECT_NE(r.out.find("\"status\":\"unreachable\""), std::string::npos) << r.out;
  for (const char* command : {"status", "cleanup", "resume"}) {
    RunResult c = RunShadowalter({command, dsn});
    EXPECT_EQ(c.exit_code, 6) << command << ": " << c.err;
  }
  ExpectUnchanged();
}

TEST_F(BadInputTest, ReplicaIsRefused) {
  WaitForReplica();
  auto replica = ConnectReplica(schema_);
  ASSERT_TRUE(replica);
  ASSERT_EQ(Scalar(*replica, "SELECT COUNT(*) FROM t"), "500");
  const std::string replica_checksum = TableChecksum(*replica, "t");

  auto env = ReadSandboxEnv();
  ASSERT_TRUE(env);
  const std::string dsn = "h=" + env->host + ",P=" + std::to_string(env->replica_port) +
                          ",u=" + env->user + ",F=/dev/null,D=" + schema_ + ",t=t";
  RunResult r =
      RunShadowalter({"--alter", "ADD COLUMN x INT", "--execute", "--no-attempt-instant", dsn});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  ExpectOneErrorLine(r, {"replica", "primary"});
  EXPECT_EQ(Leftovers(*replica, schema_), std::vector<std::string>{});
  EXPECT_EQ(TableChecksum(*replica, "t"), replica_checksum);
  EXPECT_EQ(Scalar(*replica,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE "
                   "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = "
                   "'x'"),
            "0");
  ExpectUnchanged();
}

// ----- the command line -----

TEST_F(BadInputTest, NeitherExecuteNorDryRunIsAUsageError) {
  RunResult r = RunShadowalter({"--alter", "ADD COLUMN x INT", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  ExpectOneErrorLine(r, {"--execute", "--dry-run"});
  ExpectUnchanged();
}

TEST_F(BadInputTest, BothExecuteAndDryRunIsAUsageError) {
  RunResult r = RunShadowalter({"--alter", "ADD COLUMN x INT", "--execute", "--no-attempt-instant",
                                "--dry-run", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  ExpectOneErrorLine(r, {"mutually exclusive"});
  ExpectUnchanged();
}

TEST_F(BadInputTest, MissingAlterIsAUsageError) {
  RunResult r = RunShadowalter({"--execute", "--no-attempt-instant", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  ExpectOneErrorLine(r, {"missing --alter"});
  ExpectUnchanged();
}

TEST_F(BadInputTest, UnknownOptionIsAUsageError) {
  RunResult r = RunShadowalter({"--alter", "ADD COLUMN x INT", "--execute", "--no-attempt-instant",
                                "--frobnicate", PrimaryDsn(schema_, "t")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  ExpectOneErrorLine(r, {"unknown option", "--frobnicate"});
  ExpectUnchanged();
}

// ----- passwords on the command line -----

// MYSQL_PWD is set to a wrong value so that only the command line's password can succeed.
TEST_F(BadInputTest, PasswordFlagWorksAndIsNeverPrinted) {
  const std::string password = EnvOr("SHADOWALTER_PASSWORD", "sandbox-pass");
  RunResult r =
      RunShadowalter({"--alter", "ADD COLUMN x INT NULL", "--execute", "--no-attempt-instant",
                      "--print", "--password", password, PrimaryDsn(schema_, "t")},
                     {{"MYSQL_PWD", "not-the-password"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("SQL: "), std::string::npos) << "--print should log statements";
  EXPECT_EQ(r.err.find(password), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find(password), std::string::npos) << r.out;
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t"), "500");
  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'x'"),
            "1");
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

TEST_F(BadInputTest, PasswordInDsnWorksAndIsNeverPrinted) {
  const std::string password = EnvOr("SHADOWALTER_PASSWORD", "sandbox-pass");
  std::string escaped;
  for (char c : password) {
    if (c == ',' || c == '\\') escaped += '\\';
    escaped += c;
  }
  RunResult r =
      RunShadowalter({"--alter", "ADD COLUMN x INT NULL", "--execute", "--no-attempt-instant",
                      "--print", PrimaryDsn(schema_, "t") + ",p=" + escaped},
                     {{"MYSQL_PWD", "not-the-password"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("SQL: "), std::string::npos) << "--print should log statements";
  EXPECT_EQ(r.err.find(password), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find(password), std::string::npos) << r.out;
  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'x'"),
            "1");
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

// A usage error that echoes argv must not echo the password either.
TEST_F(BadInputTest, UsageErrorDoesNotEchoThePassword) {
  const std::string secret = "Very-Secret-4242";
  RunResult r =
      RunShadowalter({"--alter", "ADD COLUMN x INT", "--execute", "--no-attempt-instant",
                      "--password=" + secret, "--chunk-size", secret, PrimaryDsn(schema_, "t")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  ExpectOneErrorLine(r, {"--chunk-size"});
  EXPECT_EQ(r.err.find(secret), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find(secret), std::string::npos) << r.out;
  ExpectUnchanged();
}

// ----- dry run -----

TEST_F(BadInputTest, DryRunChangesNothingAndPrintsThePlan) {
  RunResult r = RunShadowalter({"--alter", "ADD COLUMN x INT NULL, RENAME COLUMN n TO m",
                                "--dry-run", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectUnchanged();
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t WHERE n IS NULL"), "100");

  // The plan: the column mapping, the triggers, the copy and the swap.
  EXPECT_NE(r.out.find("Columns copied (original -> new):"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("`id` -> `id`"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("`v` -> `v`"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("`n` -> `m`"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("`x` ->"), std::string::npos) << "x is new, nothing to copy: " << r.out;
  size_t triggers = 0;
  for (size_t at = r.out.find("CREATE TRIGGER "); at != std::string::npos;
       at = r.out.find("CREATE TRIGGER ", at + 1)) {
    ++triggers;
  }
  EXPECT_EQ(triggers, 3u) << r.out;
  for (const char* event : {"AFTER INSERT ON", "AFTER UPDATE ON", "AFTER DELETE ON"}) {
    EXPECT_NE(r.out.find(event), std::string::npos) << r.out;
  }
  EXPECT_NE(r.out.find("RENAME TABLE"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("INSERT INTO"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("dry run done"), std::string::npos) << r.err;
  EXPECT_EQ(ErrorLines(r.err), std::vector<std::string>{});
}

}  // namespace
}  // namespace shadowalter::testing
