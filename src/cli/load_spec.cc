#include "cli/load_spec.h"

#include <cctype>
#include <charconv>
#include <cstdio>

namespace shadowalter {
namespace {

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

bool IsVariableName(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

}  // namespace

StatusOr<std::vector<LoadLimit>> ParseLoadSpec(std::string_view option, std::string_view spec) {
  const std::string where = "--" + std::string(option);
  std::vector<LoadLimit> out;
  size_t start = 0;
  while (start <= spec.size()) {
    size_t comma = spec.find(',', start);
    if (comma == std::string_view::npos) comma = spec.size();
    const std::string item = Trim(spec.substr(start, comma - start));
    const size_t eq = item.find_first_of("=:");
    LoadLimit limit;
    limit.variable = Trim(std::string_view(item).substr(0, eq));
    if (!IsVariableName(limit.variable)) {
      return UsageError("bad " + where + " item '" + item +
                        "': give STATUS_VARIABLE or STATUS_VARIABLE=NUMBER, e.g. "
                        "Threads_running=25");
    }
    if (eq != std::string::npos) {
      const std::string value = Trim(std::string_view(item).substr(eq + 1));
      double v = -1;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (value.empty() || ec != std::errc() || end != value.data() + value.size() || v < 0) {
        return UsageError("bad " + where + " value in '" + item +
                          "': give a number of at least 0, e.g. Threads_running=25");
      }
      limit.limit = v;
    }
    out.push_back(std::move(limit));
    start = comma + 1;
  }
  return out;
}

std::string FormatLoadSpec(const std::vector<LoadLimit>& limits) {
  std::string out;
  for (const LoadLimit& l : limits) {
    if (!out.empty()) out += ",";
    out += l.variable;
    if (l.limit) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%g", *l.limit);
      out += std::string("=") + buf;
    }
  }
  return out;
}

}  // namespace shadowalter
