#include "cli/options.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

namespace shadowalter {
namespace {

::testing::AssertionResult Contains(const std::string& text, const std::string& part) {
  if (text.find(part) == std::string::npos) {
    return ::testing::AssertionFailure() << "\"" << text << "\" lacks \"" << part << "\"";
  }
  return ::testing::AssertionSuccess() << "\"" << text << "\" contains \"" << part << "\"";
}

// Fails the test if --ask-pass prompting happens when it should not.
StatusOr<std::string> NoPrompt(const std::string& prompt) {
  ADD_FAILURE() << "unexpected password prompt: " << prompt;
  return InternalError("no prompt expected");
}

// Every test starts with MYSQL_PWD unset and leaves it as it found it.
class ParseCommandLineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* env = std::getenv("MYSQL_PWD"); env != nullptr) saved_mysql_pwd_ = env;
    unsetenv("MYSQL_PWD");
  }
  void TearDown() override {
    if (saved_mysql_pwd_.has_value()) {
      setenv("MYSQL_PWD", saved_mysql_pwd_->c_str(), 1);
    } else {
      unsetenv("MYSQL_PWD");
    }
  }

  static StatusOr<ParsedCommandLine> Parse(const std::vector<std::string>& args,
                                           const PasswordReader& reader = NoPrompt) {
    std::vector<const char*> argv = {"shadowalter"};
    for (const std::string& arg : args) argv.push_back(arg.c_str());
    return ParseCommandLine(static_cast<int>(argv.size()), argv.data(), reader);
  }

  static Config MustParse(const std::vector<std::string>& args,
                          const PasswordReader& reader = NoPrompt) {
    StatusOr<ParsedCommandLine> parsed = Parse(args, reader);
    EXPECT_TRUE(parsed.ok()) << parsed.status().message();
    if (!parsed.ok()) return Config{};
    EXPECT_FALSE(parsed->show_help);
    EXPECT_FALSE(parsed->show_version);
    return parsed->config;
  }

  // The one-line usage error that `args` must produce.
  static std::string ErrorOf(const std::vector<std::string>& args,
                             const PasswordReader& reader = NoPrompt) {
    StatusOr<ParsedCommandLine> parsed = Parse(args, reader);
    EXPECT_FALSE(parsed.ok()) << "expected a usage error";
    if (parsed.ok()) return "";
    EXPECT_EQ(parsed.status().code(), Code::kUsage) << parsed.status().message();
    EXPECT_EQ(parsed.status().message().find('\n'), std::string::npos) << "not one line";
    return parsed.status().message();
  }

  // A valid dry run of shop.orders, for tests that vary one thing.
  static std::vector<std::string> Valid(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"D=shop,t=orders", "--alter", "ADD COLUMN c INT", "--dry-run"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

 private:
  std::optional<std::string> saved_mysql_pwd_;
};

TEST_F(ParseCommandLineTest, MinimalCommandLineFillsDefaults) {
  const Config c = MustParse(Valid());
  EXPECT_EQ(c.alter, "ADD COLUMN c INT");
  EXPECT_EQ(c.mode, RunMode::kDryRun);
  EXPECT_EQ(c.conn.database, "shop");
  EXPECT_EQ(c.conn.table, "orders");
  EXPECT_FALSE(c.conn.host.has_value());
  EXPECT_FALSE(c.conn.port.has_value());
  EXPECT_FALSE(c.conn.user.has_value());
  EXPECT_FALSE(c.conn.password.has_value());
  EXPECT_FALSE(c.conn.socket.has_value());
  EXPECT_FALSE(c.conn.defaults_file.has_value());
  EXPECT_EQ(c.chunk_size, 1000u);
  EXPECT_TRUE(c.drop_old_table);
  EXPECT_FALSE(c.print_sql);
  EXPECT_EQ(c.log_file, "");
  EXPECT_DOUBLE_EQ(c.lock_wait_timeout, 2.0);
  EXPECT_EQ(c.tries, 10u);
  EXPECT_TRUE(c.verify);
  EXPECT_FALSE(c.quiet);
  EXPECT_TRUE(c.attempt_instant);
  EXPECT_FALSE(c.preserve_triggers);
}

TEST_F(ParseCommandLineTest, EveryOptionIsCopied) {
  const Config c = MustParse({"--host",
                              "db1",
                              "--port",
                              "3307",
                              "--user",
                              "app",
                              "--password",
                              "pw",
                              "--socket",
                              "/run/s.sock",
                              "--database",
                              "shop",
                              "--table",
                              "orders",
                              "--defaults-file",
                              "/etc/x.cnf",
                              "--alter",
                              "DROP COLUMN c",
                              "--execute",
                              "--chunk-size",
                              "500",
                              "--no-drop-old-table",
                              "--print",
                              "--log-file",
                              "/tmp/sa.log",
                              "--lock-wait-timeout",
                              "0.25",
                              "--tries",
                              "3",
                              "--no-verify",
                              "--no-attempt-instant",
                              "--preserve-triggers",
                              "--quiet"});
  EXPECT_EQ(c.conn.host, "db1");
  EXPECT_EQ(c.conn.port, 3307u);
  EXPECT_EQ(c.conn.user, "app");
  EXPECT_EQ(c.conn.password, "pw");
  EXPECT_EQ(c.conn.socket, "/run/s.sock");
  EXPECT_EQ(c.conn.database, "shop");
  EXPECT_EQ(c.conn.table, "orders");
  EXPECT_EQ(c.conn.defaults_file, "/etc/x.cnf");
  EXPECT_EQ(c.alter, "DROP COLUMN c");
  EXPECT_EQ(c.mode, RunMode::kExecute);
  EXPECT_EQ(c.chunk_size, 500u);
  EXPECT_FALSE(c.drop_old_table);
  EXPECT_TRUE(c.print_sql);
  EXPECT_EQ(c.log_file, "/tmp/sa.log");
  EXPECT_DOUBLE_EQ(c.lock_wait_timeout, 0.25);
  EXPECT_EQ(c.tries, 3u);
  EXPECT_FALSE(c.verify);
  EXPECT_FALSE(c.attempt_instant);
  EXPECT_TRUE(c.preserve_triggers);
  EXPECT_TRUE(c.quiet);
}

TEST_F(ParseCommandLineTest, SkipCheckTakesRepeatsAndCommaLists) {
  const Config c =
      MustParse({"D=shop,t=orders", "--alter", "ADD INDEX (a)", "--execute", "--skip-check",
                 "privileges,free-space", "--skip-check", "binlog-format"});
  EXPECT_EQ(c.skip_checks, (std::vector<std::string>{"privileges", "free-space", "binlog-format"}));
  EXPECT_TRUE(
      MustParse({"D=shop,t=orders", "--alter", "ADD INDEX (a)", "--execute"}).skip_checks.empty());
}

TEST_F(ParseCommandLineTest, TlsOptions) {
  const Config d = MustParse({"D=shop,t=orders", "--alter", "ADD INDEX (a)", "--execute"});
  EXPECT_EQ(d.conn.tls.mode, TlsMode::kPreferred);
  EXPECT_FALSE(d.conn.tls.ca.has_value());
  // Any readable file stands in for a certificate here; parsing never opens a connection.
  const std::string file = std::string(SHADOWALTER_SOURCE_DIR) + "/README.md";
  const Config c =
      MustParse({"D=shop,t=orders", "--alter", "ADD INDEX (a)", "--execute", "--ssl-mode",
                 "verify_identity", "--ssl-ca", file, "--ssl-cert", file, "--ssl-key", file});
  EXPECT_EQ(c.conn.tls.mode, TlsMode::kVerifyIdentity);
  EXPECT_EQ(c.conn.tls.ca, file);
  EXPECT_EQ(c.conn.tls.cert, file);
  EXPECT_EQ(c.conn.tls.key, file);
}

TEST_F(ParseCommandLineTest, TlsOptionsAreChecked) {
  const std::string file = std::string(SHADOWALTER_SOURCE_DIR) + "/README.md";
  const std::vector<std::string> base = {"D=shop,t=orders", "--alter", "ADD INDEX (a)",
                                         "--execute"};
  auto fails = [&](std::vector<std::string> extra, const std::string& message) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    StatusOr<ParsedCommandLine> p = Parse(args, NoPrompt);
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.status().code(), Code::kUsage);
    EXPECT_NE(p.status().message().find(message), std::string::npos) << p.status().message();
  };
  fails({"--ssl-mode", "ALWAYS"}, "bad --ssl-mode 'ALWAYS'");
  fails({"--ssl-mode", "VERIFY_CA"}, "needs --ssl-ca");
  fails({"--ssl-ca", "/no/such/ca.pem"}, "cannot read --ssl-ca '/no/such/ca.pem'");
  fails({"--ssl-cert", file}, "--ssl-cert and --ssl-key go together");
}

TEST_F(ParseCommandLineTest, TlsKeysInTheDsn) {
  const std::string file = std::string(SHADOWALTER_SOURCE_DIR) + "/README.md";
  const Config c = MustParse({"D=shop,t=orders,ssl-mode=VERIFY_CA,ssl-ca=" + file +
                                  ",ssl-cert=" + file + ",ssl-key=" + file,
                              "--alter", "ADD INDEX (a)", "--execute"});
  EXPECT_EQ(c.conn.tls.mode, TlsMode::kVerifyCa);
  EXPECT_EQ(c.conn.tls.ca, file);
  EXPECT_EQ(c.conn.tls.cert, file);
  EXPECT_EQ(c.conn.tls.key, file);
}

TEST_F(ParseCommandLineTest, TlsFlagsWinOverTheDsnKeyByKey) {
  const std::string file = std::string(SHADOWALTER_SOURCE_DIR) + "/README.md";
  const std::string other = std::string(SHADOWALTER_SOURCE_DIR) + "/CMakeLists.txt";
  // The flag's mode wins; the DSN's CA stays, as no flag names one.
  Config c = MustParse({"D=shop,t=orders,ssl-mode=REQUIRED,ssl-ca=" + file, "--alter",
                        "ADD INDEX (a)", "--execute", "--ssl-mode", "VERIFY_IDENTITY"});
  EXPECT_EQ(c.conn.tls.mode, TlsMode::kVerifyIdentity);
  EXPECT_EQ(c.conn.tls.ca, file);
  // A flag's file replaces the DSN's unreadable one before anything is checked.
  c = MustParse({"D=shop,t=orders,ssl-mode=VERIFY_CA,ssl-ca=/no/such/ca.pem", "--alter",
                 "ADD INDEX (a)", "--execute", "--ssl-ca", other});
  EXPECT_EQ(c.conn.tls.mode, TlsMode::kVerifyCa);
  EXPECT_EQ(c.conn.tls.ca, other);
  c = MustParse({"D=shop,t=orders,ssl-mode=REQUIRED", "--alter", "ADD INDEX (a)", "--execute",
                 "--ssl-mode", "disabled"});
  EXPECT_EQ(c.conn.tls.mode, TlsMode::kDisabled);
}

TEST_F(ParseCommandLineTest, TlsKeysInTheDsnAreCheckedAndNamed) {
  const std::string file = std::string(SHADOWALTER_SOURCE_DIR) + "/README.md";
  auto error = [&](const std::string& dsn) {
    return ErrorOf({dsn, "--alter", "ADD INDEX (a)", "--execute"});
  };
  EXPECT_TRUE(Contains(error("D=shop,t=orders,ssl-ca=/no/such/ca.pem"),
                       "cannot read DSN key ssl-ca= '/no/such/ca.pem'"));
  EXPECT_TRUE(Contains(error("D=shop,t=orders,ssl-key=/no/such/key.pem"),
                       "cannot read DSN key ssl-key= '/no/such/key.pem'"));
  const std::string no_ca = error("D=shop,t=orders,ssl-mode=VERIFY_IDENTITY");
  EXPECT_TRUE(Contains(no_ca, "DSN key ssl-mode= VERIFY_IDENTITY needs --ssl-ca"));
  EXPECT_TRUE(Contains(no_ca, "ssl-ca= in the DSN"));
  EXPECT_TRUE(Contains(error("D=shop,t=orders,ssl-cert=" + file), "go together"));
  EXPECT_TRUE(Contains(error("D=shop,t=orders,ssl-mode=maybe"), "bad ssl-mode in DSN 'maybe'"));
  // Replicas take the primary's TLS settings: a --replica DSN can't name its own.
  EXPECT_TRUE(Contains(ErrorOf({"D=shop,t=orders", "--alter", "ADD INDEX (a)", "--execute",
                                "--replica", "h=10.0.0.2,ssl-mode=DISABLED"}),
                       "--replica: a replica takes the primary's TLS settings"));
}

TEST_F(ParseCommandLineTest, NoSwapTablesAndNoDropTriggers) {
  const Config swap = MustParse(Valid({}));
  EXPECT_TRUE(swap.swap_tables);
  EXPECT_TRUE(swap.drop_triggers);
  const Config rehearsal = MustParse(Valid({"--no-swap-tables"}));
  EXPECT_FALSE(rehearsal.swap_tables);
  EXPECT_TRUE(rehearsal.drop_triggers);
  EXPECT_FALSE(rehearsal.attempt_instant);  // the instant path changes the table itself
  const Config parks = MustParse(Valid({"--no-swap-tables", "--no-drop-triggers"}));
  EXPECT_FALSE(parks.drop_triggers);
  EXPECT_TRUE(Contains(ErrorOf(Valid({"--no-drop-triggers"})),
                       "--no-drop-triggers goes with --no-swap-tables"));
  EXPECT_TRUE(Contains(ErrorOf(Valid({"--no-swap-tables", "--postpone-cutover-file", "/tmp/x"})),
                       "drop --postpone-cutover-file"));
  EXPECT_TRUE(Contains(ErrorOf(Valid({"--no-swap-tables", "--cutover-window", "01:00-03:00"})),
                       "drop --cutover-window"));
}

TEST_F(ParseCommandLineTest, ReplicaCredentialsAndReplicasWhoseLagIsNotChecked) {
  const Config none = MustParse(Valid({}));
  EXPECT_FALSE(none.replica_user.has_value());
  EXPECT_FALSE(none.replica_password.has_value());
  EXPECT_TRUE(none.lag_unchecked.empty());
  const Config c = MustParse(
      Valid({"--replica-user", "watcher", "--replica-password", "", "--skip-check-replica-lag",
             "h=10.0.0.7", "--skip-check-replica-lag", "h=10.0.0.8,P=3307,u=x"}));
  EXPECT_EQ(c.replica_user, "watcher");
  EXPECT_EQ(c.replica_password, "");  // an empty password is a real one
  ASSERT_EQ(c.lag_unchecked.size(), 2u);
  EXPECT_EQ(c.lag_unchecked[0].host, "10.0.0.7");
  EXPECT_FALSE(c.lag_unchecked[0].port.has_value());
  EXPECT_EQ(c.lag_unchecked[1].port, 3307u);
  EXPECT_TRUE(Contains(ErrorOf(Valid({"--replica-user", ""})), "--replica-user is empty"));
  EXPECT_TRUE(Contains(ErrorOf(Valid({"--skip-check-replica-lag", "P=3307"})),
                       "--skip-check-replica-lag needs at least h="));
  EXPECT_TRUE(none.allowed_binlog_clients.empty());
  EXPECT_EQ(none.upstream_writes, "");
  EXPECT_EQ(MustParse(Valid({"--upstream-writes", "none"})).upstream_writes, "none");
  EXPECT_EQ(MustParse(Valid({"--upstream-writes", "fire-triggers"})).upstream_writes,
            "fire-triggers");
  EXPECT_TRUE(Contains(ErrorOf(Valid({"--upstream-writes", "yes"})),
                       "bad --upstream-writes 'yes': give fire-triggers or none"));
  EXPECT_EQ(MustParse(Valid({"--allow-binlog-client", "10.0.0.9", "--allow-binlog-client",
                             "cdc.example"}))
                .allowed_binlog_clients,
            (std::vector<std::string>{"10.0.0.9", "cdc.example"}));
  EXPECT_TRUE(
      Contains(ErrorOf(Valid({"--allow-binlog-client", ""})), "--allow-binlog-client is empty"));
  const std::string bad = ErrorOf(Valid({"--skip-check-replica-lag", "h=a,p=Secr3t,x=1"}));
  EXPECT_TRUE(Contains(bad, "--skip-check-replica-lag")) << bad;
  EXPECT_FALSE(Contains(bad, "Secr3t")) << bad;
}

// --recursion-method: the discovery methods as written, or dsn= with the table that lists the
// replicas (D= and t= required, the rest left for the primary's connection to fill in).
TEST_F(ParseCommandLineTest, RecursionMethods) {
  const Config none = MustParse(Valid({}));
  EXPECT_EQ(none.recursion_method, "processlist,hosts");
  EXPECT_FALSE(none.recursion_dsn_table.has_value());
  for (const char* method : {"processlist", "hosts", "hosts,processlist", "none"}) {
    EXPECT_EQ(MustParse(Valid({"--recursion-method", method})).recursion_method, method);
  }
  const Config dsn = MustParse(Valid({"--recursion-method", "dsn=D=percona,t=dsns,h=10.0.0.5"}));
  EXPECT_EQ(dsn.recursion_method, "dsn");
  ASSERT_TRUE(dsn.recursion_dsn_table.has_value());
  EXPECT_EQ(dsn.recursion_dsn_table->database, "percona");
  EXPECT_EQ(dsn.recursion_dsn_table->table, "dsns");
  EXPECT_EQ(dsn.recursion_dsn_table->host, "10.0.0.5");
  EXPECT_FALSE(dsn.recursion_dsn_table->port.has_value());
  EXPECT_TRUE(Contains(ErrorOf(Valid({"--recursion-method", "dsn=t=dsns"})),
                       "--recursion-method dsn= needs the table that lists the replicas as "
                       "D=DB,t=TABLE"));
  EXPECT_TRUE(Contains(ErrorOf(Valid({"--recursion-method", "dsn=D=p,t=d,ssl-mode=DISABLED"})),
                       "takes the primary's TLS settings"));
  EXPECT_TRUE(Contains(ErrorOf(Valid({"--recursion-method", "processlist,dsn"})),
                       "bad --recursion-method 'processlist,dsn'"));
  const std::string bad = ErrorOf(Valid({"--recursion-method", "dsn=D=p,t=d,p=Secr3t,z=1"}));
  EXPECT_TRUE(Contains(bad, "--recursion-method dsn=")) << bad;
  EXPECT_FALSE(Contains(bad, "Secr3t")) << bad;
}

// Found by tests/fuzz/options.cc: the hidden option behind the positional DSN was accepted as
// "--dsn VALUE", and the scrubber, which looks for p= only in positional arguments, left that
// password in /proc/PID/cmdline.
TEST_F(ParseCommandLineTest, TheDsnIsPositionalOnly) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--dsn", "h=a,p=Secr3t,D=shop,t=orders", "--alter", "ADD c INT",
                                 "--execute"},
        std::vector<std::string>{"--dsn=h=a,p=Secr3t,D=shop,t=orders", "--alter", "ADD c INT",
                                 "--execute"}}) {
    const std::string message = ErrorOf(args);
    EXPECT_TRUE(Contains(message, "unknown option '--dsn'"));
    EXPECT_FALSE(Contains(message, "Secr3t"));
  }
}

TEST_F(ParseCommandLineTest, EqualsFormWorksToo) {
  const Config c = MustParse({"--database=shop", "--table=orders", "--alter=ADD INDEX (a)",
                              "--execute", "--chunk-size=7", "--password=a=b"});
  EXPECT_EQ(c.conn.database, "shop");
  EXPECT_EQ(c.alter, "ADD INDEX (a)");
  EXPECT_EQ(c.chunk_size, 7u);
  EXPECT_EQ(c.conn.password, "a=b");
}

TEST_F(ParseCommandLineTest, DsnAfterDoubleDash) {
  const Config c = MustParse({"--alter", "ADD COLUMN c INT", "--dry-run", "--", "D=d,t=t"});
  EXPECT_EQ(c.conn.table, "t");
}

TEST_F(ParseCommandLineTest, FlagsOverrideTheDsn) {
  const Config c = MustParse({"h=a,P=1,u=ua,p=pa,S=/sa,D=da,t=ta,F=/fa",
                              "--host",
                              "b",
                              "--port",
                              "2",
                              "--user",
                              "ub",
                              "--password",
                              "pb",
                              "--socket",
                              "/sb",
                              "--database",
                              "db",
                              "--table",
                              "tb",
                              "--defaults-file",
                              "/fb",
                              "--alter",
                              "ADD COLUMN c INT",
                              "--dry-run"});
  EXPECT_EQ(c.conn.host, "b");
  EXPECT_EQ(c.conn.port, 2u);
  EXPECT_EQ(c.conn.user, "ub");
  EXPECT_EQ(c.conn.password, "pb");
  EXPECT_EQ(c.conn.socket, "/sb");
  EXPECT_EQ(c.conn.database, "db");
  EXPECT_EQ(c.conn.table, "tb");
  EXPECT_EQ(c.conn.defaults_file, "/fb");
}

TEST_F(ParseCommandLineTest, DsnFillsWhatFlagsLeaveOut) {
  const Config c = MustParse({"h=a,P=1,u=ua,p=pa,D=da,t=ta", "--host", "b", "--table", "tb",
                              "--alter", "ADD COLUMN c INT", "--dry-run"});
  EXPECT_EQ(c.conn.host, "b");
  EXPECT_EQ(c.conn.port, 1u);
  EXPECT_EQ(c.conn.user, "ua");
  EXPECT_EQ(c.conn.password, "pa");
  EXPECT_EQ(c.conn.database, "da");
  EXPECT_EQ(c.conn.table, "tb");
}

TEST_F(ParseCommandLineTest, DatabaseAndTableFromFlagsAlone) {
  const Config c =
      MustParse({"--database", "d", "--table", "t", "--alter", "ADD COLUMN c INT", "--execute"});
  EXPECT_EQ(c.conn.database, "d");
  EXPECT_EQ(c.conn.table, "t");
}

TEST_F(ParseCommandLineTest, TableAndDatabaseAreRequired) {
  EXPECT_EQ(ErrorOf({"D=shop", "--alter", "ADD COLUMN c INT", "--dry-run"}),
            "no table given: use D=<db>,t=<table> in the DSN or --database/--table");
  EXPECT_EQ(ErrorOf({"--alter", "ADD COLUMN c INT", "--dry-run"}),
            "no database given: use D=<db>,t=<table> in the DSN or --database/--table");
  EXPECT_TRUE(Contains(ErrorOf({"t=orders", "--alter", "ADD COLUMN c INT", "--dry-run"}),
                       "no database given"));
}

TEST_F(ParseCommandLineTest, ExecuteAndDryRunAreMutuallyExclusive) {
  EXPECT_TRUE(
      Contains(ErrorOf(Valid({"--execute"})), "--execute and --dry-run are mutually exclusive"));
}

TEST_F(ParseCommandLineTest, ExecuteOrDryRunIsRequired) {
  EXPECT_EQ(ErrorOf({"D=shop,t=orders", "--alter", "ADD COLUMN c INT"}),
            "say --execute to change the table or --dry-run to only plan");
}

TEST_F(ParseCommandLineTest, AlterIsRequiredAndNotBlank) {
  EXPECT_TRUE(Contains(ErrorOf({"D=shop,t=orders", "--dry-run"}), "missing --alter"));
  EXPECT_TRUE(
      Contains(ErrorOf({"D=shop,t=orders", "--dry-run", "--alter", " \t"}), "--alter is empty"));
}

TEST_F(ParseCommandLineTest, HelpAndVersionNeedNothingElse) {
  StatusOr<ParsedCommandLine> help = Parse({"--help"});
  ASSERT_TRUE(help.ok()) << help.status().message();
  EXPECT_TRUE(help->show_help);
  EXPECT_FALSE(help->show_version);

  StatusOr<ParsedCommandLine> version = Parse({"--version"});
  ASSERT_TRUE(version.ok()) << version.status().message();
  EXPECT_TRUE(version->show_version);
  EXPECT_FALSE(version->show_help);

  // Help wins over what would otherwise be usage errors, and does not prompt.
  StatusOr<ParsedCommandLine> both = Parse({"--execute", "--dry-run", "--ask-pass", "--help"});
  ASSERT_TRUE(both.ok()) << both.status().message();
  EXPECT_TRUE(both->show_help);
}

TEST_F(ParseCommandLineTest, ChunkSizeRange) {
  EXPECT_EQ(MustParse(Valid({"--chunk-size", "1"})).chunk_size, 1u);
  EXPECT_EQ(MustParse(Valid({"--chunk-size", "1000000"})).chunk_size, 1000000u);
  EXPECT_EQ(MustParse(Valid({"--chunk-size", "10k"})).chunk_size, 10240u);
  for (const char* bad :
       {"0", "1000001", "-1", "1.5", "abc", "", "18446744073709551617", "1M", "10K"}) {
    EXPECT_TRUE(Contains(ErrorOf(Valid({"--chunk-size", bad})), "--chunk-size")) << bad;
  }
}

TEST_F(ParseCommandLineTest, MaxCheckpointAgeIsAPercentageOrOff) {
  EXPECT_EQ(MustParse(Valid({})).max_checkpoint_age, 90);
  EXPECT_EQ(MustParse(Valid({"--max-checkpoint-age", "0"})).max_checkpoint_age, 0);
  EXPECT_EQ(MustParse(Valid({"--max-checkpoint-age", "90.5"})).max_checkpoint_age, 90.5);
  EXPECT_EQ(MustParse(Valid({"--max-checkpoint-age", "100"})).max_checkpoint_age, 100);
  for (const char* bad : {"-1", "100.5", "x", "", "75%"}) {
    const std::string error = ErrorOf(Valid({"--max-checkpoint-age", bad}));
    EXPECT_TRUE(Contains(error, "bad --max-checkpoint-age")) << bad << ": " << error;
  }
}

TEST_F(ParseCommandLineTest, VerifySessionsAreOneOrTwo) {
  EXPECT_EQ(MustParse(Valid({})).verify_sessions, 2u);
  EXPECT_EQ(MustParse(Valid({"--verify-sessions", "1"})).verify_sessions, 1u);
  EXPECT_EQ(MustParse(Valid({"--verify-sessions", "2"})).verify_sessions, 2u);
  for (const char* bad : {"0", "3", "-1", "1.5", "x", ""}) {
    const std::string error = ErrorOf(Valid({"--verify-sessions", bad}));
    EXPECT_TRUE(Contains(error, "bad --verify-sessions")) << bad << ": " << error;
    EXPECT_TRUE(Contains(error, "1 to 2")) << bad << ": " << error;
  }
}

TEST_F(ParseCommandLineTest, ThreadsFromOneToThirtyTwo) {
  EXPECT_EQ(MustParse(Valid({})).threads, 1u);
  EXPECT_EQ(MustParse(Valid({"--threads", "1"})).threads, 1u);
  EXPECT_EQ(MustParse(Valid({"--threads", "32"})).threads, 32u);
  for (const char* bad : {"0", "33", "-1", "2.5", "x", "", "4294967297"}) {
    const std::string error = ErrorOf(Valid({"--threads", bad}));
    EXPECT_TRUE(Contains(error, "bad --threads")) << bad << ": " << error;
    EXPECT_TRUE(Contains(error, "1 to 32")) << bad << ": " << error;
  }
}

TEST_F(ParseCommandLineTest, TriesAtLeastOne) {
  EXPECT_EQ(MustParse(Valid({"--tries", "1"})).tries, 1u);
  for (const char* bad : {"0", "-1", "2.5", "x", "4294967296"}) {
    EXPECT_TRUE(Contains(ErrorOf(Valid({"--tries", bad})), "--tries")) << bad;
  }
}

// pt-online-schema-change's form: OP:TRIES:WAIT per operation, told apart by the colon.
TEST_F(ParseCommandLineTest, TriesPerOperationAsPtOnlineSchemaChangeTakesThem) {
  const Config c = MustParse(
      Valid({"--tries",
             "create_triggers:5:0.5,drop_triggers:5:0.5,copy_rows:10:0.25,swap_tables:5:0.5,"
             "update_foreign_keys:10:0.5,analyze_table:10:0.5"}));
  EXPECT_EQ(c.tries, Config().tries);  // the operations not named keep it
  ASSERT_EQ(c.tries_by_operation.size(), 6u);
  EXPECT_EQ(c.tries_by_operation.at("create_triggers").tries, 5u);
  EXPECT_DOUBLE_EQ(c.tries_by_operation.at("create_triggers").wait_seconds, 0.5);
  EXPECT_EQ(c.tries_by_operation.at("update_foreign_keys").tries, 10u);
  EXPECT_DOUBLE_EQ(c.tries_by_operation.at("copy_rows").wait_seconds, 0.25);
  EXPECT_DOUBLE_EQ(MustParse(Valid({"--tries", "swap_tables:3:0"}))
                       .tries_by_operation.at("swap_tables")
                       .wait_seconds,
                   0);
  EXPECT_TRUE(MustParse(Valid({})).tries_by_operation.empty());
  const std::pair<const char*, const char*> bad[] = {
      {"swap_tables:3", "bad --tries 'swap_tables:3': give OP:TRIES:WAIT"},
      {"rename:3:1",
       "bad --tries 'rename:3:1': give OP:TRIES:WAIT, comma-separated, OP one of "
       "create_triggers"},
      {"swap_tables:0:1", "bad --tries 'swap_tables:0:1': TRIES must be a whole number"},
      {"swap_tables:3:-1", "bad --tries 'swap_tables:3:-1': WAIT must be seconds from 0"},
      {"swap_tables:3:x", "WAIT must be seconds from 0"},
      {"swap_tables:3:1,swap_tables:4:1", "swap_tables is given twice"},
      {"swap_tables:3:1,", "bad --tries '': give OP:TRIES:WAIT"},
      {"5,swap_tables:3:1", "bad --tries '5': give OP:TRIES:WAIT"},
  };
  for (const auto& [text, error] : bad) {
    EXPECT_TRUE(Contains(ErrorOf(Valid({"--tries", text})), error))
        << text << ": " << ErrorOf(Valid({"--tries", text}));
  }
}

TEST_F(ParseCommandLineTest, LockWaitTimeoutPositiveWithFractions) {
  EXPECT_DOUBLE_EQ(MustParse(Valid({"--lock-wait-timeout", "0.5"})).lock_wait_timeout, 0.5);
  EXPECT_DOUBLE_EQ(MustParse(Valid({"--lock-wait-timeout", "30"})).lock_wait_timeout, 30.0);
  for (const char* bad : {"0", "-1", "0.0", "nan", "inf", "abc", "1s", "", "1e99"}) {
    EXPECT_TRUE(Contains(ErrorOf(Valid({"--lock-wait-timeout", bad})), "--lock-wait-timeout"))
        << bad;
  }
}

TEST_F(ParseCommandLineTest, PortFlagRange) {
  EXPECT_EQ(MustParse(Valid({"--port", "65535"})).conn.port, 65535u);
  for (const char* bad : {"0", "65536", "x", "-3306"}) {
    EXPECT_TRUE(Contains(ErrorOf(Valid({"--port", bad})), "1 to 65535")) << bad;
  }
}

TEST_F(ParseCommandLineTest, EmptyFlagValues) {
  EXPECT_TRUE(Contains(ErrorOf(Valid({"--host", ""})), "--host is empty"));
  EXPECT_TRUE(Contains(ErrorOf(Valid({"--log-file", ""})), "--log-file is empty"));
  // An empty password is a real password.
  EXPECT_EQ(MustParse(Valid({"--password", ""})).conn.password, "");
}

TEST_F(ParseCommandLineTest, BadDsnIsAUsageError) {
  EXPECT_TRUE(Contains(ErrorOf({"D=shop,t=orders,x=1", "--alter", "ADD COLUMN c INT", "--dry-run"}),
                       "unknown DSN key 'x'"));
  EXPECT_TRUE(
      Contains(ErrorOf({"D=a,t=b", "D=c,t=d", "--alter", "x", "--dry-run"}), "more than one DSN"));
}

TEST_F(ParseCommandLineTest, UnknownAndShortOptionsAreRejected) {
  EXPECT_TRUE(Contains(ErrorOf(Valid({"--frobnicate"})), "unknown option '--frobnicate'"));
  EXPECT_TRUE(Contains(ErrorOf(Valid({"-h", "db1"})), "unknown option '-h'"));
  EXPECT_TRUE(Contains(ErrorOf(Valid({"-p"})), "only long options"));
}

TEST_F(ParseCommandLineTest, NoPrefixGuessing) {
  EXPECT_TRUE(Contains(ErrorOf({"D=d,t=t", "--alter", "x", "--exec"}), "unknown option '--exec'"));
  EXPECT_TRUE(Contains(ErrorOf(Valid({"--pass=pw"})), "unknown option '--pass'"));
}

TEST_F(ParseCommandLineTest, RepeatedOptionIsAnError) {
  EXPECT_TRUE(Contains(ErrorOf(Valid({"--tries", "1", "--tries", "2"})), "--tries"));
}

TEST_F(ParseCommandLineTest, OptionMissingItsValue) {
  EXPECT_TRUE(Contains(ErrorOf(Valid({"--tries", "--quiet"})),
                       "--tries is missing its value (it is followed by --quiet)"));
  EXPECT_TRUE(Contains(ErrorOf(Valid({"--password", "--execute"})), "use --ask-pass"));
  EXPECT_TRUE(Contains(ErrorOf(Valid({"--log-file"})), "--log-file"));
  // The = form states the value explicitly, so it may look like an option.
  EXPECT_EQ(MustParse(Valid({"--password=--quiet"})).conn.password, "--quiet");
}

TEST_F(ParseCommandLineTest, MysqlPwdIsTheFallback) {
  setenv("MYSQL_PWD", "from-env", 1);
  EXPECT_EQ(MustParse(Valid()).conn.password, "from-env");
  EXPECT_EQ(MustParse(Valid({"--password", "from-flag"})).conn.password, "from-flag");
  EXPECT_EQ(MustParse({"D=shop,t=orders,p=from-dsn", "--alter", "x", "--dry-run"}).conn.password,
            "from-dsn");
  setenv("MYSQL_PWD", "", 1);
  EXPECT_EQ(MustParse(Valid()).conn.password, "");
  unsetenv("MYSQL_PWD");
  EXPECT_FALSE(MustParse(Valid()).conn.password.has_value());
}

TEST_F(ParseCommandLineTest, AskPassPromptsLast) {
  setenv("MYSQL_PWD", "from-env", 1);
  std::vector<std::string> prompts;
  const PasswordReader reader = [&prompts](const std::string& prompt) -> StatusOr<std::string> {
    prompts.push_back(prompt);
    return std::string("typed");
  };
  const Config c = MustParse(
      {"h=db1,u=app,p=from-dsn,D=shop,t=orders", "--alter", "x", "--dry-run", "--ask-pass"},
      reader);
  EXPECT_EQ(c.conn.password, "typed");
  ASSERT_EQ(prompts.size(), 1u);
  EXPECT_EQ(prompts[0], "Enter password for app@db1/shop.orders: ");

  // Any other mistake is reported before the user has typed anything.
  prompts.clear();
  ErrorOf({"D=shop,t=orders", "--alter", "x", "--ask-pass"}, reader);
  EXPECT_TRUE(prompts.empty());
}

TEST_F(ParseCommandLineTest, AskPassFailureIsReturned) {
  const PasswordReader reader = [](const std::string&) -> StatusOr<std::string> {
    return UsageError("--ask-pass needs a terminal");
  };
  EXPECT_EQ(ErrorOf(Valid({"--ask-pass"}), reader), "--ask-pass needs a terminal");
}

TEST_F(ParseCommandLineTest, AskPassConflictsWithPasswordFlag) {
  EXPECT_TRUE(
      Contains(ErrorOf(Valid({"--ask-pass", "--password", "pw"})), "--ask-pass and --password"));
}

TEST_F(ParseCommandLineTest, ReadPasswordFromTtyWithoutATerminal) {
  const int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd >= 0) {
    close(fd);
    GTEST_SKIP() << "a terminal is attached; prompting would block";
  }
  StatusOr<std::string> password = ReadPasswordFromTty("Enter password: ");
  ASSERT_FALSE(password.ok());
  EXPECT_EQ(password.status().code(), Code::kUsage);
  EXPECT_TRUE(Contains(password.status().message(), "--ask-pass needs a terminal"));
}

TEST_F(ParseCommandLineTest, PasswordNeverAppearsInErrors) {
  const std::string pw = "Tr0ub4dor&3";
  const std::vector<std::vector<std::string>> command_lines = {
      {"D=shop,t=orders,p=" + pw, "--alter", "x"},
      {"D=shop,t=orders,p=" + pw + ",x=1", "--alter", "x", "--dry-run"},
      {"D=shop,t=orders,p=" + pw, "--alter", "x", "--dry-run", "--tries", "0"},
      {"--password=" + pw, "--alter", "x", "--dry-run"},
      {"--password", pw, "--alter", "x", "--dry-run", "--bogus"},
      {"--password", pw, "D=a,t=b", "D=c,t=d", "--alter", "x", "--dry-run"},
      {"--password=" + pw, "--password=" + pw, "D=a,t=b", "--alter", "x", "--dry-run"},
      {"--tries", "--password", pw, "--alter", "x", "--dry-run"},
      {"--alter", "--password", pw, "--dry-run"},
      {"--port", "--password", pw, "--alter", "x", "--dry-run"},
      {"--pasword=" + pw, "--alter", "x", "--dry-run"},
      {"-p" + pw, "--alter", "x", "--dry-run"},
      {"--quiet=" + pw, "--alter", "x", "--dry-run"},
      {"--password", pw, "--ask-pass", "D=a,t=b", "--alter", "x", "--dry-run"},
      {"D=a,t=b,p=Tr0ub,4dor&3", "--alter", "x", "--dry-run"},
      {"D=a,t=b,p=Tr0ub,4=dor&3", "--alter", "x", "--dry-run"},
  };
  for (const std::vector<std::string>& args : command_lines) {
    const std::string message = ErrorOf(args);
    EXPECT_FALSE(Contains(message, pw));
    EXPECT_FALSE(Contains(message, "Tr0ub"));
    EXPECT_FALSE(Contains(message, "dor&3"));
  }
}

TEST(HelpTextTest, ListsEveryOptionWithItsDefault) {
  const std::string help = HelpText();
  for (const char* option : {"--host HOST",
                             "--port PORT",
                             "--user USER",
                             "--password PASS",
                             "--ask-pass",
                             "--socket PATH",
                             "--defaults-file PATH",
                             "--database DB",
                             "--table TABLE",
                             "--alter CLAUSES",
                             "--execute",
                             "--dry-run",
                             "--chunk-size N",
                             "--threads N",
                             "--lock-wait-timeout SECONDS",
                             "--tries N|OP:TRIES:WAIT,...",
                             "--no-verify",
                             "--no-drop-old-table",
                             "--print",
                             "--log-file PATH",
                             "--quiet",
                             "--help",
                             "--version"}) {
    EXPECT_TRUE(Contains(help, std::string("\n  ") + option + " ")) << option;
  }
  // Descriptions wrap; compare with each line break and its indentation read as one blank.
  std::string flat;
  for (size_t i = 0; i < help.size(); ++i) {
    if (help[i] == '\n' && i + 1 < help.size() && help[i + 1] == ' ') {
      while (i + 1 < help.size() && help[i + 1] == ' ') ++i;
      flat += ' ';
    } else {
      flat += help[i];
    }
  }
  for (const char* text : {"(default: 1000)", "(default: 2)", "(default: 10)", "MYSQL_PWD",
                           "Usage: shadowalter [DSN]", "\\,", "Connection", "Output"}) {
    EXPECT_TRUE(Contains(flat, text));
  }
}

TEST(HelpTextTest, EveryValueOptionStatesADefaultOrThatItIsRequired) {
  const std::string help = HelpText();
  // Each option's description runs until the next option line or a blank line.
  size_t at = 0;
  int options = 0;
  while ((at = help.find("\n  --", at)) != std::string::npos) {
    const size_t next = std::min(help.find("\n  --", at + 1), help.find("\n\n", at + 1));
    const std::string entry = help.substr(at + 1, next - at - 1);
    const bool meta = Contains(entry, "--help ") || Contains(entry, "--version ");
    EXPECT_TRUE(meta || Contains(entry, "default:") || Contains(entry, "required")) << entry;
    ++options;
    at = next;
  }
  EXPECT_EQ(options, 71);
}

TEST(HelpTextTest, NoTrailingBlanks) {
  const std::string help = HelpText();
  EXPECT_EQ(help.find(" \n"), std::string::npos);
}

TEST(OptionTakesValueTest, MatchesTheOptions) {
  for (const char* name :
       {"alter", "host", "port", "user", "password", "socket", "database", "table", "defaults-file",
        "chunk-size", "threads", "log-file", "lock-wait-timeout", "tries"}) {
    EXPECT_TRUE(OptionTakesValue(name)) << name;
  }
  for (const char* name : {"execute", "dry-run", "ask-pass", "print", "quiet", "no-verify",
                           "no-drop-old-table", "help", "version", "nonexistent"}) {
    EXPECT_FALSE(OptionTakesValue(name)) << name;
  }
}

}  // namespace
}  // namespace shadowalter

namespace shadowalter {
namespace {

class ForeignKeysMethodOptionTest : public ParseCommandLineTest {};

TEST_F(ForeignKeysMethodOptionTest, DefaultIsUnset) {
  EXPECT_EQ(MustParse(Valid()).foreign_keys_method, ForeignKeyMethod::kUnset);
}

TEST_F(ForeignKeysMethodOptionTest, EachMethodIsParsed) {
  EXPECT_EQ(
      MustParse(Valid({"--alter-foreign-keys-method", "rebuild_constraints"})).foreign_keys_method,
      ForeignKeyMethod::kRebuildConstraints);
  EXPECT_EQ(MustParse(Valid({"--alter-foreign-keys-method", "drop_swap"})).foreign_keys_method,
            ForeignKeyMethod::kDropSwap);
  EXPECT_EQ(MustParse(Valid({"--alter-foreign-keys-method=none"})).foreign_keys_method,
            ForeignKeyMethod::kNone);
  EXPECT_EQ(MustParse(Valid({"--alter-foreign-keys-method", "auto"})).foreign_keys_method,
            ForeignKeyMethod::kAuto);
}

TEST_F(ForeignKeysMethodOptionTest, UnknownMethodIsAUsageErrorNamingTheMethods) {
  const std::string e = ErrorOf(Valid({"--alter-foreign-keys-method", "rebuild"}));
  EXPECT_NE(e.find("'rebuild'"), std::string::npos) << e;
  for (const char* m : {"rebuild_constraints", "drop_swap", "none", "auto"}) {
    EXPECT_NE(e.find(m), std::string::npos) << e;
  }
  EXPECT_NE(ErrorOf(Valid({"--alter-foreign-keys-method", "DROP_SWAP"})), "");
}

TEST_F(ForeignKeysMethodOptionTest, EmptyOrMissingValueIsAUsageError) {
  EXPECT_NE(ErrorOf(Valid({"--alter-foreign-keys-method="})), "");
  EXPECT_NE(ErrorOf(Valid({"--alter-foreign-keys-method"})), "");
}

TEST_F(ForeignKeysMethodOptionTest, DropSwapCannotKeepTheOldTable) {
  const std::string e =
      ErrorOf(Valid({"--alter-foreign-keys-method", "drop_swap", "--no-drop-old-table"}));
  EXPECT_NE(e.find("--no-drop-old-table"), std::string::npos) << e;
}

TEST(ForeignKeyMethodNameTest, RoundTrips) {
  for (ForeignKeyMethod m : {ForeignKeyMethod::kRebuildConstraints, ForeignKeyMethod::kDropSwap,
                             ForeignKeyMethod::kNone, ForeignKeyMethod::kAuto}) {
    EXPECT_EQ(ParseForeignKeyMethod(ForeignKeyMethodName(m)), m);
  }
  EXPECT_EQ(ParseForeignKeyMethod(""), std::nullopt);
}

}  // namespace
}  // namespace shadowalter
