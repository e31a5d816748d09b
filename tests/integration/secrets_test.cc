// The password never leaks: given each way shadowalter reads it (--password, --password=, p= in
// the DSN, MYSQL_PWD, a --config file, an option file named by F=, p= in a --replica DSN), on a
// successful run and on
// runs that fail (a bad ALTER, a preflight refusal), it is not in stdout, stderr, the --log-file,
// the --output json events, --print's statements, any hook's environment, or the live process's
// /proc/PID/cmdline. The account is a dedicated one with a distinctive password, dropped after.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "db/quote.h"
#include "sandbox.h"

namespace shadowalter::testing {
namespace {

// A comma (escaped in a DSN), a dot and a dollar; no '#' (which a --config file can't hold).
const std::string kPassword = "Sa-Leak.7Qv,Zx9$w";
// In case something splits the password at its comma.
const std::string kPasswordHead = "Sa-Leak.7Qv";

std::string DsnEscape(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == ',' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

class SecretsTest : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    user_ = "sa_leak_" + std::to_string(getpid() % 100000);
    account_ = QuoteString(user_) + "@'127.0.0.1'";
    Exec(*db_, "DROP USER IF EXISTS " + account_);
    Exec(*db_, "CREATE USER " + account_ + " IDENTIFIED BY " + QuoteString(kPassword));
    // What the sandbox user has.
    Exec(*db_, "GRANT ALL PRIVILEGES ON *.* TO " + account_);
    Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(40) NOT NULL)");
    Exec(*db_, "INSERT INTO t SELECT seq, CONCAT('value ', seq) FROM seq_1_to_300");
    char dir[] = "/tmp/sa_secrets.XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    hooks_ = dir_ + "/hooks";
    std::filesystem::create_directory(hooks_);
    for (const char* name :
         {"startup", "validated", "before-copy", "before-cutover", "success", "failure"}) {
      const std::string path = hooks_ + "/" + name;
      std::ofstream out(path);
      out << "#!/bin/sh\nenv > '" << dir_ << "/env-'\"$(basename \"$0\")-$$\"\n";
      if (std::string(name) == "startup") {
        // Holds the run while the test reads /proc/PID/cmdline (at most 10 s).
        out << "touch '" << dir_ << "/alive'\n"
            << "i=0; while [ ! -e '" << dir_ << "/release' ] && [ $i -lt 200 ]; do sleep 0.05; "
            << "i=$((i+1)); done\n";
      }
      out.close();
      chmod(path.c_str(), 0755);
    }
    std::ofstream(dir_ + "/config.cnf")
        << "# the password for the nightly job\npassword = " << kPassword << "\n";
    std::ofstream(dir_ + "/my.cnf") << "[client]\npassword=" << kPassword << "\n";
  }
  void TearDown() override {
    if (db_) (void)db_->Execute("DROP USER IF EXISTS " + account_);
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
    SandboxTest::TearDown();
  }

  std::string Dsn(const std::string& defaults_file = "/dev/null") {
    auto env = ReadSandboxEnv();
    return "h=127.0.0.1,P=" + std::to_string(env->primary_port) + ",u=" + user_ +
           ",F=" + DsnEscape(defaults_file) + ",D=" + DsnEscape(schema_) + ",t=t";
  }

  struct Outcome {
    RunResult result;
    std::string cmdline;   // /proc/PID/cmdline while it ran, NULs as spaces
    std::string log;       // --log-file
    std::string hook_env;  // every hook's environment
  };

  // Runs with `args` (and --print, --output json, --hook-dir, --log-file) and MYSQL_PWD set to
  // `mysql_pwd` ("<unset>": none), reading the process's command line while its startup hook
  // holds it.
  Outcome Run(std::vector<std::string> args, const std::string& mysql_pwd) {
    std::filesystem::remove(dir_ + "/alive");
    std::filesystem::remove(dir_ + "/release");
    for (const auto& e : std::filesystem::directory_iterator(dir_)) {
      if (e.path().filename().string().rfind("env-", 0) == 0) std::filesystem::remove(e.path());
    }
    const std::string log_file = dir_ + "/run.log";
    std::filesystem::remove(log_file);
    std::vector<std::string> all = {"--print", "--output",   "json",  "--hook-dir",
                                    hooks_,    "--log-file", log_file};
    all.insert(all.end(), args.begin(), args.end());

    const char* old = std::getenv("MYSQL_PWD");
    const std::string saved = old ? old : "";
    setenv("MYSQL_PWD", mysql_pwd.c_str(), 1);
    Background bg = StartShadowalter(all);
    if (old) {
      setenv("MYSQL_PWD", saved.c_str(), 1);
    } else {
      unsetenv("MYSQL_PWD");
    }

    Outcome o;
    EXPECT_TRUE(WaitUntil([&] { return std::filesystem::exists(dir_ + "/alive"); }, 20000))
        << "the startup hook never ran";
    o.cmdline = ReadFileText("/proc/" + std::to_string(bg.pid) + "/cmdline");
    for (char& c : o.cmdline) {
      if (c == '\0') c = ' ';
    }
    std::ofstream(dir_ + "/release") << "go";
    o.result = WaitShadowalter(bg);
    o.log = ReadFileText(log_file);
    for (const auto& e : std::filesystem::directory_iterator(dir_)) {
      if (e.path().filename().string().rfind("env-", 0) == 0) {
        o.hook_env += ReadFileText(e.path().string());
      }
    }
    return o;
  }

  void ExpectNoPassword(const Outcome& o, const std::string& how) {
    EXPECT_NE(o.cmdline.find("--hook-dir"), std::string::npos) << how << ": " << o.cmdline;
    EXPECT_FALSE(o.log.empty()) << how;
    EXPECT_FALSE(o.hook_env.empty()) << how;
    EXPECT_EQ(o.hook_env.find("MYSQL_PWD"), std::string::npos) << how << ": " << o.hook_env;
    for (const std::string& secret : {kPassword, kPasswordHead}) {
      EXPECT_EQ(o.result.out.find(secret), std::string::npos) << how << " stdout:\n"
                                                              << o.result.out;
      EXPECT_EQ(o.result.err.find(secret), std::string::npos) << how << " stderr:\n"
                                                              << o.result.err;
      EXPECT_EQ(o.log.find(secret), std::string::npos) << how << " log:\n" << o.log;
      EXPECT_EQ(o.hook_env.find(secret), std::string::npos) << how << " hooks:\n" << o.hook_env;
      EXPECT_EQ(o.cmdline.find(secret), std::string::npos) << how << " cmdline: " << o.cmdline;
    }
  }

  std::string user_, account_, dir_, hooks_;
};

TEST_F(SecretsTest, ThePasswordGivenEachWayNeverShows) {
  struct Way {
    std::string name;
    std::vector<std::string> args;  // before the --alter ... DSN part
    std::string dsn;
    std::string mysql_pwd;
    bool on_command_line;
  };
  const std::string config = dir_ + "/config.cnf";
  const std::vector<Way> ways = {
      {"--password PASS", {"--password", kPassword}, Dsn(), "<unset>", true},
      {"--password=PASS", {"--password=" + kPassword}, Dsn(), "<unset>", true},
      {"p= in the DSN", {}, Dsn() + ",p=" + DsnEscape(kPassword), "<unset>", true},
      {"MYSQL_PWD", {}, Dsn(), kPassword, false},
      {"--config file", {"--config", config}, Dsn(), "<unset>", false},
      {"F= option file", {}, Dsn(dir_ + "/my.cnf"), "<unset>", false},
      // The replica's own p= (the primary's password from the option file).
      {"p= in a --replica DSN",
       {"--replica", "h=127.0.0.1,P=" + std::to_string(ReadSandboxEnv()->replica_port) +
                         ",p=" + DsnEscape(kPassword)},
       Dsn(dir_ + "/my.cnf"),
       "<unset>",
       true},
  };
  WaitForReplica();  // the account exists on the replica too
  int round = 0;
  for (const Way& way : ways) {
    const std::string column = "c" + std::to_string(round++);
    // 1. A successful migration.
    std::vector<std::string> args = way.args;
    for (const std::string& a : {std::string("--alter"), "ADD COLUMN " + column + " INT NULL",
                                 std::string("--execute"), std::string("--no-attempt-instant")}) {
      args.push_back(a);
    }
    args.push_back(way.dsn);
    Outcome ok = Run(args, way.mysql_pwd);
    EXPECT_EQ(ok.result.exit_code, 0) << way.name << "\n" << ok.result.err;
    EXPECT_NE(ok.result.err.find("SQL: "), std::string::npos) << "--print logs statements";
    EXPECT_NE(ok.result.out.find("\"event\":\"done\""), std::string::npos) << ok.result.out;
    EXPECT_NE(ok.result.err.find("connected to " + user_ + "@"), std::string::npos)
        << way.name << ": ran as the test's account\n"
        << ok.result.err;
    if (way.on_command_line) {
      // Scrubbed in place: the x's are where the password was.
      EXPECT_NE(ok.cmdline.find(std::string(kPassword.size(), 'x')), std::string::npos)
          << ok.cmdline;
    }
    ExpectNoPassword(ok, way.name + ", success");

    // 2. The server rejects the ALTER (exit 2).
    args = way.args;
    for (const std::string& a : {std::string("--alter"), std::string("ADD COLUMN bad NOTATYPE"),
                                 std::string("--execute"), std::string("--no-attempt-instant")}) {
      args.push_back(a);
    }
    args.push_back(way.dsn);
    Outcome bad = Run(args, way.mysql_pwd);
    EXPECT_EQ(bad.result.exit_code, 2) << way.name << "\n" << bad.result.err;
    EXPECT_NE(bad.result.err.find("NOTATYPE"), std::string::npos) << bad.result.err;
    ExpectNoPassword(bad, way.name + ", bad ALTER");

    // 3. A preflight check refuses (exit 5): an earlier run's new table is in the way.
    Exec(*db_, "CREATE TABLE _t_new (id INT PRIMARY KEY)");
    args.erase(args.end() - 4, args.end() - 3);
    args.insert(args.end() - 3, "ADD COLUMN never INT");
    Outcome refused = Run(args, way.mysql_pwd);
    Exec(*db_, "DROP TABLE _t_new");
    EXPECT_EQ(refused.result.exit_code, 5) << way.name << "\n" << refused.result.err;
    EXPECT_NE(refused.result.err.find("_t_new"), std::string::npos) << refused.result.err;
    EXPECT_NE(refused.result.out.find("\"status\":\"refused\""), std::string::npos)
        << refused.result.out;
    ExpectNoPassword(refused, way.name + ", refused");
  }
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t"), "300");
  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME LIKE 'c_'"),
            std::to_string(ways.size()));
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

}  // namespace
}  // namespace shadowalter::testing
