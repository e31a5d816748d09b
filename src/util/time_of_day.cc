#include "util/time_of_day.h"

#include <cctype>
#include <cstdio>

namespace shadowalter {
namespace {

// Minutes since midnight of `now` in the zone `utc` selects.
int MinuteOfDay(std::time_t now, bool utc, int* second) {
  std::tm tm{};
  if (utc) {
    gmtime_r(&now, &tm);
  } else {
    localtime_r(&now, &tm);
  }
  *second = tm.tm_sec;
  return tm.tm_hour * 60 + tm.tm_min;
}

}  // namespace

std::optional<double> ParseDuration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  bool all_digits = true;
  for (char c : text) all_digits &= std::isdigit(static_cast<unsigned char>(c)) != 0;
  if (all_digits) {
    if (text.size() > 9) return std::nullopt;
    const double seconds = std::stod(std::string(text));
    if (seconds <= 0) return std::nullopt;
    return seconds;
  }
  static constexpr struct {
    char unit;
    double seconds;
  } kUnits[] = {{'h', 3600}, {'m', 60}, {'s', 1}};
  double total = 0;
  size_t next_unit = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t digits = 0;
    long long n = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      if (++digits > 6) return std::nullopt;
      n = n * 10 + (text[i] - '0');
      ++i;
    }
    if (digits == 0 || i == text.size()) return std::nullopt;
    const char unit = text[i++];
    while (next_unit < 3 && kUnits[next_unit].unit != unit) ++next_unit;
    if (next_unit == 3) return std::nullopt;  // unknown, repeated or out of order
    total += static_cast<double>(n) * kUnits[next_unit].seconds;
    ++next_unit;
  }
  if (total <= 0) return std::nullopt;
  return total;
}

std::optional<ClockTime> ParseClockTime(std::string_view text) {
  ClockTime t;
  if (!text.empty() && (text.back() == 'Z' || text.back() == 'z')) {
    t.utc = true;
    text.remove_suffix(1);
  }
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (size_t i : {0u, 1u, 3u, 4u}) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
  }
  t.hour = (text[0] - '0') * 10 + (text[1] - '0');
  t.minute = (text[3] - '0') * 10 + (text[4] - '0');
  if (t.hour > 23 || t.minute > 59) return std::nullopt;
  return t;
}

std::string ToString(const ClockTime& t) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d%s", t.hour, t.minute, t.utc ? "Z" : "");
  return buf;
}

std::optional<ClockWindow> ParseClockWindow(std::string_view text) {
  const size_t dash = text.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  std::optional<ClockTime> from = ParseClockTime(text.substr(0, dash));
  std::optional<ClockTime> to = ParseClockTime(text.substr(dash + 1));
  if (!from || !to || from->utc != to->utc) return std::nullopt;
  if (from->hour == to->hour && from->minute == to->minute) return std::nullopt;  // empty
  return ClockWindow{*from, *to};
}

std::string ToString(const ClockWindow& w) {
  // One Z for the pair, after each time: "01:00Z-05:00Z".
  return ToString(w.from) + "-" + ToString(w.to);
}

double SecondsUntil(const ClockTime& t, std::time_t now) {
  int second = 0;
  const int minute = MinuteOfDay(now, t.utc, &second);
  const int target = t.hour * 60 + t.minute;
  int minutes = target - minute;
  double seconds = minutes * 60.0 - second;
  if (seconds <= 0) seconds += 86400;
  return seconds;
}

bool InWindow(const ClockWindow& w, std::time_t now) {
  int second = 0;
  const int m = MinuteOfDay(now, w.from.utc, &second);
  const int from = w.from.hour * 60 + w.from.minute;
  const int to = w.to.hour * 60 + w.to.minute;
  if (from < to) return m >= from && m < to;
  return m >= from || m < to;  // spans midnight
}

std::optional<double> SecondsToWaitForWindow(const ClockWindow& w, std::time_t now,
                                             std::optional<double> seconds_left) {
  if (InWindow(w, now)) return 0.0;
  const double opens_in = SecondsUntil(w.from, now);
  if (!seconds_left || opens_in >= *seconds_left) return std::nullopt;
  return opens_in;
}

}  // namespace shadowalter
