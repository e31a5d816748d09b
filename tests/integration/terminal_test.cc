// What an operator sees: on a terminal, one status line redrawn in place; without one, plain
// progress lines. The terminal is a real pseudo-terminal, made by script(1).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "sandbox.h"

namespace shadowalter::testing {
namespace {

class TerminalTest : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(40) NOT NULL)");
    Exec(*db_, "INSERT INTO t SELECT seq, REPEAT('x', 40) FROM seq_1_to_30000");
    pause_ = "/tmp/sa_terminal_pause_" + schema_;
  }
  // Arguments of a run that pauses on the pause file first, then copies in small chunks.
  std::vector<std::string> Args() {
    return {"--alter",
            "ADD COLUMN w INT",
            "--execute",
            "--no-attempt-instant",
            "--chunk-size",
            "200",
            "--progress-interval",
            "0.2",
            "--pause-file",
            pause_,
            PrimaryDsn(schema_, "t")};
  }
  // Creates the pause file and removes it after a while, so the run shows a pause, then copies.
  std::thread HoldTheCopyBriefly() {
    { std::ofstream(pause_) << "pause"; }
    return std::thread([this] {
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      std::remove(pause_.c_str());
    });
  }
  std::string pause_;
};

TEST_F(TerminalTest, OnATerminalOneStatusLineIsRedrawnInPlace) {
  const std::string typescript = "/tmp/sa_terminal_" + schema_ + ".txt";
  std::string command = SHADOWALTER_BINARY;
  for (const std::string& a : Args()) command += " '" + a + "'";
  auto env = ReadSandboxEnv();
  setenv("MYSQL_PWD", env->password.c_str(), 1);
  std::thread release = HoldTheCopyBriefly();
  const int rc =
      std::system(("script -qfec \"" + command + "\" " + typescript + " >/dev/null").c_str());
  release.join();
  const std::string screen = ReadFileText(typescript);
  std::remove(typescript.c_str());
  ASSERT_EQ(rc, 0) << screen;
  // The line is redrawn in place (carriage return, erase to the end of the line), shows the
  // copy's numbers, and says why it waits.
  const std::string redraw = "\r\x1b[Kcopy ";
  const size_t line = screen.rfind(redraw);
  ASSERT_NE(line, std::string::npos) << screen;
  const size_t from = line + 4;
  const std::string last = screen.substr(from, screen.find_first_of("\r\n", from) - from);
  for (const char* part : {"%", "rows/s", "chunk "}) {
    EXPECT_NE(last.find(part), std::string::npos) << part << " missing in: " << last;
  }
  // (Cut to the terminal's width, so only the start of the reason is sure to be there.)
  EXPECT_NE(screen.find("copy | paused: pause file /tmp/sa_terminal_pause_"), std::string::npos)
      << screen;
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t"), "30000");
}

TEST_F(TerminalTest, WithoutATerminalProgressComesAsPlainLogLines) {
  std::thread release = HoldTheCopyBriefly();
  RunResult r = RunShadowalter(Args());
  release.join();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find('\r'), std::string::npos) << "no redrawn line without a terminal";
  EXPECT_NE(r.err.find("shadowalter info: copy: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" rows/s"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace shadowalter::testing
