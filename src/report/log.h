// Logging for the whole tool. Boost.Log is confined to report/: everything else calls these.
// Messages go to stderr (and to --log-file when given) with a timestamp and a level.
#pragma once

#include <functional>
#include <string>

namespace shadowalter {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

struct LogSettings {
  LogLevel stderr_threshold = LogLevel::kInfo;  // --quiet raises it to kError
  std::string file;                             // empty: no file
};

// Sets up the sinks once, at start. Returns false (after printing why) if the file can't be opened.
bool InitLogging(const LogSettings& settings);

// Called with every warning after it is logged (from any thread), so --output json and
// --statistics see each one without every caller knowing about them. Empty: none.
void SetWarningObserver(std::function<void(const std::string&)> observer);

// A live display on stderr (the terminal's status line): `before` runs before each log record is
// written, to erase it, and `after` once the record is out, to redraw it. Empty: none.
void SetStderrGuard(std::function<void()> before, std::function<void()> after);

void Log(LogLevel level, const std::string& message);
inline void LogInfo(const std::string& m) { Log(LogLevel::kInfo, m); }
inline void LogWarning(const std::string& m) { Log(LogLevel::kWarning, m); }
inline void LogError(const std::string& m) { Log(LogLevel::kError, m); }
inline void LogDebug(const std::string& m) { Log(LogLevel::kDebug, m); }

}  // namespace shadowalter
