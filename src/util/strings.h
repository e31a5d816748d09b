// Small string helpers shared by the SQL builders.
#pragma once

#include <cctype>
#include <cstdio>
#include <string>
#include <vector>

namespace shadowalter {

inline std::string Join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

// The parts of `s` between each `sep` (empty parts kept: "a,,b" is {"a", "", "b"}; "" is {""}).
inline std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> parts(1);
  for (char c : s) {
    if (c == sep) {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  return parts;
}

// A plain decimal number: an optional sign, digits, at most one '.', and at least one digit
// ("12", "-1", "0.5"; not "1e5", "0x1F", "." or ""). Safe to put into SQL unquoted.
inline bool IsPlainNumber(const std::string& v) {
  size_t i = (!v.empty() && (v[0] == '-' || v[0] == '+')) ? 1 : 0;
  bool digit = false, dot = false;
  for (; i < v.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(v[i]))) {
      digit = true;
    } else if (v[i] == '.' && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  return digit;
}

// `s` on one line: each line break (\r\n, \n or \r) becomes the two characters \n, so a
// message quoting user text (an ALTER, a DSN value) stays one line of the log.
inline std::string OneLine(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r' || s[i] == '\n') {
      out += "\\n";
      if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

inline std::string AsciiLower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A number in at most three significant digits, for log lines ("0.736", "25", "1.2e+03").
inline std::string ShortNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

}  // namespace shadowalter
