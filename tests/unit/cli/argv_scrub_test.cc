#include "cli/argv_scrub.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/dsn.h"
#include "cli/options.h"

namespace shadowalter {
namespace {

// A writable argv like the one main() receives, backed by strings the test can inspect.
class Argv {
 public:
  explicit Argv(std::vector<std::string> args) : args_(std::move(args)) {
    args_.insert(args_.begin(), "shadowalter");
    for (std::string& arg : args_) pointers_.push_back(arg.data());
    pointers_.push_back(nullptr);
  }
  int argc() const { return static_cast<int>(args_.size()); }
  char** argv() { return pointers_.data(); }
  // The arguments after argv[0], as they now read through argv.
  std::vector<std::string> Now() const {
    std::vector<std::string> now;
    for (size_t i = 1; i < args_.size(); ++i) now.emplace_back(pointers_[i]);
    return now;
  }

 private:
  std::vector<std::string> args_;
  std::vector<char*> pointers_;
};

std::vector<std::string> Scrubbed(std::vector<std::string> args) {
  Argv argv(std::move(args));
  ScrubPasswordsFromArgv(argv.argc(), argv.argv());
  return argv.Now();
}

using Args = std::vector<std::string>;

TEST(ScrubPasswordsTest, PasswordEqualsForm) {
  EXPECT_EQ(Scrubbed({"--alter", "ADD c INT", "--password=secret", "--execute"}),
            (Args{"--alter", "ADD c INT", "--password=xxxxxx", "--execute"}));
}

TEST(ScrubPasswordsTest, PasswordNextElementForm) {
  EXPECT_EQ(Scrubbed({"--password", "secret", "D=d,t=t", "--dry-run"}),
            (Args{"--password", "xxxxxx", "D=d,t=t", "--dry-run"}));
}

// Found by tests/fuzz/options.cc (once it compared with the passwords the parser read): a
// --replica DSN's password stayed in /proc/PID/cmdline.
TEST(ScrubPasswordsTest, ReplicaDsnPasswords) {
  EXPECT_EQ(Scrubbed({"D=d,t=t", "--replica", "h=r1,p=secret", "--replica=h=r2,p=s\\,x,P=1"}),
            (Args{"D=d,t=t", "--replica", "h=r1,p=xxxxxx", "--replica=h=r2,p=xxxx,P=1"}));
  EXPECT_EQ(Scrubbed({"--dsn", "h=a,p=secret", "--dsn=p=abc"}),
            (Args{"--dsn", "h=a,p=xxxxxx", "--dsn=p=xxx"}));
  // A --replica with its value missing does not swallow the next option's scrubbing.
  EXPECT_EQ(Scrubbed({"--replica", "--password", "secret"}),
            (Args{"--replica", "--password", "xxxxxx"}));
  // Only the option itself: --replica-timeout is another option.
  EXPECT_EQ(Scrubbed({"--replica-timeout=p=abc", "--replica-timeout", "p=abc"}),
            (Args{"--replica-timeout=p=abc", "--replica-timeout", "p=abc"}));
}

TEST(ScrubPasswordsTest, ReplicaPasswordAndSkippedReplicaDsn) {
  EXPECT_EQ(Scrubbed({"D=d,t=t", "--replica-password", "secret", "--replica-password=abc"}),
            (Args{"D=d,t=t", "--replica-password", "xxxxxx", "--replica-password=xxx"}));
  EXPECT_EQ(
      Scrubbed(
          {"--skip-check-replica-lag", "h=r1,p=secret", "--skip-check-replica-lag=h=r2,p=abc"}),
      (Args{"--skip-check-replica-lag", "h=r1,p=xxxxxx", "--skip-check-replica-lag=h=r2,p=xxx"}));
  // --replica-user is not a password.
  EXPECT_EQ(Scrubbed({"--replica-user", "p=abc", "--replica-user=secret"}),
            (Args{"--replica-user", "p=abc", "--replica-user=secret"}));
  // A missing value does not swallow the next option's scrubbing.
  EXPECT_EQ(Scrubbed({"--skip-check-replica-lag", "--replica-password", "secret"}),
            (Args{"--skip-check-replica-lag", "--replica-password", "xxxxxx"}));
}

TEST(ScrubPasswordsTest, DsnPasswordOnlyTheValue) {
  EXPECT_EQ(Scrubbed({"h=db1,u=app,p=secret,D=shop,t=orders", "--execute"}),
            (Args{"h=db1,u=app,p=xxxxxx,D=shop,t=orders", "--execute"}));
  EXPECT_EQ(Scrubbed({"p=secret,D=shop"}), (Args{"p=xxxxxx,D=shop"}));
  EXPECT_EQ(Scrubbed({"D=shop,p=secret"}), (Args{"D=shop,p=xxxxxx"}));
  // P is the port and u=p the user: neither is a password.
  EXPECT_EQ(Scrubbed({"P=3306,u=p=1,D=d"}), (Args{"P=3306,u=p=1,D=d"}));
}

TEST(ScrubPasswordsTest, DsnPasswordWithEscapes) {
  // The raw value "se\,cr\\" is 8 bytes; the comma after it is unescaped and ends it.
  EXPECT_EQ(Scrubbed({R"(h=a,p=se\,cr\\,D=shop)"}), (Args{"h=a,p=xxxxxxxx,D=shop"}));
  EXPECT_EQ(Scrubbed({R"(p=a=b\,c)"}), (Args{"p=xxxxxx"}));
}

TEST(ScrubPasswordsTest, ScrubbedDsnStillParsesTheSame) {
  Argv argv({R"(h=db1,p=a\,b=c,P=3307,D=shop,t=orders)"});
  ScrubPasswordsFromArgv(argv.argc(), argv.argv());
  StatusOr<ConnectionConfig> conn = ParseDsn(argv.Now()[0]);
  ASSERT_TRUE(conn.ok()) << conn.status().message();
  EXPECT_EQ(conn->host, "db1");
  EXPECT_EQ(conn->port, 3307u);
  EXPECT_EQ(conn->table, "orders");
  EXPECT_EQ(conn->password, "xxxxxx");  // the raw "a\,b=c" is 6 bytes
}

TEST(ScrubPasswordsTest, OptionValuesAreNotDsns) {
  const Args args = {"--alter", "p=1", "--log-file", "h=a,p=b", "--alter=p=2"};
  EXPECT_EQ(Scrubbed(args), args);
}

TEST(ScrubPasswordsTest, DsnAfterDoubleDash) {
  EXPECT_EQ(Scrubbed({"--dry-run", "--", "p=pw,D=d"}), (Args{"--dry-run", "--", "p=xx,D=d"}));
}

TEST(ScrubPasswordsTest, EveryFormAtOnce) {
  EXPECT_EQ(Scrubbed({"u=me,p=one,t=t", "--password=two2", "--tries", "3", "--password", "three",
                      "--quiet"}),
            (Args{"u=me,p=xxx,t=t", "--password=xxxx", "--tries", "3", "--password", "xxxxx",
                  "--quiet"}));
}

TEST(ScrubPasswordsTest, PasswordGivenAsAnotherOptionsValueIsStillScrubbed) {
  EXPECT_EQ(Scrubbed({"--tries", "--password", "secret"}),
            (Args{"--tries", "--password", "xxxxxx"}));
}

TEST(ScrubPasswordsTest, EmptyAndMissingValuesAreHarmless) {
  for (const Args& args : {Args{"--password="}, Args{"--password"}, Args{"--password", ""},
                           Args{"p=,D=d"}, Args{"p="}, Args{R"(p=\)"}, Args{""}, Args{}}) {
    const Args scrubbed = Scrubbed(args);
    if (args == Args{R"(p=\)"}) {
      EXPECT_EQ(scrubbed, Args{"p=x"});
    } else {
      EXPECT_EQ(scrubbed, args);
    }
  }
}

TEST(ScrubPasswordsTest, ProgramNameIsNeverTouched) {
  char name[] = "p=secret";
  char* argv[] = {name, nullptr};
  ScrubPasswordsFromArgv(1, argv);
  EXPECT_STREQ(name, "p=secret");
}

TEST(FindPasswordsInArgvTest, ReportsSpans) {
  const char* argv[] = {"shadowalter", "h=a,p=pw1,D=d", "--password=pw22", "--password", "pw333"};
  const std::vector<PasswordSpan> spans = FindPasswordsInArgv(5, argv);
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(spans[0].index, 1);
  EXPECT_EQ(spans[0].begin, 6u);
  EXPECT_EQ(spans[0].length, 3u);
  EXPECT_EQ(spans[1].index, 2);
  EXPECT_EQ(spans[1].begin, 11u);
  EXPECT_EQ(spans[1].length, 4u);
  EXPECT_EQ(spans[2].index, 4);
  EXPECT_EQ(spans[2].begin, 0u);
  EXPECT_EQ(spans[2].length, 5u);
}

TEST(ScrubPasswordsTest, ParsedConfigKeepsThePasswordAfterScrubbing) {
  Argv argv({"h=db1,p=dsnpw,D=shop,t=orders", "--alter", "ADD COLUMN c INT", "--dry-run", "--user",
             "app"});
  StatusOr<ParsedCommandLine> parsed = ParseCommandLine(argv.argc(), argv.argv());
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  ScrubPasswordsFromArgv(argv.argc(), argv.argv());
  EXPECT_EQ(parsed->config.conn.password, "dsnpw");
  EXPECT_EQ(argv.Now(), (Args{"h=db1,p=xxxxx,D=shop,t=orders", "--alter", "ADD COLUMN c INT",
                              "--dry-run", "--user", "app"}));
}

}  // namespace
}  // namespace shadowalter
