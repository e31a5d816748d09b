// The single place where the names of shadowalter's artifacts are made. Every name fits MySQL's
// 64-character identifier limit: long table names are shortened deterministically (same input,
// same name), so a later `cleanup` or `resume` finds what an earlier run created.
#pragma once

#include <string>

namespace shadowalter {

struct ArtifactNames {
  std::string shadow_table;     // _<t>_new
  std::string old_table;        // _<t>_old
  std::string insert_trigger;   // sa_<t>_ins
  std::string update_trigger;   // sa_<t>_upd
  std::string delete_trigger;   // sa_<t>_del
  std::string heartbeat_table;  // _<t>_hb (only with --heartbeat)
  // _<t>_refused: the writes the new table refused, recorded by the mirror triggers
  // (sql/refusals.h); made before the triggers and dropped after them.
  std::string refusals_table;
  // _<t>_state: the run's checkpoint (state/checkpoint.h), made first and dropped last.
  std::string checkpoint_table;
  // _<t>_trg (only with --preserve-triggers): a scratch copy of the new table on which the
  // table's own triggers are test-created before the copy, then dropped.
  std::string trigger_check_table;
  // A revertible swap (sql/reverse_mirror.h): the triggers on the new table that keep the old
  // one current after the swap (sa_<t>_rins, sa_<t>_rupd, sa_<t>_rdel), and the writes the old
  // table refused (_<t>_rrefused).
  std::string reverse_insert_trigger;
  std::string reverse_update_trigger;
  std::string reverse_delete_trigger;
  std::string reverse_refusals_table;
  // On a Galera Cluster the swap's fences (migration/cutover.h): BEFORE INSERT / UPDATE / DELETE
  // triggers on the table that fail its writes on every node for the moment of the RENAME
  // (sa_<t>_fins, sa_<t>_fupd, sa_<t>_fdel).
  std::string fence_insert_trigger;
  std::string fence_update_trigger;
  std::string fence_delete_trigger;
};

// sa_<t>_chk<n>: the name of the n-th own trigger test-created on trigger_check_table (trigger
// names are unique per schema, so the real names are taken).
std::string TriggerCheckName(const std::string& table, size_t n);

ArtifactNames NamesFor(const std::string& table);

// The server-side named lock (GET_LOCK) a run holds on its table for its whole life, so that two
// runs never work on one table at once. At most 64 characters.
std::string RunLockName(const std::string& schema, const std::string& table);

// prefix + table + suffix, shortened to at most 64 characters (code points) by cutting the table
// part and inserting an 8-hex-digit hash of the full table name.
std::string FitIdentifier(const std::string& prefix, const std::string& table,
                          const std::string& suffix);

}  // namespace shadowalter
