// A run's checkpoint: who it is and how far it got, kept in a one-row table on the primary
// (_<t>_state) so that it survives the loss of the host the tool ran on. Pure data and its
// encodings; state/checkpoint_row.h turns it into the table's row and back,
// state/checkpoint_store.h reads and writes it.
//
// The checkpoint is only ever written after the fact (a chunk's position after its commit, a
// phase after it is complete), so it may lag the server's state but never runs ahead of it.
// Resuming from a lagging checkpoint repeats work that is idempotent (a chunk's range is cleared
// in the new table and copied again), which is what makes `resume` safe after `kill -9`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schema/table.h"

namespace shadowalter {

// How far a run got, in order. Each value means everything before it is complete.
enum class RunPhase {
  kStarted,   // the checkpoint exists; the new table may be half made
  kNewTable,  // the new table exists with the ALTER applied
  kTriggers,  // creating triggers: some of the three may exist (delete, update, insert order)
  kCopying,   // all three triggers exist; rows up to `position` are copied
  kCopied,    // every row is copied
  kVerified,  // the new table was found equal to the original
  kSwapping,  // the cut-over started: the RENAME may or may not have happened
  kSwapped,   // the new table is the table; the old one and the triggers remain to be dropped
  // --revertible (migration/revertible.h): the new table is the table and the old one is kept
  // current by the reverse triggers, until `revert` or `finish`. From the swap's lock window on,
  // triggers_fingerprint and new_table_fingerprint describe the reverse side (its triggers, both
  // tables' InnoDB ids), and from here on original_fingerprint both tables' definitions.
  kRevertible,
  kReverting,  // `revert` started: the RENAME back may or may not have happened
};

// "copying" etc.; and back (nullopt for an unknown word).
const char* RunPhaseName(RunPhase phase);
std::optional<RunPhase> ParseRunPhase(std::string_view name);

struct Checkpoint {
  std::string tool_version;
  std::string alter;      // the ALTER clauses as the user gave them
  std::string identity;   // RunIdentity::Encode() (state/run_identity.h) of the run's options
  std::string chunk_key;  // the key columns walked, as ChunkKeyText() writes them
  std::string new_table, old_table, insert_trigger, update_trigger, delete_trigger;
  RunPhase phase = RunPhase::kStarted;
  std::optional<std::vector<std::string>> position;  // last copied key; none: from the start
  uint64_t rows_copied = 0;
  uint64_t rows_estimated = 0;
  // Fingerprints (Fingerprint() of the definition) taken when the artifact was made; "" until then.
  std::string original_fingerprint, new_table_fingerprint, triggers_fingerprint;
  std::string started_by;  // host and pid of the process that started the run
  std::string note;        // why it stopped, when it stopped on purpose ("parked: ...")
  // --preserve-triggers: the table's own triggers, in firing order per (timing, event), saved
  // before the cut-over drops any of them, so that `resume` and `cleanup` can put them back
  // after a crash inside it. nullopt: not recorded (no own triggers to carry, or a checkpoint
  // table made by an earlier build, which has no such column).
  std::optional<std::vector<Trigger>> own_triggers;
  // The run's id (state/run_id.h), kept by every run that continues this one. "": none recorded
  // (a checkpoint table made by an earlier build, which has no such column).
  std::string run_id;
  // Read back only: UTC times as the server wrote them ("YYYY-MM-DD hh:mm:ss").
  std::string started_at, updated_at, advanced_at;
  int64_t seconds_since_advanced = -1;  // -1: unknown
};

// The original's key columns, each quoted, comma-joined: "`a`,`b`".
std::string ChunkKeyText(const std::vector<std::string>& columns);

// A key position as text that keeps every byte: each value hex-encoded behind an 'x', joined by
// commas ("x3132,x" is {"12", ""}). DecodePosition returns nullopt for malformed text.
std::string EncodePosition(const std::vector<std::string>& key);
std::optional<std::vector<std::string>> DecodePosition(std::string_view text);

// The table's own triggers as text for the checkpoint, and back: "v1" then one line per trigger,
// each every field of Trigger (body bytes included, whatever their character set) as
// EncodePosition writes values. DecodeOwnTriggers returns nullopt for malformed text or another
// format version, never a partial list.
std::string EncodeOwnTriggers(const std::vector<Trigger>& triggers);
std::optional<std::vector<Trigger>> DecodeOwnTriggers(std::string_view text);

// A stable 16-hex-digit FNV-1a hash: the same text gives the same value in every build.
std::string Fingerprint(std::string_view text);

// SHOW CREATE TABLE text without what changes by itself as rows arrive (AUTO_INCREMENT=N), so
// that its fingerprint changes only when the definition does.
std::string NormalizeCreateTable(std::string_view create);

// The fingerprint of a table's definition: Fingerprint(NormalizeCreateTable(create)).
std::string DefinitionFingerprint(std::string_view create);

// The ALTER text compared for "the same ALTER": ends trimmed, nothing else changed (a blank
// inside a quoted default is part of the ALTER).
std::string NormalizeAlterText(std::string_view alter);

}  // namespace shadowalter
