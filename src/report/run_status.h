// What `shadowalter status` shows about a table's run: a plain view filled from the checkpoint
// and the artifacts found, and its two renderings (text for people, one JSON object for scripts).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace shadowalter {

struct RunStatusView {
  std::string schema;
  std::string table;
  // none: nothing on the server; running: a live run holds the run lock; stopped: a checkpoint
  // and no live run; leftovers: artifacts without a checkpoint (a run of an older version, or
  // made by hand); revertible: a --revertible run swapped and waits for `revert` or `finish`.
  std::string state = "none";
  std::optional<uint64_t> running_connection;  // the live run's connection id
  // From the checkpoint (when there is one).
  std::string run_id;  // "": none on record (no checkpoint, or an earlier build's)
  std::string alter;
  std::string phase;
  std::string position;  // "after key (42)" or "from the first key"
  uint64_t rows_copied = 0;
  uint64_t rows_estimated = 0;
  std::string started_at;  // UTC
  std::string started_by;
  std::string advanced_at;  // UTC: when the position last moved
  int64_t seconds_since_advanced = -1;
  std::string note;
  // What exists now.
  std::vector<std::string> artifacts;   // e.g. "new table `_t_new`"
  unsigned triggers_present = 0;        // of 3
  std::optional<bool> triggers_intact;  // present and unchanged since made; unknown: nullopt
  std::optional<bool> new_table_intact;
  bool swapped = false;  // the RENAME happened; only finishing remains
  // --preserve-triggers: the table's own triggers saved in the checkpoint, one summary each
  // ("`t_bi` BEFORE INSERT #1 (definer app@%)"), and the names of those not on the table now.
  std::vector<std::string> own_triggers_saved;
  std::vector<std::string> own_triggers_missing;
  std::string next;        // what to do next, in one sentence
  bool resumable = false;  // stopped: `resume` can continue (or finish) it
};

// What a script may do about a table's run (`status` exits with it, and says it as "verdict"):
// nothing is on record; a run is working on it now; a stopped run `resume` continues or
// finishes; or something a person must look at (a stopped run that can't be resumed, or
// artifacts without a checkpoint), for `cleanup` to remove once they have.
// A --revertible run that swapped waits for `revert` or `finish`.
enum class RunVerdict { kNothing, kRunning, kResumable, kNeedsAPerson, kRevertible };
RunVerdict VerdictOf(const RunStatusView& v);
// "nothing", "running", "resumable", "needs_a_person", "revertible".
const char* VerdictName(RunVerdict verdict);

// Several lines, ending in a newline.
std::string FormatRunStatusText(const RunStatusView& v);
// One JSON object on one line, with "event":"status", ending in a newline.
std::string FormatRunStatusJson(const RunStatusView& v);

}  // namespace shadowalter
