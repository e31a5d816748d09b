// Durations and times of day for maintenance windows (--max-runtime, --stop-at,
// --cutover-window). Pure: the current time is always passed in.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace shadowalter {

// "90s", "45m", "2h", "1h30m", "1h30m15s", or a plain number of seconds ("600"). Whole units
// only, each at most once, largest first; zero is not a duration. nullopt when malformed.
std::optional<double> ParseDuration(std::string_view text);

// A time of day, HH:MM, in the machine's local time zone or (with a trailing Z) in UTC.
struct ClockTime {
  int hour = 0;
  int minute = 0;
  bool utc = false;
  bool operator==(const ClockTime&) const = default;
};
std::optional<ClockTime> ParseClockTime(std::string_view text);
std::string ToString(const ClockTime& t);

// HH:MM-HH:MM (both local, or both UTC with Z); it may span midnight (22:00-02:00). The start
// is inside the window, the end is not.
struct ClockWindow {
  ClockTime from;
  ClockTime to;
};
std::optional<ClockWindow> ParseClockWindow(std::string_view text);
std::string ToString(const ClockWindow& w);

// Seconds from `now` until the clock next shows `t`, in (0, 86400]: at exactly `t` it is a day
// away.
double SecondsUntil(const ClockTime& t, std::time_t now);

// Whether `now` is inside `w`.
bool InWindow(const ClockWindow& w, std::time_t now);

// How long a run outside `w` at `now` waits for it to open: 0 inside it; the seconds until it
// opens when that is before the run must stop (`seconds_left`, from --stop-at / --max-runtime);
// nullopt when the run has no such limit or stops first, and so parks instead.
std::optional<double> SecondsToWaitForWindow(const ClockWindow& w, std::time_t now,
                                             std::optional<double> seconds_left);

}  // namespace shadowalter
