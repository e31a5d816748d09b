#include "util/crash_point.h"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace shadowalter {
namespace {

// The number after "name:" when `spec` ("name" or "name:N") names this point, `fallback` when it
// names it without a number, nullopt when it names another point or is unset.
std::optional<unsigned long> PointArgument(const char* spec, const char* name,
                                           unsigned long fallback) {
  if (spec == nullptr) return std::nullopt;
  const std::string text(spec);
  const size_t colon = text.find(':');
  if (text.compare(0, colon, name) != 0) return std::nullopt;
  if (colon == std::string::npos) return fallback;
  return std::strtoul(text.c_str() + colon + 1, nullptr, 10);
}

}  // namespace

void CrashPoint(const char* name) {
  static const char* const wanted = std::getenv("SHADOWALTER_CRASH_AT");
  const std::optional<unsigned long> nth = PointArgument(wanted, name, 1);
  if (!nth) return;
  static std::mutex mu;
  static std::map<std::string, unsigned long> seen;
  std::lock_guard<std::mutex> lock(mu);
  if (++seen[name] == *nth) std::raise(SIGKILL);
}

void DelayPoint(const char* name) {
  static const char* const wanted = std::getenv("SHADOWALTER_DELAY_AT");
  const std::optional<unsigned long> ms = PointArgument(wanted, name, 0);
  if (ms && *ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(*ms));
}

}  // namespace shadowalter
