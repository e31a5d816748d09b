#include "report/run_status.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <sstream>

#include "report/events.h"
#include "report/json_fields.h"

namespace shadowalter {
namespace {

std::string Ago(int64_t seconds) {
  if (seconds < 0) return "";
  if (seconds < 120) return " (" + std::to_string(seconds) + " s ago)";
  if (seconds < 7200) return " (" + std::to_string(seconds / 60) + " min ago)";
  return " (" + std::to_string(seconds / 3600) + " h ago)";
}

std::string Intact(const std::optional<bool>& intact) {
  if (!intact) return "";
  return *intact ? ", unchanged" : ", CHANGED since the run made it";
}

}  // namespace

std::string FormatRunStatusText(const RunStatusView& v) {
  std::ostringstream out;
  const std::string table = "`" + v.schema + "`.`" + v.table + "`";
  if (v.state == "none") {
    out << table << ": no run on record and nothing left behind\n";
    return out.str();
  }
  out << table << ": ";
  if (v.state == "running") {
    out << "a run is working on it now (connection " << v.running_connection.value_or(0) << ")\n";
  } else if (v.state == "leftovers") {
    out << "artifacts without a checkpoint (an older or interrupted run)\n";
  } else if (v.state == "revertible" && v.phase == "reverting") {
    out << "a revert stopped part way (see next)\n";
  } else if (v.state == "revertible") {
    out << "swapped, revertible: the old table is kept for `revert` or `finish`\n";
  } else {
    out << "stopped run" << (v.note.empty() ? "" : " (" + v.note + ")") << "\n";
  }
  if (!v.run_id.empty()) out << "  run id:        " << v.run_id << "\n";
  if (!v.phase.empty()) {
    out << "  ALTER:         " << v.alter << "\n"
        << "  started:       " << v.started_at << " UTC by " << v.started_by << "\n"
        << "  phase:         " << v.phase << (v.swapped ? " (the tables are swapped)" : "") << "\n"
        << "  position:      " << v.position << "; " << v.rows_copied << " of ~" << v.rows_estimated
        << " rows copied";
    if (v.rows_estimated > 0) {
      const uint64_t pct = std::min<uint64_t>(100, v.rows_copied * 100 / v.rows_estimated);
      out << " (" << pct << "%)";
    }
    out << "\n  last advanced: " << v.advanced_at << " UTC" << Ago(v.seconds_since_advanced)
        << "\n";
  }
  if (v.state != "revertible") {
    out << "  triggers:      " << v.triggers_present << " of 3 present" << Intact(v.triggers_intact)
        << "\n";
  }
  if (v.new_table_intact) {
    out << "  new table:     present" << Intact(v.new_table_intact) << "\n";
  }
  if (!v.own_triggers_saved.empty()) {
    out << "  own triggers:  " << v.own_triggers_saved.size() << " saved in the checkpoint, ";
    if (v.own_triggers_missing.empty()) {
      out << "all on the table";
    } else {
      out << v.own_triggers_missing.size() << " MISSING from the table (";
      for (size_t i = 0; i < v.own_triggers_missing.size(); ++i) {
        out << (i ? ", " : "") << "`" << v.own_triggers_missing[i] << "`";
      }
      out << ")";
    }
    out << "\n";
    for (const std::string& t : v.own_triggers_saved) out << "                 " << t << "\n";
  }
  out << "  on the server: ";
  for (size_t i = 0; i < v.artifacts.size(); ++i) out << (i ? ", " : "") << v.artifacts[i];
  out << "\n";
  if (!v.next.empty()) out << "  next:          " << v.next << "\n";
  return out.str();
}

std::string FormatRunStatusJson(const RunStatusView& v) {
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  auto str = [&](const char* key, const std::string& value) { json::String(w, key, value); };
  auto optional_bool = [&](const char* key, const std::optional<bool>& value) {
    w.Key(key);
    if (value) {
      w.Bool(*value);
    } else {
      w.Null();
    }
  };
  w.StartObject();
  str("ts", Rfc3339Utc(std::chrono::system_clock::now()));
  str("event", "status");
  w.Key("schema_version");
  w.Int(kEventSchemaVersion);
  str("version", SHADOWALTER_VERSION);
  str("schema", v.schema);
  str("table", v.table);
  str("state", v.state);
  str("verdict", VerdictName(VerdictOf(v)));
  w.Key("running_connection");
  if (v.running_connection) {
    w.Uint64(*v.running_connection);
  } else {
    w.Null();
  }
  json::StringOrNull(w, "run_id", v.run_id);
  str("alter", v.alter);
  str("phase", v.phase);
  str("position", v.position);
  w.Key("rows_copied");
  w.Uint64(v.rows_copied);
  w.Key("rows_estimated");
  w.Uint64(v.rows_estimated);
  str("started_at", v.started_at);
  str("started_by", v.started_by);
  str("advanced_at", v.advanced_at);
  w.Key("seconds_since_advanced");
  w.Int64(v.seconds_since_advanced);
  str("note", v.note);
  w.Key("triggers_present");
  w.Uint(v.triggers_present);
  optional_bool("triggers_intact", v.triggers_intact);
  optional_bool("new_table_intact", v.new_table_intact);
  w.Key("swapped");
  w.Bool(v.swapped);
  json::Strings(w, "own_triggers_saved", v.own_triggers_saved);
  json::Strings(w, "own_triggers_missing", v.own_triggers_missing);
  json::Strings(w, "artifacts", v.artifacts);
  str("next", v.next);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

RunVerdict VerdictOf(const RunStatusView& v) {
  if (v.state == "none") return RunVerdict::kNothing;
  if (v.state == "running") return RunVerdict::kRunning;
  if (v.state == "revertible") return RunVerdict::kRevertible;
  if (v.state == "stopped" && v.resumable) return RunVerdict::kResumable;
  return RunVerdict::kNeedsAPerson;
}

const char* VerdictName(RunVerdict verdict) {
  switch (verdict) {
    case RunVerdict::kNothing:
      return "nothing";
    case RunVerdict::kRunning:
      return "running";
    case RunVerdict::kResumable:
      return "resumable";
    case RunVerdict::kNeedsAPerson:
      return "needs_a_person";
    case RunVerdict::kRevertible:
      return "revertible";
  }
  return "needs_a_person";
}

}  // namespace shadowalter
