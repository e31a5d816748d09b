#include "sql/triggers.h"

#include "db/errors.h"
#include "db/quote.h"
#include "sql/names.h"
#include "sql/refusals.h"
#include "sql/shadow_match.h"
#include "sql/time_zones.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

// The original's columns whose values find a row in the new table: the walked key's, or, when
// rows are matched one by one, those of every match column (sql/shadow_match.h).
std::vector<Column> MatchSources(const ChunkKey& key) {
  if (!key.matches_row_by_row()) return key.columns;
  std::vector<Column> out;
  for (const KeyPair& p : key.match) out.push_back(p.source);
  return out;
}

bool IsKeyColumn(const ChunkKey& key, const std::string& source_name) {
  for (const Column& c : MatchSources(key)) {
    if (SameColumnName(c.name, source_name)) return true;
  }
  return false;
}

// The new table's row for `row` (OLD or NEW) of the original (NULL-safe).
std::string KeyMatch(const ChunkKey& key, const std::string& row) {
  if (key.matches_row_by_row()) {
    return ShadowRowMatch(key, "",
                          [&](const Column& c) { return row + "." + QuoteIdentifier(c.name); });
  }
  std::vector<std::string> parts;
  for (size_t i = 0; i < key.columns.size(); ++i) {
    parts.push_back(QuoteIdentifier(key.target_names[i]) + " <=> " + row + "." +
                    QuoteIdentifier(key.columns[i].name));
  }
  return Join(parts, " AND ");
}

// OLD and NEW hold the same key bytes. Text is compared as bytes: under a case-insensitive
// collation 'a' = 'A', but the new table must still receive the changed spelling.
std::string KeyUnchanged(const ChunkKey& key) {
  std::vector<std::string> parts;
  for (const Column& c : MatchSources(key)) {
    const std::string col = QuoteIdentifier(c.name);
    if (c.kind == ValueKind::kString) {
      parts.push_back("CAST(OLD." + col + " AS BINARY) <=> CAST(NEW." + col + " AS BINARY)");
    } else {
      parts.push_back("OLD." + col + " <=> NEW." + col);
    }
  }
  return Join(parts, " AND ");
}

// In ON DUPLICATE KEY UPDATE: the row that conflicted is the one being written (the same key),
// not another row that holds a value of a key the ALTER added. Matched one by one, the key is
// compared as bytes, so a coarser new collation can't take another row's mirror for this one.
std::string SameRowAsInserted(const ChunkKey& key) {
  std::vector<std::string> same_key;
  if (key.matches_row_by_row()) {
    for (const KeyPair& p : key.match) {
      const std::string k = QuoteIdentifier(p.target.name);
      same_key.push_back(SameBytes(p.target, k, "VALUES(" + k + ")"));
    }
  } else {
    for (const std::string& name : key.target_names) {
      const std::string k = QuoteIdentifier(name);
      same_key.push_back(k + " <=> VALUES(" + k + ")");
    }
  }
  return Join(same_key, " AND ");
}

std::string InsertNew(const TriggerSpec& s, const std::string& shadow) {
  std::vector<std::string> targets, values;
  for (const ColumnPair& p : s.columns) {
    targets.push_back(QuoteIdentifier(p.target));
    values.push_back(ValueForTarget("NEW." + QuoteIdentifier(p.source), p));
  }
  for (const ImplicitFill& f : s.fills) {
    targets.push_back(QuoteIdentifier(f.target));
    values.push_back(f.literal);
  }
  return "INSERT INTO " + shadow + " (" + Join(targets, ", ") + ") VALUES (" + Join(values, ", ") +
         ")";
}

// A name for a local variable of the trigger that no column of either table has: inside the
// trigger an unqualified name resolves to a local variable before a column.
std::string LocalName(const TriggerSpec& s, std::string name) {
  auto taken = [&](const std::string& n) {
    for (const ColumnPair& p : s.columns) {
      if (SameColumnName(p.source, n) || SameColumnName(p.target, n)) return true;
    }
    return false;
  };
  while (taken(name)) name += "_";
  return name;
}

// Declares the handler that skips a write the new table refuses and records it in the refusal
// log. The local variables come first: a BEGIN block declares variables before handlers.
std::string RefusalHandler(const TriggerSpec& s, const std::string& event) {
  const std::string errno_var = LocalName(s, "sa_refused_errno");
  const std::string message_var = LocalName(s, "sa_refused_message");
  std::vector<std::string> codes, key;
  for (unsigned e : TriggerSkippedErrors()) codes.push_back(std::to_string(e));
  for (const Column& c : s.key.columns) key.push_back(c.name);
  return "DECLARE " + errno_var + " INT UNSIGNED DEFAULT 0; DECLARE " + message_var +
         " TEXT CHARACTER SET utf8mb4 DEFAULT ''; DECLARE CONTINUE HANDLER FOR " +
         Join(codes, ", ") + " BEGIN GET DIAGNOSTICS CONDITION 1 " + errno_var +
         " = MYSQL_ERRNO, " + message_var + " = MESSAGE_TEXT; " +
         RecordRefusal(s.schema, s.refusals_table, event, "NEW", key, errno_var, message_var) +
         "; END;";
}

// The last of the table's own AFTER triggers for `event` (they are listed in firing order), if any.
const Trigger* LastAfterTrigger(const std::vector<Trigger>& own, const std::string& event) {
  const Trigger* last = nullptr;
  for (const Trigger& t : own) {
    if (AsciiLower(t.timing) != "after" || AsciiLower(t.event) != AsciiLower(event)) continue;
    if (last == nullptr || t.action_order > last->action_order) last = &t;
  }
  return last;
}

std::string Header(const TriggerSpec& s, const std::string& name, const std::string& event) {
  std::string out = "CREATE TRIGGER " + QualifiedName(s.schema, name) + " AFTER " + event + " ON " +
                    QualifiedName(s.schema, s.table) + " FOR EACH ROW ";
  if (const Trigger* last = LastAfterTrigger(s.own_triggers, event)) {
    out += "FOLLOWS " + QuoteIdentifier(last->name) + " ";
  }
  return out;
}

}  // namespace

const std::vector<unsigned>& TriggerSkippedErrors() {
  // Duplicate key; NULL into NOT NULL, out of range, truncated, wrong value, too long (also the
  // forms MySQL reports for a functional index, 3751 and 3752); a CHECK constraint the ALTER added
  // (MariaDB 4025, MySQL 3819: each server accepts the other's code); text or bytes that a JSON
  // (MySQL 3140, 3144) or spatial (1416) column the ALTER made can't take; a row no partition of
  // a newly partitioned table takes (1526); an expression the ALTER adds (a generated column, a
  // CHECK) failing on the row's values: division by zero, out of range, date overflow, a bad
  // date string, charset or base64 text, JSON functions on text that is no JSON (1365, 1690,
  // 1441, 1411, 1300, 1977, 1958, 4036-4040); a value an INET4/INET6/UUID column refuses (4078);
  // a missing parent row (1452), which only a self-referencing new table can meet while the copy
  // has not brought the parent yet (the copy brings both; verification catches anything else).
  // Never 1451 (a child row still references it): skipping that would let a delete the
  // children's RESTRICT refuses vanish from the original only.
  static const std::vector<unsigned> kCodes = {
      1062, 1048, 1263, 1264, 1265, 1292, 1366, 1406, 3751, 3752,
      4025, 3819, 3140, 3144, 1416, 1526, 1365, 1690, 1441, 1411,
      1300, 1977, 1958, 4036, 4037, 4038, 4039, 4040, 4078, errnum::kNoReferencedRow};
  return kCodes;
}

TriggerStatements BuildTriggers(const TriggerSpec& s) {
  const ArtifactNames artifacts = NamesFor(s.table);
  const MirrorTriggerNames names = s.names.value_or(MirrorTriggerNames{
      artifacts.insert_trigger, artifacts.update_trigger, artifacts.delete_trigger});
  const std::string shadow = QualifiedName(s.schema, s.shadow_table);
  TriggerStatements out;

  out.create_insert = Header(s, names.insert_trigger, "INSERT") + "BEGIN " +
                      RefusalHandler(s, "insert") + " " + InsertNew(s, shadow) + "; END";

  out.create_delete = Header(s, names.delete_trigger, "DELETE") + "DELETE FROM " + shadow +
                      " WHERE " + KeyMatch(s.key, "OLD");

  // Key kept: an upsert. The row may not be in the new table yet (the copy has not reached it);
  // inserting it then takes no gap lock, where an UPDATE finding nothing would lock the whole
  // not-yet-copied gap of the new table against the copy. If the conflicting row is another row
  // (a duplicate on a key the ALTER added), the first assignment sets its key to NULL: an error
  // the handler skips, never an update of the other row.
  // The first column of the key the new table finds rows by is NOT NULL there.
  std::vector<std::string> sets;
  const std::string first_key = QuoteIdentifier(
      s.key.matches_row_by_row() ? s.key.shadow_key[0].name : s.key.target_names[0]);
  sets.push_back(first_key + " = IF(" + SameRowAsInserted(s.key) + ", " + first_key + ", NULL)");
  for (const ColumnPair& p : s.columns) {
    if (IsKeyColumn(s.key, p.source)) continue;
    const std::string t = QuoteIdentifier(p.target);
    sets.push_back(t + " = VALUES(" + t + ")");
  }
  // Key changed: the row moves in place when the new table has it, so a foreign key that
  // references the new table (children repointed before the swap, a self-reference) sees an
  // update of the key (ON UPDATE), never a delete (ON DELETE CASCADE would remove child rows).
  // When the copy has not reached the old key yet, nothing is there to move: insert the row.
  std::vector<std::string> all_sets;
  for (const ColumnPair& p : s.columns) {
    all_sets.push_back(QuoteIdentifier(p.target) + " = " +
                       ValueForTarget("NEW." + QuoteIdentifier(p.source), p));
  }
  std::string key_changed = "UPDATE " + shadow + " SET " + Join(all_sets, ", ") + " WHERE " +
                            KeyMatch(s.key, "OLD") + "; IF ROW_COUNT() = 0 THEN " +
                            InsertNew(s, shadow) + "; END IF;";
  std::string body;
  if (sets.size() == 1) {
    // Every column is part of the key: only a key change has anything to mirror.
    body = "IF NOT (" + KeyUnchanged(s.key) + ") THEN " + key_changed + " END IF;";
  } else {
    body = "IF " + KeyUnchanged(s.key) + " THEN " + InsertNew(s, shadow) +
           " ON DUPLICATE KEY UPDATE " + Join(sets, ", ") + "; ELSE " + key_changed + " END IF;";
  }
  out.create_update = Header(s, names.update_trigger, "UPDATE") + "BEGIN " +
                      RefusalHandler(s, "update") + " " + body + " END";
  return out;
}

std::string DropTriggerStatement(const std::string& schema, const std::string& trigger) {
  return "DROP TRIGGER IF EXISTS " + QualifiedName(schema, trigger);
}

}  // namespace shadowalter
