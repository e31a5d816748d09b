// --hook-dir: the operator's executables, run at fixed points of a run so that a cron job or a
// deploy pipeline can notify, check or veto without parsing the log.
//
// A hook is the file DIR/<name> (startup, validated, before-copy, before-cutover, success,
// failure). A missing one is skipped; one that exists but is not executable is a warning. It
// runs with the tool's environment minus MYSQL_PWD (a hook has no business with the password)
// plus the SHADOWALTER_* variables the caller gives; its stdout and stderr go to the log, line by
// line. The wait is bounded: a hook still running after kHookTimeoutSeconds, or when a stop is
// requested, is killed (its whole process group) and counts as failed.
//
// fork/exec rather than posix_spawn: the child needs its own process group (so the kill reaches
// whatever it started) and its output on a pipe, both plain with fork.
#pragma once

#include <map>
#include <string>

#include "util/status.h"
#include "util/stop_flag.h"

namespace shadowalter {

constexpr double kHookTimeoutSeconds = 300;

class Hooks {
 public:
  // `dir` empty: no hooks; every Run is a no-op.
  Hooks(std::string dir, const StopFlag& stop, double timeout_seconds = kHookTimeoutSeconds)
      : dir_(std::move(dir)), stop_(stop), timeout_seconds_(timeout_seconds) {}

  // Runs hook `name` with `env` added to its environment. Ok when it exits 0, or is missing or
  // not executable; else Code::kHook naming the hook and how it ended (exit status, signal,
  // timeout), or kAborted when a stop was requested while it ran. With `stoppable` false a stop
  // request does not cut the hook short (only the timeout does): the success and failure hooks
  // run after the stop has been dealt with, and must still get to report it.
  Status Run(const std::string& name, const std::map<std::string, std::string>& env,
             bool stoppable = true) const;

 private:
  std::string dir_;
  const StopFlag& stop_;
  double timeout_seconds_;
};

}  // namespace shadowalter
