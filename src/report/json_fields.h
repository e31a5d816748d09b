// Writing one field of a JSON object, the same way in every object shadowalter prints (the
// events, the `status` object, the control socket's status): numbers rounded to milliseconds,
// NaN and infinity as null (JSON has neither), absent values as null.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace shadowalter::json {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

inline void String(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

// `value`, or null when it is empty.
inline void StringOrNull(Writer& w, const char* key, const std::string& value) {
  if (!value.empty()) return String(w, key, value);
  w.Key(key);
  w.Null();
}

inline void Strings(Writer& w, const char* key, const std::vector<std::string>& values) {
  w.Key(key);
  w.StartArray();
  for (const std::string& v : values) {
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  }
  w.EndArray();
}

// Seconds and rates with millisecond precision: enough for a dashboard, short on the wire.
inline void Number(Writer& w, const char* key, double value) {
  w.Key(key);
  if (!std::isfinite(value)) {
    w.Null();
    return;
  }
  w.Double(std::round(value * 1000) / 1000);
}

inline void OptionalNumber(Writer& w, const char* key, const std::optional<double>& value) {
  if (value) return Number(w, key, *value);
  w.Key(key);
  w.Null();
}

inline void Unsigned(Writer& w, const char* key, uint64_t value) {
  w.Key(key);
  w.Uint64(value);
}

}  // namespace shadowalter::json
