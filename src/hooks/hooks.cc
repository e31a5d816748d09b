#include "hooks/hooks.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

#include "report/log.h"

extern char** environ;

namespace shadowalter {
namespace {

// The child's environment: ours without the password, with the caller's variables on top.
std::vector<std::string> ChildEnvironment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string entry = *e;
    const std::string name = entry.substr(0, entry.find('='));
    if (name == "MYSQL_PWD" || extra.count(name) != 0) continue;
    env.push_back(entry);
  }
  for (const auto& [name, value] : extra) env.push_back(name + "=" + value);
  return env;
}

std::string Describe(int wait_status) {
  if (WIFEXITED(wait_status)) return "exit status " + std::to_string(WEXITSTATUS(wait_status));
  if (WIFSIGNALED(wait_status)) {
    return std::string("killed by signal ") + std::to_string(WTERMSIG(wait_status)) + " (" +
           strsignal(WTERMSIG(wait_status)) + ")";
  }
  return "ended with wait status " + std::to_string(wait_status);
}

// Logs complete lines from `pending`, keeping a partial last line for later.
void LogLines(const std::string& hook, std::string& pending, bool flush) {
  for (size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
    LogInfo("hook " + hook + ": " + pending.substr(0, nl));
    pending.erase(0, nl + 1);
  }
  if (flush && !pending.empty()) {
    LogInfo("hook " + hook + ": " + pending);
    pending.clear();
  }
}

// Whether `path` is a hook to run: a missing one is silently skipped, one that is not an
// executable file is skipped with a warning.
bool IsRunnable(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return false;  // no such hook: nothing to run
  if (!S_ISREG(st.st_mode) || access(path.c_str(), X_OK) != 0) {
    LogWarning("hook " + path + " is not an executable file; skipped");
    return false;
  }
  return true;
}

// A started hook: its process (the leader of its own group) and what it has written so far.
struct HookProcess {
  pid_t pid = -1;
  int out = -1;           // read end of the pipe holding its stdout and stderr
  bool open_pipe = true;  // false once the pipe reached its end or failed
  std::string pending;    // output not yet logged: a partial last line
  int wait_status = 0;
};

// The child's side of the fork: only async-signal-safe calls from here to execve.
[[noreturn]] void ExecHook(char* const argv[], char* const envp[], int out_write) {
  setpgid(0, 0);
  const int devnull = open("/dev/null", O_RDONLY);
  if (devnull >= 0) dup2(devnull, STDIN_FILENO);
  dup2(out_write, STDOUT_FILENO);
  dup2(out_write, STDERR_FILENO);
  // Our stop handlers must not run in the hook; it gets the default dispositions.
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  signal(SIGHUP, SIG_DFL);
  signal(SIGPIPE, SIG_DFL);
  execve(argv[0], argv, envp);
  _exit(127);
}

// Forks and executes hook `name` (the file `path`) in a process group of its own, its output on
// a pipe.
StatusOr<HookProcess> StartHook(const std::string& name, const std::string& path,
                                const std::map<std::string, std::string>& env) {
  // Everything the child needs is built before fork: after it, only async-signal-safe calls.
  std::vector<std::string> env_strings = ChildEnvironment(env);
  std::vector<char*> envp;
  for (std::string& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string path_copy = path;
  char* argv[] = {path_copy.data(), nullptr};

  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) {
    return Status(Code::kHook,
                  "hook " + name + ": can't make a pipe (" + std::strerror(errno) + ")");
  }
  LogInfo("running hook " + path);
  const pid_t pid = fork();
  if (pid < 0) {
    close(out[0]);
    close(out[1]);
    return Status(Code::kHook, "hook " + name + ": can't fork (" + std::strerror(errno) + ")");
  }
  if (pid == 0) ExecHook(argv, envp.data(), out[1]);
  setpgid(pid, pid);  // also here: whichever runs first, the group exists before any kill
  close(out[1]);
  HookProcess hook;
  hook.pid = pid;
  hook.out = out[0];
  return hook;
}

// Reads what the hook writes within the next 100 ms and logs its complete lines; once the pipe
// is closed, just sleeps 50 ms.
void ReadOutput(const std::string& name, HookProcess& hook) {
  if (!hook.open_pipe) {
    usleep(50 * 1000);
    return;
  }
  pollfd p{hook.out, POLLIN, 0};
  if (poll(&p, 1, 100) <= 0) return;
  char buf[4096];
  const ssize_t n = read(hook.out, buf, sizeof buf);
  if (n > 0) {
    hook.pending.append(buf, static_cast<size_t>(n));
    LogLines(name, hook.pending, false);
  } else if (n == 0 || errno != EINTR) {
    hook.open_pipe = false;
  }
}

// Logs the hook's output until it ends. Kills its process group when `stop` (null: none) is
// requested or it runs longer than `timeout_seconds`; returns why it was killed, else "".
std::string AwaitHook(const std::string& name, HookProcess& hook, const StopFlag* stop,
                      double timeout_seconds) {
  const auto start = std::chrono::steady_clock::now();
  std::string killed_why;
  for (;;) {
    ReadOutput(name, hook);
    const pid_t done = waitpid(hook.pid, &hook.wait_status, WNOHANG);
    if (done == hook.pid) return killed_why;
    if (!killed_why.empty()) continue;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (stop != nullptr && stop->requested()) {
      killed_why = "stopped by " + stop->Describe();
    } else if (elapsed > timeout_seconds) {
      killed_why =
          "still running after " + std::to_string(static_cast<int>(timeout_seconds)) + " s, killed";
    }
    if (!killed_why.empty()) kill(-hook.pid, SIGKILL);
  }
}

// Logs whatever the hook wrote last and closes the pipe; a background child still holding the
// pipe is not waited for.
void DrainOutput(const std::string& name, HookProcess& hook) {
  for (;;) {
    pollfd p{hook.out, POLLIN, 0};
    if (!hook.open_pipe || poll(&p, 1, 0) <= 0) break;
    char buf[4096];
    const ssize_t n = read(hook.out, buf, sizeof buf);
    if (n <= 0) break;
    hook.pending.append(buf, static_cast<size_t>(n));
  }
  LogLines(name, hook.pending, true);
  close(hook.out);
}

}  // namespace

Status Hooks::Run(const std::string& name, const std::map<std::string, std::string>& env,
                  bool stoppable) const {
  if (dir_.empty()) return Status::Ok();
  const std::string path = dir_ + "/" + name;
  if (!IsRunnable(path)) return Status::Ok();
  SA_ASSIGN_OR_RETURN(HookProcess hook, StartHook(name, path, env));
  const std::string killed_why =
      AwaitHook(name, hook, stoppable ? &stop_ : nullptr, timeout_seconds_);
  DrainOutput(name, hook);

  if (!killed_why.empty()) {
    if (stoppable && stop_.requested()) return AbortedError("hook " + name + ": " + killed_why);
    return Status(Code::kHook, "hook " + name + " " + killed_why);
  }
  if (WIFEXITED(hook.wait_status) && WEXITSTATUS(hook.wait_status) == 0) return Status::Ok();
  return Status(Code::kHook, "hook " + name + " failed (" + Describe(hook.wait_status) + ")");
}

}  // namespace shadowalter
