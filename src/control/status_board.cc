#include "control/status_board.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <utility>

#include "cli/load_spec.h"

namespace shadowalter {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

// Milliseconds are plenty for a person or a script reading the status.
void Num(Writer& w, const char* key, double value) {
  w.Key(key);
  w.Double(std::round(value * 1000) / 1000);
}

void OptionalNum(Writer& w, const char* key, const std::optional<double>& value) {
  if (value) {
    Num(w, key, *value);
  } else {
    w.Key(key);
    w.Null();
  }
}

void WriteProgress(Writer& w, const std::optional<ProgressEvent>& p) {
  w.Key("progress");
  if (!p) {
    w.Null();
    return;
  }
  w.StartObject();
  Str(w, "phase", p->phase);
  w.Key("rows_copied");
  w.Uint64(p->rows_copied);
  w.Key("rows_estimated");
  w.Uint64(p->rows_estimated);
  Num(w, "percent", p->percent);
  Num(w, "rows_per_second", p->rows_per_second);
  OptionalNum(w, "eta_seconds", p->eta_seconds);
  w.Key("chunk_size");
  w.Uint64(p->chunk_size);
  w.Key("transaction_rows");
  w.Uint64(p->transaction_rows);
  OptionalNum(w, "max_replica_lag_seconds", p->max_replica_lag_seconds);
  w.Key("position");
  if (p->position.empty()) {
    w.Null();
  } else {
    w.StartArray();
    for (const std::string& v : p->position) {
      const std::string shown = StatusBoard::ShowKeyValue(v);
      w.String(shown.c_str(), static_cast<rapidjson::SizeType>(shown.size()));
    }
    w.EndArray();
  }
  w.EndObject();
}

void WriteSettings(Writer& w, const Tuning& t) {
  w.Key("settings");
  w.StartObject();
  Num(w, "chunk_time", t.chunk_time);
  w.Key("chunk_size");
  w.Uint64(t.chunk_size);
  w.Key("chunk_size_pinned");
  w.Bool(t.chunk_size_fixed);
  Num(w, "max_lag", t.max_lag);
  Str(w, "max_load", FormatLoadSpec(t.max_load));
  Str(w, "critical_load", FormatLoadSpec(t.critical_load));
  w.EndObject();
}

}  // namespace

StatusBoard::StatusBoard(std::string schema, std::string table, std::string run_id,
                         const LiveSettings& live, const StopFlag& stop, bool postponable)
    : schema_(std::move(schema)),
      table_(std::move(table)),
      live_(live),
      stop_(stop),
      postponable_(postponable),
      run_id_(std::move(run_id)) {}

void StatusBoard::SettleRunId(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  run_id_ = id;
}

void StatusBoard::Phase(const std::string& phase, const std::string&) {
  std::lock_guard<std::mutex> lock(mu_);
  phase_ = phase;
}

void StatusBoard::Tick(const ProgressEvent& progress) {
  std::lock_guard<std::mutex> lock(mu_);
  progress_ = progress;
}

void StatusBoard::ThrottleStart(const std::string& kind, const std::string& reason) {
  std::lock_guard<std::mutex> lock(mu_);
  throttle_kind_ = kind;
  throttle_reason_ = reason;
  throttled_since_ = Clock::now();
}

void StatusBoard::ThrottleEnd(const std::string&, double) {
  std::lock_guard<std::mutex> lock(mu_);
  throttle_kind_.clear();
  throttle_reason_.clear();
}

void StatusBoard::Warning(const std::string&) {
  std::lock_guard<std::mutex> lock(mu_);
  ++warnings_;
}

void StatusBoard::Done(const DoneEvent& done) {
  std::lock_guard<std::mutex> lock(mu_);
  outcome_ = done.status;
}

std::string StatusBoard::ShowKeyValue(const std::string& value) {
  bool printable = true;
  for (unsigned char c : value) printable = printable && c >= 0x20 && c < 0x7f;
  if (printable) return value;
  static const char kHex[] = "0123456789abcdef";
  std::string hex = "0x";
  for (unsigned char c : value) {
    hex += kHex[c >> 4];
    hex += kHex[c & 15];
  }
  return hex;
}

std::string StatusBoard::Json() const {
  const Tuning tuning = live_.tuning();
  const auto now = Clock::now();
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  std::lock_guard<std::mutex> lock(mu_);
  w.StartObject();
  Str(w, "ts", Rfc3339Utc(std::chrono::system_clock::now()));
  Str(w, "event", "control_status");
  w.Key("schema_version");
  w.Int(kEventSchemaVersion);
  Str(w, "version", SHADOWALTER_VERSION);
  Str(w, "schema", schema_);
  Str(w, "table", table_);
  Str(w, "run_id", run_id_);
  Str(w, "phase", phase_);
  Num(w, "elapsed_seconds", std::chrono::duration<double>(now - started_).count());
  WriteProgress(w, progress_);
  w.Key("throttle");
  if (throttle_kind_.empty()) {
    w.Null();
  } else {
    w.StartObject();
    Str(w, "kind", throttle_kind_);
    Str(w, "reason", throttle_reason_);
    Num(w, "seconds", std::chrono::duration<double>(now - throttled_since_).count());
    w.EndObject();
  }
  w.Key("paused_by_hand");
  w.Bool(live_.paused());
  w.Key("stop_requested");
  if (stop_.requested()) {
    const std::string why = stop_.Describe();
    w.String(why.c_str(), static_cast<rapidjson::SizeType>(why.size()));
  } else {
    w.Null();
  }
  Str(w, "cutover",
      !postponable_              ? "immediate"
      : live_.cutover_released() ? "released"
                                 : "postpone_file");
  w.Key("warnings");
  w.Uint64(warnings_);
  w.Key("outcome");
  if (outcome_.empty()) {
    w.Null();
  } else {
    w.String(outcome_.c_str(), static_cast<rapidjson::SizeType>(outcome_.size()));
  }
  WriteSettings(w, tuning);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace shadowalter
