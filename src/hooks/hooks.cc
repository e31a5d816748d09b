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

}  // namespace

Status Hooks::Run(const std::string& name, const std::map<std::string, std::string>& env,
                  bool stoppable) const {
  if (dir_.empty()) return Status::Ok();
  const std::string path = dir_ + "/" + name;
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return Status::Ok();  // no such hook: nothing to run
  if (!S_ISREG(st.st_mode) || access(path.c_str(), X_OK) != 0) {
    LogWarning("hook " + path + " is not an executable file; skipped");
    return Status::Ok();
  }

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
  if (pid == 0) {
    setpgid(0, 0);
    const int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    dup2(out[1], STDOUT_FILENO);
    dup2(out[1], STDERR_FILENO);
    // Our stop handlers must not run in the hook; it gets the default dispositions.
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    execve(path_copy.c_str(), argv, envp.data());
    _exit(127);
  }
  setpgid(pid, pid);  // also here: whichever runs first, the group exists before any kill
  close(out[1]);

  const auto start = std::chrono::steady_clock::now();
  std::string pending;
  bool open_pipe = true;
  std::string killed_why;
  int wait_status = 0;
  for (;;) {
    if (open_pipe) {
      pollfd p{out[0], POLLIN, 0};
      if (poll(&p, 1, 100) > 0) {
        char buf[4096];
        const ssize_t n = read(out[0], buf, sizeof buf);
        if (n > 0) {
          pending.append(buf, static_cast<size_t>(n));
          LogLines(name, pending, false);
        } else if (n == 0 || errno != EINTR) {
          open_pipe = false;
        }
      }
    } else {
      usleep(50 * 1000);
    }
    const pid_t done = waitpid(pid, &wait_status, WNOHANG);
    if (done == pid) break;
    if (!killed_why.empty()) continue;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (stoppable && stop_.requested()) {
      killed_why = "stopped by " + stop_.Describe();
    } else if (elapsed > timeout_seconds_) {
      killed_why = "still running after " + std::to_string(static_cast<int>(timeout_seconds_)) +
                   " s, killed";
    }
    if (!killed_why.empty()) kill(-pid, SIGKILL);
  }
  // Whatever the hook wrote last; a background child still holding the pipe is not waited for.
  for (;;) {
    pollfd p{out[0], POLLIN, 0};
    if (!open_pipe || poll(&p, 1, 0) <= 0) break;
    char buf[4096];
    const ssize_t n = read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    pending.append(buf, static_cast<size_t>(n));
  }
  LogLines(name, pending, true);
  close(out[0]);

  if (!killed_why.empty()) {
    if (stoppable && stop_.requested()) return AbortedError("hook " + name + ": " + killed_why);
    return Status(Code::kHook, "hook " + name + " " + killed_why);
  }
  if (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0) return Status::Ok();
  return Status(Code::kHook, "hook " + name + " failed (" + Describe(wait_status) + ")");
}

}  // namespace shadowalter
