// --config FILE: the file's options, the command line winning, and errors that name the file and
// the key but never a value.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "cli/options.h"
#include "scratch_dir.h"

namespace shadowalter {
namespace {

StatusOr<std::string> NoPrompt(const std::string&) { return InternalError("no prompt expected"); }

class ConfigFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.empty());
    unsetenv("MYSQL_PWD");
  }

  void Write(const std::string& text) {
    std::ofstream out(path_);
    out << text;
  }

  StatusOr<ParsedCommandLine> Parse(std::vector<std::string> args) {
    std::vector<const char*> argv = {"shadowalter", "--config", path_.c_str()};
    for (const std::string& a : args) argv.push_back(a.c_str());
    return ParseCommandLine(static_cast<int>(argv.size()), argv.data(), NoPrompt);
  }

  std::string ErrorOf(std::vector<std::string> args) {
    StatusOr<ParsedCommandLine> parsed = Parse(std::move(args));
    EXPECT_FALSE(parsed.ok());
    if (parsed.ok()) return "";
    EXPECT_EQ(parsed.status().code(), Code::kUsage);
    EXPECT_EQ(parsed.status().message().find('\n'), std::string::npos);
    return parsed.status().message();
  }

  testing::ScratchDir scratch_{"sa_config_test"};
  const std::string dir_ = scratch_.path();
  const std::string path_ = dir_ + "/shadowalter.cnf";
};

TEST_F(ConfigFileTest, ReadsLongOptionsAndSwitches) {
  Write(
      "# nightly job\n"
      "database = shop\n"
      "table = orders\n"
      "alter = ADD COLUMN c INT\n"
      "execute = true\n"
      "chunk-time = 1.5\n"
      "max-lag = 3\n"
      "no-verify = 1\n"
      "output = json\n"
      "statistics = true\n"
      "progress-interval = 5\n"
      "skip-check = free-space\n");
  StatusOr<ParsedCommandLine> parsed = Parse({});
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  const Config& c = parsed->config;
  EXPECT_EQ(c.conn.database, "shop");
  EXPECT_EQ(c.conn.table, "orders");
  EXPECT_EQ(c.alter, "ADD COLUMN c INT");
  EXPECT_EQ(c.mode, RunMode::kExecute);
  EXPECT_DOUBLE_EQ(c.chunk_time, 1.5);
  EXPECT_DOUBLE_EQ(c.max_lag, 3);
  EXPECT_FALSE(c.verify);
  EXPECT_EQ(c.output, OutputFormat::kJson);
  EXPECT_TRUE(c.statistics);
  EXPECT_DOUBLE_EQ(c.progress_interval, 5);
  EXPECT_EQ(c.skip_checks, std::vector<std::string>{"free-space"});
  EXPECT_EQ(c.config_file, path_);
}

TEST_F(ConfigFileTest, CommandLineWins) {
  Write("alter = ADD COLUMN c INT\ndry-run = true\nchunk-time = 1.5\ntable = orders\n");
  StatusOr<ParsedCommandLine> parsed =
      Parse({"D=shop,t=items", "--chunk-time", "0.25", "--alter", "DROP COLUMN d"});
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_DOUBLE_EQ(parsed->config.chunk_time, 0.25);
  EXPECT_EQ(parsed->config.alter, "DROP COLUMN d");
  EXPECT_EQ(parsed->config.mode, RunMode::kDryRun);  // from the file
  // The --table flag of the file overrides the DSN, as --table on the command line would.
  EXPECT_EQ(parsed->config.conn.table, "orders");
}

TEST_F(ConfigFileTest, TlsKeysAndTheirPrecedence) {
  const std::string ca = std::string(SHADOWALTER_SOURCE_DIR) + "/README.md";
  Write("ssl-mode = VERIFY_CA\nssl-ca = " + ca + "\n");
  StatusOr<ParsedCommandLine> parsed =
      Parse({"D=shop,t=orders", "--alter", "ADD c INT", "--dry-run"});
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->config.conn.tls.mode, TlsMode::kVerifyCa);
  EXPECT_EQ(parsed->config.conn.tls.ca, ca);
  // The file's keys are options, so they win over the DSN's ssl-mode= as --ssl-mode would, and
  // the command line wins over both.
  parsed = Parse({"D=shop,t=orders,ssl-mode=DISABLED", "--alter", "ADD c INT", "--dry-run"});
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->config.conn.tls.mode, TlsMode::kVerifyCa);
  parsed = Parse({"D=shop,t=orders,ssl-mode=DISABLED", "--alter", "ADD c INT", "--dry-run",
                  "--ssl-mode", "REQUIRED"});
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->config.conn.tls.mode, TlsMode::kRequired);
  // A bad value is attributed to the file and its key.
  Write("ssl-ca = /no/such/ca.pem\n");
  const std::string message = ErrorOf({"D=shop,t=orders", "--alter", "ADD c INT", "--dry-run"});
  EXPECT_NE(message.find(path_), std::string::npos) << message;
  EXPECT_NE(message.find("key 'ssl-ca'"), std::string::npos) << message;
}

TEST_F(ConfigFileTest, PasswordFromTheFile) {
  Write("password = s3cret\n");
  StatusOr<ParsedCommandLine> parsed =
      Parse({"D=shop,t=orders", "--alter", "ADD c INT", "--dry-run"});
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->config.conn.password, "s3cret");
}

TEST_F(ConfigFileTest, UnknownKeyNamesFileAndKey) {
  Write("alter = ADD c INT\npasword = s3cret\n");
  const std::string message = ErrorOf({"D=shop,t=orders", "--dry-run"});
  EXPECT_NE(message.find(path_), std::string::npos) << message;
  EXPECT_NE(message.find("'pasword'"), std::string::npos) << message;
  EXPECT_EQ(message.find("s3cret"), std::string::npos) << message;
}

TEST_F(ConfigFileTest, BadValueNamesFileAndKey) {
  Write("tries = many\n");
  const std::string message = ErrorOf({"D=shop,t=orders", "--alter", "ADD c INT", "--dry-run"});
  EXPECT_NE(message.find(path_), std::string::npos) << message;
  EXPECT_NE(message.find("key 'tries'"), std::string::npos) << message;
}

TEST_F(ConfigFileTest, BadSwitchValue) {
  Write("execute = maybe\n");
  const std::string message = ErrorOf({"D=shop,t=orders", "--alter", "ADD c INT"});
  EXPECT_NE(message.find("key 'execute'"), std::string::npos) << message;
  EXPECT_EQ(message.find("maybe"), std::string::npos) << message;
}

TEST_F(ConfigFileTest, LineWithoutEqualsNeverEchoesIt) {
  Write("alter = ADD c INT\n\npassword s3cret\n");
  const std::string message = ErrorOf({"D=shop,t=orders", "--dry-run"});
  EXPECT_NE(message.find("line 3"), std::string::npos) << message;
  EXPECT_EQ(message.find("s3cret"), std::string::npos) << message;
}

TEST_F(ConfigFileTest, FilePasswordIsHiddenInLaterErrors) {
  // A password that another check quotes (here: it is also given to --tries by mistake).
  Write("password = s3cret\ntries = s3cret\n");
  const std::string message = ErrorOf({"D=shop,t=orders", "--alter", "ADD c INT", "--dry-run"});
  EXPECT_EQ(message.find("s3cret"), std::string::npos) << message;
  EXPECT_NE(message.find("'***'"), std::string::npos) << message;
}

TEST_F(ConfigFileTest, MissingFile) {
  unlink(path_.c_str());
  const std::string message = ErrorOf({"D=shop,t=orders", "--alter", "ADD c INT", "--dry-run"});
  EXPECT_NE(message.find(path_), std::string::npos) << message;
}

TEST_F(ConfigFileTest, HelpAndConfigAreNotKeys) {
  Write("help = true\n");
  EXPECT_NE(ErrorOf({}).find("unknown key 'help'"), std::string::npos);
  Write("config = /etc/other.cnf\n");
  EXPECT_NE(ErrorOf({}).find("unknown key 'config'"), std::string::npos);
}

TEST(OutputOptionsTest, OutputHookDirStatistics) {
  const char* ok[] = {"shadowalter", "D=a,t=b", "--alter",    "ADD c INT", "--dry-run",
                      "--output",    "json",    "--hook-dir", "/tmp",      "--statistics"};
  StatusOr<ParsedCommandLine> parsed = ParseCommandLine(10, ok, NoPrompt);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->config.output, OutputFormat::kJson);
  EXPECT_EQ(parsed->config.hook_dir, "/tmp");
  EXPECT_TRUE(parsed->config.statistics);

  const char* bad_output[] = {"shadowalter", "D=a,t=b",  "--alter", "ADD c INT",
                              "--dry-run",   "--output", "yaml"};
  StatusOr<ParsedCommandLine> b = ParseCommandLine(7, bad_output, NoPrompt);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), Code::kUsage);
  EXPECT_NE(b.status().message().find("--output 'yaml'"), std::string::npos);

  const char* bad_dir[] = {"shadowalter", "D=a,t=b",    "--alter",           "ADD c INT",
                           "--dry-run",   "--hook-dir", "/nonexistent/hooks"};
  StatusOr<ParsedCommandLine> d = ParseCommandLine(7, bad_dir, NoPrompt);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("not a directory"), std::string::npos);
}

}  // namespace
}  // namespace shadowalter
