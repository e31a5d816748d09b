// TLS to the primary and the replicas: each --ssl-mode against the sandbox, which offers TLS
// with a certificate for 127.0.0.1 signed by its own CA (scripts/sandbox.sh).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "sandbox.h"

namespace shadowalter::testing {
namespace {

class TlsTest : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    const char* ca = std::getenv("SHADOWALTER_TLS_CA");
    const char* other = std::getenv("SHADOWALTER_TLS_OTHER_CA");
    if (ca == nullptr || other == nullptr) GTEST_SKIP() << "the sandbox has no TLS certificates";
    ca_ = ca;
    other_ca_ = other;
    Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v INT NOT NULL)");
    Exec(*db_, "INSERT INTO t SELECT seq, seq FROM seq_1_to_1000");
  }
  RunResult Run(std::vector<std::string> tls_args, const std::string& mode = "--dry-run") {
    std::vector<std::string> args = {"--alter", "ADD COLUMN w INT", mode, "--no-attempt-instant"};
    args.insert(args.end(), tls_args.begin(), tls_args.end());
    args.push_back(PrimaryDsn(schema_, "t"));
    return RunShadowalter(args);
  }
  std::string ca_, other_ca_;
};

TEST_F(TlsTest, PreferredIsTheDefaultAndEncryptsPrimaryAndReplica) {
  RunResult r = Run({});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(", TLS TLS"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(--ssl-mode PREFERRED)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(":" + std::to_string(ReadSandboxEnv()->replica_port) + " (TLS "),
            std::string::npos)
      << r.err;
}

TEST_F(TlsTest, VerifyIdentityWithTheRightCaMigrates) {
  RunResult r = Run({"--ssl-mode", "verify_identity", "--ssl-ca", ca_}, "--execute");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("(--ssl-mode VERIFY_IDENTITY)"), std::string::npos) << r.err;
  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'w'"),
            "1");
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t"), "1000");
}

TEST_F(TlsTest, ACertificateFromAnotherCaIsRefusedUnderEveryVerifyingMode) {
  for (const char* mode : {"VERIFY_CA", "VERIFY_IDENTITY"}) {
    RunResult r = Run({"--ssl-mode", mode, "--ssl-ca", other_ca_}, "--execute");
    EXPECT_EQ(r.exit_code, 5) << mode << ": " << r.err;
    const std::vector<std::string> errors = ErrorLines(r.err);
    ASSERT_EQ(errors.size(), 1u) << r.err;
    EXPECT_NE(errors[0].find("TLS/SSL error"), std::string::npos) << errors[0];
  }
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

TEST_F(TlsTest, DisabledIsRefusedByAnAccountThatRequiresTls) {
  const std::string user = "sa_tls_" + std::to_string(std::hash<std::string>{}(schema_) % 100000);
  Exec(*db_, "DROP USER IF EXISTS '" + user + "'@'127.0.0.1'");
  Exec(*db_, "CREATE USER '" + user + "'@'127.0.0.1' IDENTIFIED BY 'tls-pass' REQUIRE SSL");
  Exec(*db_, "GRANT ALL ON *.* TO '" + user + "'@'127.0.0.1'");
  auto env = ReadSandboxEnv();
  const std::string dsn = "h=127.0.0.1,P=" + std::to_string(env->primary_port) + ",u=" + user +
                          ",F=/dev/null,D=" + schema_ + ",t=t";
  RunResult plain = RunShadowalter({"--alter", "ADD COLUMN w INT", "--dry-run", "--ssl-mode",
                                    "DISABLED", "--recursion-method", "none", dsn},
                                   {{"MYSQL_PWD", "tls-pass"}});
  RunResult required = RunShadowalter({"--alter", "ADD COLUMN w INT", "--dry-run", "--ssl-mode",
                                       "REQUIRED", "--recursion-method", "none", dsn},
                                      {{"MYSQL_PWD", "tls-pass"}});
  Exec(*db_, "DROP USER '" + user + "'@'127.0.0.1'");
  EXPECT_EQ(plain.exit_code, 5) << plain.err;
  EXPECT_NE(plain.err.find("Access denied"), std::string::npos) << plain.err;
  EXPECT_EQ(required.exit_code, 0) << required.err;
}

TEST_F(TlsTest, BadTlsOptionsAreUsageErrors) {
  RunResult mode = Run({"--ssl-mode", "SOMETIMES"});
  EXPECT_EQ(mode.exit_code, 2) << mode.err;
  EXPECT_NE(mode.err.find("bad --ssl-mode 'SOMETIMES'"), std::string::npos) << mode.err;
  RunResult no_ca = Run({"--ssl-mode", "VERIFY_CA"});
  EXPECT_EQ(no_ca.exit_code, 2) << no_ca.err;
  EXPECT_NE(no_ca.err.find("needs --ssl-ca"), std::string::npos) << no_ca.err;
  RunResult missing = Run({"--ssl-ca", "/nonexistent/ca.pem"});
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
  EXPECT_NE(missing.err.find("cannot read --ssl-ca '/nonexistent/ca.pem'"), std::string::npos)
      << missing.err;
}

// A server that offers no TLS at all: scripts/sandbox.sh plain-start runs one next to the sandbox
// (its own datadir, no binary log), started for this test and stopped after it. One test, so
// that ctest's parallel processes never start or stop it under each other.
class PlainServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!ReadSandboxEnv()) return;
    const std::string command = std::string("bash ") + SHADOWALTER_SOURCE_DIR +
                                "/scripts/sandbox.sh plain-start >/dev/null";
    started_ = std::system(command.c_str()) == 0;
  }
  static void TearDownTestSuite() {
    if (!started_) return;
    const std::string command =
        std::string("bash ") + SHADOWALTER_SOURCE_DIR + "/scripts/sandbox.sh plain-stop >/dev/null";
    [[maybe_unused]] int ignored = std::system(command.c_str());
    started_ = false;
  }

  void SetUp() override {
    auto env = ReadSandboxEnv();
    const char* ca = std::getenv("SHADOWALTER_TLS_CA");
    const char* port = std::getenv("SHADOWALTER_PLAIN_PORT");
    if (!env || ca == nullptr) {
      const char* require = std::getenv("SHADOWALTER_REQUIRE_SANDBOX");
      if (require != nullptr && std::string(require) == "1") FAIL() << "the sandbox is required";
      GTEST_SKIP() << "no sandbox: eval \"$(scripts/sandbox.sh env)\"";
    }
    ASSERT_TRUE(started_) << "scripts/sandbox.sh plain-start failed";
    ca_ = ca;
    // scripts/sandbox.sh's default when the environment predates the plain server.
    port_ = port != nullptr ? std::stoul(port) : env->primary_port + 2;
    ConnectParams p;
    p.host = env->host;
    p.port = port_;
    p.user = env->user;
    p.password = env->password;
    p.defaults_file = "/dev/null";
    auto s = Session::Connect(p);
    ASSERT_TRUE(s.ok()) << s.status().message();
    db_ = std::move(s).value();
    EXPECT_EQ(db_->tls_cipher(), "") << "the plain server must not offer TLS";
    Exec(*db_, "DROP DATABASE IF EXISTS sa_plain");
    Exec(*db_, "CREATE DATABASE sa_plain");
    Exec(*db_, "USE sa_plain");
    Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v INT NOT NULL)");
    Exec(*db_, "INSERT INTO t SELECT seq, seq FROM seq_1_to_100");
  }
  void TearDown() override {
    if (db_ && !HasFailure()) Exec(*db_, "DROP DATABASE IF EXISTS sa_plain");
  }

  RunResult Run(const std::vector<std::string>& tls_args, const std::string& dsn_extra = "") {
    auto env = ReadSandboxEnv();
    std::vector<std::string> args = {
        "--alter", "ADD COLUMN w INT", "--execute", "--no-attempt-instant", "--recursion-method",
        "none"};
    args.insert(args.end(), tls_args.begin(), tls_args.end());
    args.push_back("h=127.0.0.1,P=" + std::to_string(port_) + ",u=" + env->user +
                   ",F=/dev/null,D=sa_plain,t=t" + dsn_extra);
    return RunShadowalter(args);
  }

  std::string Columns() {
    return Scalar(
        *db_,
        "SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION) FROM "
        "information_schema.COLUMNS WHERE TABLE_SCHEMA = 'sa_plain' AND TABLE_NAME = 't'");
  }

  static bool started_;
  unsigned port_ = 0;
  std::string ca_;
  std::unique_ptr<Session> db_;
};

bool PlainServerTest::started_ = false;

TEST_F(PlainServerTest, ModesThatRequireTlsAreRefusedInOneLinePreferredGoesPlain) {
  struct Case {
    std::vector<std::string> args;
    std::string dsn_extra;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {{"--ssl-mode", "REQUIRED"}, "", "--ssl-mode REQUIRED but the server does not offer TLS"},
      {{"--ssl-mode", "VERIFY_CA", "--ssl-ca", ca_},
       "",
       "--ssl-mode VERIFY_CA but the server does not offer TLS"},
      // Connector/C itself refuses here, before logging in.
      {{"--ssl-mode", "VERIFY_IDENTITY", "--ssl-ca", ca_},
       "",
       "SSL is required, but the server does not support it"},
      // The same from the DSN's keys.
      {{}, ",ssl-mode=REQUIRED", "--ssl-mode REQUIRED but the server does not offer TLS"},
  };
  for (const Case& c : cases) {
    RunResult r = Run(c.args, c.dsn_extra);
    EXPECT_EQ(r.exit_code, 5) << c.expected << "\n" << r.err;
    const std::vector<std::string> errors = ErrorLines(r.err);
    ASSERT_EQ(errors.size(), 1u) << r.err;
    EXPECT_NE(errors[0].find(c.expected), std::string::npos) << errors[0];
    EXPECT_EQ(r.err.find("connected to"), std::string::npos) << "refused before any work\n"
                                                             << r.err;
  }
  EXPECT_EQ(Columns(), "id,v");
  EXPECT_EQ(Leftovers(*db_, "sa_plain"), std::vector<std::string>{});

  // PREFERRED, the default, settles for plain and says so; the migration runs.
  RunResult r = Run({});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("not encrypted (--ssl-mode PREFERRED)"), std::string::npos) << r.err;
  EXPECT_EQ(Columns(), "id,v,w");
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM sa_plain.t"), "100");
  EXPECT_EQ(Leftovers(*db_, "sa_plain"), std::vector<std::string>{});
}

}  // namespace
}  // namespace shadowalter::testing
