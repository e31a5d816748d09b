// The event contract: every field the code writes into an event or the status object is listed
// in docs/events.md, in that event's section (or among the fields of every event). A field added
// without its line there fails here. And every field the document lists among the fields of every
// event is on every event.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "control/status_board.h"
#include "report/events.h"
#include "report/run_status.h"

namespace shadowalter {
namespace {

std::string Document() {
  std::ifstream in(std::string(SHADOWALTER_SOURCE_DIR) + "/docs/events.md");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The text of the section whose heading starts with `heading`, up to the next heading.
std::string Section(const std::string& doc, const std::string& heading) {
  const size_t at = doc.find("\n## " + heading);
  if (at == std::string::npos) return "";
  const size_t end = doc.find("\n## ", at + 1);
  return doc.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

// The top-level keys of each line of `jsonl`, by event.
std::map<std::string, std::set<std::string>> KeysByEvent(const std::string& jsonl) {
  std::map<std::string, std::set<std::string>> out;
  std::istringstream in(jsonl);
  for (std::string line; std::getline(in, line);) {
    rapidjson::Document d;
    d.Parse(line.c_str());
    EXPECT_FALSE(d.HasParseError()) << line;
    if (d.HasParseError()) continue;
    std::set<std::string>& keys = out[d["event"].GetString()];
    for (auto it = d.MemberBegin(); it != d.MemberEnd(); ++it) keys.insert(it->name.GetString());
    if (d.HasMember("columns") && d["columns"].IsArray()) {
      for (const auto& column : d["columns"].GetArray()) {
        for (auto it = column.MemberBegin(); it != column.MemberEnd(); ++it)
          keys.insert(it->name.GetString());
      }
    }
    for (const char* nested : {"statistics", "progress", "throttle", "settings"}) {
      if (!d.HasMember(nested) || !d[nested].IsObject()) continue;
      for (auto it = d[nested].MemberBegin(); it != d[nested].MemberEnd(); ++it)
        keys.insert(it->name.GetString());
    }
  }
  return out;
}

// The fields a section's table names in its first column: "| `schema`, `table` | ..." names two.
std::set<std::string> FirstColumnFields(const std::string& section) {
  std::set<std::string> fields;
  std::istringstream in(section);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("| `", 0) != 0) continue;
    const std::string cell = line.substr(1, line.find('|', 1) - 1);
    for (size_t at = cell.find('`'); at != std::string::npos;) {
      const size_t end = cell.find('`', at + 1);
      if (end == std::string::npos) break;
      fields.insert(cell.substr(at + 1, end - at - 1));
      at = cell.find('`', end + 1);
    }
  }
  return fields;
}

// One of each event, as the sink writes them (a dry run's plan, done with statistics).
std::string EveryEvent() {
  std::ostringstream out;
  JsonEventSink sink(out, "shop", "orders", "u@h:3306/shop.orders", "0123456789abcdef");
  sink.Phase("copy", "copying rows");
  ProgressEvent progress;
  progress.phase = "copy";
  progress.eta_seconds = 3;
  progress.max_replica_lag_seconds = 0.5;
  sink.Progress(progress);
  sink.ThrottleStart("replica lag", "replica r1 lags 3 s");
  sink.ThrottleEnd("replica lag", 3);
  sink.Warning("a warning");
  sink.Control("chunk-size=5000", "chunk size pinned at 5000 rows from the next chunk");
  DoneEvent done;
  done.status = "success";
  done.phase_seconds = {{"copy", 1.0}};
  done.statistics = RunStatistics{};
  PlanEvent plan;
  plan.columns = {{"id", "id"}};
  sink.Plan(plan);
  sink.Done(done);
  return out.str();
}

std::string SectionOf(const std::string& event) {
  if (event == "throttle_start" || event == "throttle_end") return "`throttle_start` and";
  if (event == "status") return "The `status` object";
  if (event == "control_status") return "The `control_status` object";
  return "`" + event + "`";
}

TEST(EventsContractTest, EveryFieldOfEveryEventIsInTheDocument) {
  const std::string doc = Document();
  ASSERT_FALSE(doc.empty()) << "docs/events.md not found";
  const std::string common = Section(doc, "Fields of every event");
  ASSERT_FALSE(common.empty());

  RunStatusView status;
  status.state = "stopped";
  status.run_id = "0123456789abcdef";
  // The control socket's status, with every nested object filled.
  Config config;
  LiveSettings live(config);
  StopFlag stop;
  StatusBoard board("shop", "orders", "0123456789abcdef", live, stop, true);
  ProgressEvent progress;
  progress.phase = "copy";
  progress.eta_seconds = 3;
  progress.max_replica_lag_seconds = 0.5;
  progress.position = {"42"};
  board.Tick(progress);
  board.ThrottleStart("by hand", "paused by hand");
  const std::string jsonl = EveryEvent() + FormatRunStatusJson(status) + board.Json();

  const auto by_event = KeysByEvent(jsonl);
  EXPECT_EQ(by_event.size(), 10u) << jsonl;
  for (const auto& [event, keys] : by_event) {
    const std::string own = Section(doc, SectionOf(event));
    EXPECT_FALSE(own.empty()) << "docs/events.md has no section for the event " << event;
    for (const std::string& key : keys) {
      const std::string quoted = "`" + key + "`";
      EXPECT_TRUE(own.find(quoted) != std::string::npos || common.find(quoted) != std::string::npos)
          << "event " << event << ": field " << key << " is not in docs/events.md";
    }
  }
}

TEST(EventsContractTest, EveryEventHasEveryFieldOfEveryEvent) {
  const std::set<std::string> common =
      FirstColumnFields(Section(Document(), "Fields of every event"));
  for (const char* field :
       {"ts", "event", "schema_version", "version", "schema", "table", "run_id"}) {
    EXPECT_EQ(common.count(field), 1u) << field << " is not among the fields of every event";
  }
  // Every event, and the control socket's status object.
  Config config;
  LiveSettings live(config);
  StopFlag stop;
  const StatusBoard board("shop", "orders", "0123456789abcdef", live, stop, false);
  const auto by_event = KeysByEvent(EveryEvent() + board.Json());
  EXPECT_EQ(by_event.size(), 9u);
  for (const auto& [event, keys] : by_event) {
    for (const std::string& field : common) {
      EXPECT_EQ(keys.count(field), 1u) << "event " << event << " lacks " << field;
    }
  }
}

// The status object says which run is on record: its own row in the document, not the common
// one (null when none).
TEST(EventsContractTest, TheStatusObjectNamesTheRunOnRecord) {
  const std::string own = Section(Document(), "The `status` object");
  EXPECT_EQ(FirstColumnFields(own).count("run_id"), 1u);
  const auto by_event = KeysByEvent(FormatRunStatusJson(RunStatusView{}));
  ASSERT_EQ(by_event.count("status"), 1u);
  EXPECT_EQ(by_event.at("status").count("run_id"), 1u);
}

TEST(EventsContractTest, TheDoneStatusesAndVerdictsAreListed) {
  const std::string doc = Document();
  for (const char* status : {"success", "failed", "aborted", "refused", "unreachable", "parked"}) {
    EXPECT_NE(Section(doc, "`done`").find(std::string("`") + status + "`"), std::string::npos)
        << status;
  }
  for (RunVerdict v : {RunVerdict::kNothing, RunVerdict::kRunning, RunVerdict::kResumable,
                       RunVerdict::kNeedsAPerson, RunVerdict::kRevertible}) {
    EXPECT_NE(Section(doc, "The `status` object").find(std::string("`") + VerdictName(v) + "`"),
              std::string::npos)
        << VerdictName(v);
  }
}

}  // namespace
}  // namespace shadowalter
