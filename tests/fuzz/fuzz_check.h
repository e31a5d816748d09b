// Shared by the libFuzzer targets: an invariant that does not hold is a finding, reported with
// what was expected and aborted on, so libFuzzer keeps the input (crash-<sha1>).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#define FUZZ_CHECK(condition, detail)                                                             \
  do {                                                                                            \
    if (!(condition)) {                                                                           \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n  %s\n", __FILE__, __LINE__, #condition, \
                   shadowalter::fuzz::Printable(detail).c_str());                                 \
      std::abort();                                                                               \
    }                                                                                             \
  } while (0)

namespace shadowalter::fuzz {

// `text` with control bytes and bytes >= 0x7F as \xNN, so a report shows every byte.
inline std::string Printable(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : text) {
    if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

// How often `needle` occurs in `haystack` (overlapping occurrences count).
inline size_t Occurrences(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return 0;
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string_view::npos;
       at = haystack.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

}  // namespace shadowalter::fuzz
