// TLS to the primary and the replicas: each --ssl-mode against the sandbox, which offers TLS
// with a certificate for 127.0.0.1 signed by its own CA (scripts/sandbox.sh).
#include <gtest/gtest.h>

#include <cstdlib>

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

}  // namespace
}  // namespace shadowalter::testing
