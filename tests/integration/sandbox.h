// Test access to the sandbox started by scripts/sandbox.sh: connection settings from its `env`,
// a fresh schema per test, and a helper to run the shadowalter binary.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "db/session.h"

namespace shadowalter::testing {

struct SandboxEnv {
  std::string host;
  unsigned primary_port = 0;
  unsigned replica_port = 0;
  std::string user;
  std::string password;
};

// Reads SHADOWALTER_* variables. nullopt when the sandbox is not configured.
std::optional<SandboxEnv> ReadSandboxEnv();

// Connects to the primary (or the replica); aborts the test on failure.
std::unique_ptr<Session> ConnectPrimary(const std::string& database = "");
// The sandbox user on any server of the sandbox (the cluster's nodes too) by port.
std::unique_ptr<Session> ConnectTo(unsigned port, const std::string& database = "");
std::unique_ptr<Session> ConnectReplica(const std::string& database = "");

// Runs sql, failing the test (with the SQL and error) when it fails.
void Exec(Session& s, const std::string& sql);
// First column of the first row, or "NULL".
std::string Scalar(Session& s, const std::string& sql);
// CHECKSUM TABLE's checksum of `table` (the number, not the name).
std::string TableChecksum(Session& s, const std::string& table);
// All rows, each joined with '|' (NULL as "NULL").
std::vector<std::string> Rows(Session& s, const std::string& sql);

struct RunResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs build/shadowalter with `args`, the password passed through MYSQL_PWD (extra_env
// {"MYSQL_PWD", "<unset>"} runs it without MYSQL_PWD).
RunResult RunShadowalter(const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& extra_env = {});

// Starts shadowalter in the background; returns its pid. Output goes to files read by Wait.
struct Background {
  int pid = -1;
  std::string out_path;
  std::string err_path;
};
Background StartShadowalter(const std::vector<std::string>& args);
RunResult WaitShadowalter(const Background& bg);

// Creates the file `hold`, starts shadowalter with `args` and --postpone-cutover-file `hold`
// (inserted before the last argument, the DSN), and waits until the copy is done and the swap
// is held. Returns false (the run still going) when it never got there.
bool StartHeldAtCutover(std::vector<std::string> args, const std::string& hold, Background& bg);

// Starts shadowalter with `args` and a --postpone-cutover-file of its own (inserted before the
// last argument, the DSN), runs `during` once the mirror triggers exist on `table` of `schema`,
// then lets the swap go and waits for the end. When the triggers never appear the test fails
// and `during` does not run.
RunResult RunWhileTriggersExist(std::vector<std::string> args, const std::string& schema,
                                const std::string& table, const std::function<void()>& during);

// `shadowalter WORD [extra...] DSN` for table `t` of `schema` on the sandbox primary.
std::vector<std::string> CommandArgs(const std::string& word, const std::string& schema,
                                     std::vector<std::string> extra = {});

// Whether `table` of the session's current database has a column named `column`.
bool HasColumn(Session& s, const std::string& table, const std::string& column);

// The DSN of the sandbox primary for table `table` in `schema` (no password in it).
std::string PrimaryDsn(const std::string& schema, const std::string& table);

// Waits until the replica has applied everything the primary has written so far.
void WaitForReplica();

// A test fixture giving each test its own schema, dropped at the end.
class SandboxTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  std::string schema_;
  std::unique_ptr<Session> db_;  // primary, default database = schema_
};

// Polls `condition` every 5 ms until it holds (true) or `timeout_ms` passes (false).
bool WaitUntil(const std::function<bool()>& condition, int timeout_ms = 30000);
// Whether `table` exists in the session's current database.
bool TableExists(Session& s, const std::string& table);
// A file's whole contents ("" when it can't be read).
std::string ReadFileText(const std::string& path);

// The lines of stderr that report an error: "shadowalter: ..." (command line) or the log's
// "... shadowalter error: ...".
std::vector<std::string> ErrorLines(const std::string& err);

// Triggers and tables in the schema whose names start with '_' or 'sa_' (our artifacts).
std::vector<std::string> Leftovers(Session& s, const std::string& schema);

}  // namespace shadowalter::testing
