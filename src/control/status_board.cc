#include "control/status_board.h"

#include <utility>

#include "cli/load_spec.h"
#include "report/json_fields.h"

namespace shadowalter {
namespace {

using json::Number;
using json::OptionalNumber;
using json::String;
using json::StringOrNull;
using json::Unsigned;
using json::Writer;

void WriteProgress(Writer& w, const std::optional<ProgressEvent>& p) {
  w.Key("progress");
  if (!p) {
    w.Null();
    return;
  }
  w.StartObject();
  String(w, "phase", p->phase);
  Unsigned(w, "rows_copied", p->rows_copied);
  Unsigned(w, "rows_estimated", p->rows_estimated);
  Number(w, "percent", p->percent);
  Number(w, "rows_per_second", p->rows_per_second);
  OptionalNumber(w, "eta_seconds", p->eta_seconds);
  Unsigned(w, "chunk_size", p->chunk_size);
  Unsigned(w, "transaction_rows", p->transaction_rows);
  OptionalNumber(w, "max_replica_lag_seconds", p->max_replica_lag_seconds);
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
  Number(w, "chunk_time", t.chunk_time);
  Unsigned(w, "chunk_size", t.chunk_size);
  w.Key("chunk_size_pinned");
  w.Bool(t.chunk_size_fixed);
  Number(w, "max_lag", t.max_lag);
  String(w, "max_load", FormatLoadSpec(t.max_load));
  String(w, "critical_load", FormatLoadSpec(t.critical_load));
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
  String(w, "ts", Rfc3339Utc(std::chrono::system_clock::now()));
  String(w, "event", "control_status");
  w.Key("schema_version");
  w.Int(kEventSchemaVersion);
  String(w, "version", SHADOWALTER_VERSION);
  String(w, "schema", schema_);
  String(w, "table", table_);
  String(w, "run_id", run_id_);
  String(w, "phase", phase_);
  Number(w, "elapsed_seconds", std::chrono::duration<double>(now - started_).count());
  WriteProgress(w, progress_);
  w.Key("throttle");
  if (throttle_kind_.empty()) {
    w.Null();
  } else {
    w.StartObject();
    String(w, "kind", throttle_kind_);
    String(w, "reason", throttle_reason_);
    Number(w, "seconds", std::chrono::duration<double>(now - throttled_since_).count());
    w.EndObject();
  }
  w.Key("paused_by_hand");
  w.Bool(live_.paused());
  StringOrNull(w, "stop_requested", stop_.Describe());  // "" when no stop was requested
  String(w, "cutover",
         !postponable_              ? "immediate"
         : live_.cutover_released() ? "released"
                                    : "postpone_file");
  Unsigned(w, "warnings", warnings_);
  StringOrNull(w, "outcome", outcome_);
  WriteSettings(w, tuning);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace shadowalter
