// What of a run's artifacts exist on the server right now (for status, resume and cleanup), and
// the definitions their fingerprints are taken from. Read-only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/session.h"
#include "sql/names.h"
#include "util/status.h"

namespace shadowalter {

struct ArtifactsFound {
  bool original = false;
  bool new_table = false;
  bool old_table = false;
  bool heartbeat_table = false;
  bool refusals_table = false;
  bool trigger_check_table = false;
  bool checkpoint_table = false;
  bool reverse_refusals_table = false;        // --revertible
  std::vector<std::string> reverse_triggers;  // --revertible: which of the three exist
  std::vector<std::string> fence_triggers;    // a cluster swap killed while fenced
  std::vector<std::string> triggers;          // which of the run's three triggers exist
  std::string triggers_on;                    // the table they are attached to ("" when none)
  std::optional<uint64_t> run_lock_holder;    // connection id of a live run, if one holds the lock

  bool any() const {
    return new_table || old_table || heartbeat_table || refusals_table || trigger_check_table ||
           checkpoint_table || reverse_refusals_table || !triggers.empty() ||
           !reverse_triggers.empty() || !fence_triggers.empty();
  }
};

StatusOr<ArtifactsFound> FindArtifacts(Session& s, const std::string& schema,
                                       const std::string& table, const ArtifactNames& names);

// SHOW CREATE TABLE's text.
StatusOr<std::string> CreateTableText(Session& s, const std::string& schema,
                                      const std::string& table);

// The run's triggers that exist, as one canonical text (name, timing, event, body of each, by
// name): unchanged text means unchanged triggers.
// When the run's three triggers were created (TriggersCreatedQuery), "" when unreadable.
std::string TriggersCreatedText(Session& s, const std::string& schema, const ArtifactNames& names);

StatusOr<std::string> TriggerDefinitionsText(Session& s, const std::string& schema,
                                             const ArtifactNames& names);

}  // namespace shadowalter
