// The nightly cron job of docs/operations.md ("Config file"; it was in the README), run as
// written: its option file and its crontab command, with only the server, the paths and the clock
// hours put in (the window is made to be open now, the stop time two hours away) and the copy
// path forced (the ALTER would be instant: no cut-over, no hook), and its before-cutover hook in
// the hook directory. Twice, as two nights would: the first alters the table, the second finds
// nothing to do, so the line may stay.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <ctime>
#include <fstream>
#include <regex>
#include <sstream>

#include "sandbox.h"

namespace shadowalter::testing {
namespace {

// docs/operations.md, which holds the cron job and the hook example.
std::string Readme() {
  std::ifstream in(std::string(SHADOWALTER_SOURCE_DIR) + "/docs/operations.md");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The fenced block whose first line is `first_line`, without the fences.
std::string Block(const std::string& readme, const std::string& first_line) {
  const size_t at = readme.find("```\n" + first_line + "\n");
  if (at == std::string::npos) return "";
  const size_t from = at + 4;
  return readme.substr(from, readme.find("```", from) - from);
}

std::string Hhmm(std::time_t t) {
  std::tm utc{};
  gmtime_r(&t, &utc);
  char out[8];
  std::snprintf(out, sizeof out, "%02d:%02dZ", utc.tm_hour, utc.tm_min);
  return out;
}

class ReadmeCronTest : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    char dir[] = "/tmp/sa_cron.XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    Exec(*db_, "CREATE TABLE orders (id INT NOT NULL PRIMARY KEY, v VARCHAR(40) NOT NULL)");
    Exec(*db_, "INSERT INTO orders SELECT seq, CONCAT('order ', seq) FROM seq_1_to_5000");
  }
  void TearDown() override {
    if (!dir_.empty()) (void)std::system(("rm -rf '" + dir_ + "'").c_str());
    SandboxTest::TearDown();
  }
  void Executable(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
    chmod(path.c_str(), 0755);
  }

  std::string dir_;
};

TEST_F(ReadmeCronTest, TheNightlyJobAltersOnceThenFindsNothingToDo) {
  const std::string readme = Readme();
  std::string cnf = Block(readme, "# /etc/shadowalter/orders-nightly.cnf");
  ASSERT_FALSE(cnf.empty()) << "the option file moved out of docs/operations.md";
  const std::string hook =
      Block(readme, "#!/bin/sh\n# DIR/before-cutover: tell the channel the swap is next");
  ASSERT_FALSE(hook.empty()) << "the hook example moved out of docs/operations.md";
  std::smatch cron;
  ASSERT_TRUE(
      std::regex_search(readme, cron, std::regex(R"(\n30 2 \* \* \* shadowalter ([^>\n]*?) >>)")))
      << "the crontab line moved out of docs/operations.md";

  // The server, the paths and the hours; everything else as written.
  auto env = ReadSandboxEnv();
  ASSERT_TRUE(env);
  const std::map<std::string, std::string> put = {
      {"host", env->host + "\nport = " + std::to_string(env->primary_port)},
      {"user", env->user},
      {"defaults-file", dir_ + "/migrator.my.cnf"},
      {"database", schema_},
      {"hook-dir", dir_ + "/hooks"},
      {"log-file", dir_ + "/orders.log"},
  };
  std::stringstream in(cnf), out;
  for (std::string line; std::getline(in, line);) {
    const std::string key = line.substr(0, line.find(' '));
    out << (put.count(key) ? key + " = " + put.at(key) : line) << "\n";
  }
  std::ofstream(dir_ + "/orders-nightly.cnf") << out.str();
  std::ofstream(dir_ + "/migrator.my.cnf") << "[client]\npassword = " << env->password << "\n";
  chmod((dir_ + "/migrator.my.cnf").c_str(), 0600);
  ASSERT_EQ(mkdir((dir_ + "/hooks").c_str(), 0755), 0);
  Executable(dir_ + "/hooks/before-cutover", hook);
  // The hook's chat command: records what it was told.
  ASSERT_EQ(mkdir((dir_ + "/bin").c_str(), 0755), 0);
  Executable(dir_ + "/bin/notify-chat", "#!/bin/sh\necho \"$*\" >> '" + dir_ + "/chat.log'\n");

  std::string command = cron[1].str();
  const std::time_t now = std::time(nullptr);
  command = std::regex_replace(command, std::regex(R"(/etc/shadowalter/orders-nightly\.cnf)"),
                               dir_ + "/orders-nightly.cnf");
  command = std::regex_replace(command, std::regex(R"(--stop-at \S+)"),
                               "--stop-at " + Hhmm(now + 2 * 3600));
  command = std::regex_replace(command, std::regex(R"(--cutover-window \S+)"),
                               "--cutover-window " + Hhmm(now - 60) + "-" + Hhmm(now + 3600));
  std::vector<std::string> args;
  std::stringstream words(command);
  for (std::string w; words >> w;) args.push_back(w);
  // The ALTER would be done instantly, with no copy and so no cut-over hook: take the copy.
  args.push_back("--no-attempt-instant");
  const std::map<std::string, std::string> environment = {
      {"MYSQL_PWD", "<unset>"}, {"PATH", dir_ + "/bin:" + std::string(std::getenv("PATH"))}};

  RunResult first = RunShadowalter(args, environment);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("\"status\":\"success\""), std::string::npos) << first.out;
  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 'orders' AND COLUMN_NAME = 'shipped_at'"),
            "1");
  std::ifstream chat(dir_ + "/chat.log");
  std::string told;
  std::getline(chat, told);
  EXPECT_EQ(told, "swapping " + schema_ + ".orders (5000 rows)");

  RunResult second = RunShadowalter(args, environment);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  std::ifstream log(dir_ + "/orders.log");
  std::stringstream logged;
  logged << log.rdbuf();
  EXPECT_NE(logged.str().find("nothing to do"), std::string::npos) << logged.str();
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM orders"), "5000");
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

}  // namespace
}  // namespace shadowalter::testing
