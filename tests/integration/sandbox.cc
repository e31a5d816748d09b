#include "sandbox.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "db/quote.h"

namespace shadowalter::testing {
namespace {

std::string Env(const char* name, const char* fallback = "") {
  const char* v = std::getenv(name);
  return v ? v : fallback;
}

}  // namespace

std::unique_ptr<Session> ConnectTo(unsigned port, const std::string& database) {
  auto env = ReadSandboxEnv();
  if (!env) {
    ADD_FAILURE() << "sandbox not configured: run eval \"$(scripts/sandbox.sh env)\"";
    return nullptr;
  }
  ConnectParams p;
  p.host = env->host;
  p.port = port;
  p.user = env->user;
  p.password = env->password;
  p.defaults_file = "/dev/null";
  p.database = database;
  auto s = Session::Connect(p);
  if (!s.ok()) {
    ADD_FAILURE() << "cannot connect to the sandbox on port " << port << ": "
                  << s.status().message();
    return nullptr;
  }
  return std::move(s).value();
}

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::atomic<int> g_counter{0};

}  // namespace

std::optional<SandboxEnv> ReadSandboxEnv() {
  if (Env("SHADOWALTER_PRIMARY_PORT").empty()) return std::nullopt;
  SandboxEnv e;
  e.host = Env("SHADOWALTER_HOST", "127.0.0.1");
  e.primary_port = std::stoul(Env("SHADOWALTER_PRIMARY_PORT"));
  e.replica_port = std::stoul(Env("SHADOWALTER_REPLICA_PORT", "0"));
  e.user = Env("SHADOWALTER_USER", "sandbox");
  e.password = Env("SHADOWALTER_PASSWORD", "sandbox-pass");
  return e;
}

std::unique_ptr<Session> ConnectPrimary(const std::string& database) {
  auto env = ReadSandboxEnv();
  return ConnectTo(env ? env->primary_port : 0, database);
}

std::unique_ptr<Session> ConnectReplica(const std::string& database) {
  auto env = ReadSandboxEnv();
  if (!env) return ConnectTo(0, database);
  // The test's schema reaches the replica through replication: on a loaded machine the
  // replica may not have created it yet, so wait for it (up to 30 s) before connecting to it.
  if (!database.empty()) {
    auto plain = ConnectTo(env->replica_port, "");
    if (!plain) return nullptr;
    for (int i = 0; i < 300; ++i) {
      auto found = plain->Query(
          "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE "
          "SCHEMA_NAME = " +
          QuoteString(database));
      if (found.ok() && found->Scalar().value_or("0") == "1") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  return ConnectTo(env->replica_port, database);
}

void Exec(Session& s, const std::string& sql) {
  Status st = s.Execute(sql);
  ASSERT_TRUE(st.ok()) << sql << "\n -> " << st.message();
}

std::string Scalar(Session& s, const std::string& sql) {
  auto rs = s.Query(sql);
  EXPECT_TRUE(rs.ok()) << sql << "\n -> " << rs.status().message();
  if (!rs.ok()) return "ERROR";
  return rs->Scalar().value_or("NULL");
}

std::string TableChecksum(Session& s, const std::string& table) {
  auto rs = s.Query("CHECKSUM TABLE " + table);
  EXPECT_TRUE(rs.ok()) << rs.status().message();
  if (!rs.ok() || rs->empty() || rs->rows[0].size() < 2) return "ERROR";
  return rs->rows[0][1].value_or("NULL");
}

std::vector<std::string> Rows(Session& s, const std::string& sql) {
  auto rs = s.Query(sql);
  EXPECT_TRUE(rs.ok()) << sql << "\n -> " << rs.status().message();
  std::vector<std::string> out;
  if (!rs.ok()) return out;
  for (const auto& row : rs->rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) line += (i ? "|" : "") + row[i].value_or("NULL");
    out.push_back(line);
  }
  return out;
}

std::vector<std::string> CommandArgs(const std::string& word, const std::string& schema,
                                     std::vector<std::string> extra) {
  std::vector<std::string> args = {word};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(PrimaryDsn(schema, "t"));
  return args;
}

bool HasColumn(Session& s, const std::string& table, const std::string& column) {
  return Scalar(s,
                "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
                "AND TABLE_NAME = " +
                    QuoteString(table) + " AND COLUMN_NAME = " + QuoteString(column)) == "1";
}

std::string PrimaryDsn(const std::string& schema, const std::string& table) {
  auto env = ReadSandboxEnv();
  std::string dsn = "h=" + (env ? env->host : std::string("127.0.0.1")) +
                    ",P=" + std::to_string(env ? env->primary_port : 0) +
                    ",u=" + (env ? env->user : std::string("sandbox")) + ",F=/dev/null";
  auto escape = [](const std::string& v) {
    std::string out;
    for (char c : v) {
      if (c == ',' || c == '\\') out += '\\';
      out += c;
    }
    return out;
  };
  return dsn + ",D=" + escape(schema) + ",t=" + escape(table);
}

Background StartShadowalter(const std::vector<std::string>& args) {
  Background bg;
  const int n = g_counter.fetch_add(1);
  const std::string base = "/tmp/sa_test_" + std::to_string(getpid()) + "_" + std::to_string(n);
  bg.out_path = base + ".out";
  bg.err_path = base + ".err";
  auto env = ReadSandboxEnv();
  const std::string password = env ? env->password : "";
  pid_t pid = fork();
  if (pid == 0) {
    int out = open(bg.out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = open(bg.err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(out, 1);
    dup2(err, 2);
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    // "<unset>" (from RunShadowalter's extra_env) removes it, to test the other password sources.
    const char* pwd = std::getenv("MYSQL_PWD");
    if (pwd != nullptr && std::string(pwd) == "<unset>") {
      unsetenv("MYSQL_PWD");
    } else if (pwd == nullptr) {
      setenv("MYSQL_PWD", password.c_str(), 1);
    }
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(SHADOWALTER_BINARY));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(SHADOWALTER_BINARY, argv.data());
    _exit(127);
  }
  bg.pid = pid;
  return bg;
}

RunResult WaitShadowalter(const Background& bg) {
  RunResult r;
  int status = 0;
  waitpid(bg.pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = ReadFile(bg.out_path);
  r.err = ReadFile(bg.err_path);
  unlink(bg.out_path.c_str());
  unlink(bg.err_path.c_str());
  return r;
}

RunResult RunShadowalter(const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& extra_env) {
  std::map<std::string, std::optional<std::string>> saved;
  for (const auto& [k, v] : extra_env) {
    const char* old = std::getenv(k.c_str());
    saved[k] = old ? std::optional<std::string>(old) : std::nullopt;
  }
  // The child inherits these; StartShadowalter sets MYSQL_PWD itself unless overridden below.
  Background bg;
  {
    for (const auto& [k, v] : extra_env) setenv(k.c_str(), v.c_str(), 1);
    bg = StartShadowalter(args);
    for (const auto& [k, v] : saved) {
      if (v) {
        setenv(k.c_str(), v->c_str(), 1);
      } else {
        unsetenv(k.c_str());
      }
    }
  }
  RunResult r = WaitShadowalter(bg);
  if (r.exit_code != 0) std::cerr << "shadowalter stderr:\n" << r.err;
  return r;
}

bool StartHeldAtCutover(std::vector<std::string> args, const std::string& hold, Background& bg) {
  { std::ofstream(hold) << "hold"; }
  args.insert(args.end() - 1, {"--postpone-cutover-file", hold});
  bg = StartShadowalter(args);
  return WaitUntil(
      [&] { return ReadFileText(bg.err_path).find("cut-over postponed") != std::string::npos; });
}

RunResult RunWhileTriggersExist(std::vector<std::string> args, const std::string& schema,
                                const std::string& table, const std::function<void()>& during) {
  const std::string hold = "/tmp/sa_held_" + schema + "_" + table;
  { std::ofstream(hold) << "hold"; }
  args.insert(args.end() - 1, {"--postpone-cutover-file", hold});
  const Background bg = StartShadowalter(args);
  std::unique_ptr<Session> admin = ConnectPrimary();
  const bool triggers =
      admin && WaitUntil([&] {
        return Scalar(
                   *admin,
                   "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = " +
                       QuoteString(schema) + " AND EVENT_OBJECT_TABLE = " + QuoteString(table)) ==
               "3";
      });
  EXPECT_TRUE(triggers) << "the mirror triggers never appeared on " << table;
  if (triggers) during();
  std::remove(hold.c_str());
  return WaitShadowalter(bg);
}

void WaitForReplica() {
  auto primary = ConnectPrimary();
  auto replica = ConnectReplica();
  ASSERT_TRUE(primary && replica);
  const std::string pos = Scalar(*primary, "SELECT @@gtid_binlog_pos");
  const std::string r = Scalar(*replica, "SELECT MASTER_GTID_WAIT('" + pos + "', 120)");
  ASSERT_EQ(r, "0") << "replica did not catch up to " << pos;
}

void SandboxTest::SetUp() {
  const char* require = std::getenv("SHADOWALTER_REQUIRE_SANDBOX");
  if (!ReadSandboxEnv()) {
    if (require && std::string(require) == "1") {
      FAIL() << "the sandbox is required (SHADOWALTER_REQUIRE_SANDBOX=1) but not configured";
    }
    GTEST_SKIP() << "no sandbox: run scripts/test.sh, or eval \"$(scripts/sandbox.sh env)\"";
  }
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string("it_") + info->test_suite_name() + "_" + info->name();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  schema_ = name.substr(0, 60);
  auto admin = ConnectPrimary();
  ASSERT_TRUE(admin);
  Exec(*admin, "DROP DATABASE IF EXISTS " + QuoteIdentifier(schema_));
  Exec(*admin, "CREATE DATABASE " + QuoteIdentifier(schema_) + " CHARACTER SET utf8mb4");
  db_ = ConnectPrimary(schema_);
  ASSERT_TRUE(db_);
}

void SandboxTest::TearDown() {
  if (schema_.empty() || HasFailure()) return;  // keep the schema of a failed test to look at
  auto admin = ConnectPrimary();
  if (admin) (void)admin->Execute("DROP DATABASE IF EXISTS " + QuoteIdentifier(schema_));
}

bool WaitUntil(const std::function<bool()>& condition, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

bool TableExists(Session& s, const std::string& table) {
  return Scalar(s,
                "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                "DATABASE() AND TABLE_NAME = " +
                    QuoteString(table)) == "1";
}

std::string ReadFileText(const std::string& path) { return ReadFile(path); }

std::vector<std::string> ErrorLines(const std::string& err) {
  std::vector<std::string> out;
  std::istringstream in(err);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("shadowalter: ", 0) == 0 ||
        line.find(" shadowalter error: ") != std::string::npos) {
      out.push_back(line);
    }
  }
  return out;
}

std::vector<std::string> Leftovers(Session& s, const std::string& schema) {
  std::vector<std::string> out;
  for (const auto& t :
       Rows(s, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
                   QuoteString(schema) + " AND (TABLE_NAME LIKE '\\_%' )")) {
    out.push_back("table " + t);
  }
  for (const auto& t :
       Rows(s, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = " +
                   QuoteString(schema))) {
    out.push_back("trigger " + t);
  }
  return out;
}

}  // namespace shadowalter::testing
