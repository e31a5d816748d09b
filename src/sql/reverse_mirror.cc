#include "sql/reverse_mirror.h"

#include "sql/implicit_fills.h"

namespace shadowalter {
namespace {

ZoneShift Backwards(ZoneShift z) {
  switch (z) {
    case ZoneShift::kIntoTimestamp:
      return ZoneShift::kOutOfTimestamp;
    case ZoneShift::kOutOfTimestamp:
      return ZoneShift::kIntoTimestamp;
    case ZoneShift::kNone:
      break;
  }
  return ZoneShift::kNone;
}

}  // namespace

namespace {

bool IsInteger(const std::string& t) {
  return t == "tinyint" || t == "smallint" || t == "mediumint" || t == "int" || t == "bigint";
}
bool IsText(const std::string& t) {
  return t == "tinytext" || t == "text" || t == "mediumtext" || t == "longtext";
}
bool IsBlob(const std::string& t) {
  return t == "tinyblob" || t == "blob" || t == "mediumblob" || t == "longblob";
}
bool IsTemporal(const std::string& t) { return t == "datetime" || t == "timestamp" || t == "time"; }

// The numbers in a column type's parentheses: "decimal(10,2)" -> {10, 2}; "datetime" -> {}.
std::vector<unsigned> TypeNumbers(const std::string& column_type) {
  std::vector<unsigned> out;
  const size_t open = column_type.find('(');
  if (open == std::string::npos) return out;
  unsigned n = 0;
  bool digits = false;
  for (size_t i = open + 1; i < column_type.size() && column_type[i] != ')'; ++i) {
    const char c = column_type[i];
    if (c >= '0' && c <= '9') {
      n = n * 10 + static_cast<unsigned>(c - '0');
      digits = true;
    } else if (c == ',') {
      out.push_back(n);
      n = 0;
      digits = false;
    }
  }
  if (digits) out.push_back(n);
  return out;
}

unsigned NumberAt(const std::vector<unsigned>& numbers, size_t i) {
  return i < numbers.size() ? numbers[i] : 0;
}

}  // namespace

std::string ReverseChangesValues(const Column& from, const Column& to) {
  const std::string& a = from.data_type;
  const std::string& b = to.data_type;
  if (from.column_type == to.column_type) return "";
  // Strict mode refuses what does not fit: out of range, too long, not a member.
  if (IsInteger(a) && IsInteger(b)) return "";
  if ((a == "varchar" && b == "varchar") || (a == "varbinary" && b == "varbinary")) return "";
  if ((IsText(a) && IsText(b)) || (IsBlob(a) && IsBlob(b))) return "";
  if ((a == "enum" && b == "enum") || (a == "set" && b == "set")) return "";
  if (a == "char" && b == "char") return "";
  const std::string change = "column " + to.name + " changes from " + to.column_type + " to " +
                             from.column_type +
                             ": a value written after the swap could come "
                             "back changed without an error";
  if (a == "decimal" && b == "decimal") {
    // Fewer decimals round silently; fewer integer digits are out of range (refused).
    return NumberAt(TypeNumbers(to.column_type), 1) >= NumberAt(TypeNumbers(from.column_type), 1)
               ? ""
               : change + " (rounded to fewer decimals)";
  }
  if (IsTemporal(a) && IsTemporal(b) && (a == "time") == (b == "time")) {
    return NumberAt(TypeNumbers(to.column_type), 0) >= NumberAt(TypeNumbers(from.column_type), 0)
               ? ""
               : change + " (fractions of a second rounded)";
  }
  return change;
}

std::vector<ColumnPair> ReverseColumns(const std::vector<ColumnPair>& forward) {
  std::vector<ColumnPair> out;
  for (const ColumnPair& p : forward) out.push_back({p.target, p.source, Backwards(p.zone)});
  return out;
}

StatusOr<TriggerSpec> ReverseMirror(const std::string& schema, const ArtifactNames& names,
                                    const TableInfo& original, const TableInfo& shadow,
                                    const std::vector<ColumnPair>& forward) {
  TriggerSpec spec;
  spec.schema = schema;
  spec.table = names.shadow_table;
  spec.shadow_table = names.old_table;
  // A generated column of the old table is never written (the ALTER may have made it an
  // ordinary one, which the forward map then feeds from it).
  for (const ColumnPair& p : ReverseColumns(forward)) {
    const Column* target = original.FindColumn(p.target);
    const Column* source = shadow.FindColumn(p.source);
    if (target == nullptr || target->generated || source == nullptr) continue;
    if (std::string loss = ReverseChangesValues(*source, *target); !loss.empty()) {
      return RefusedError("the old table could not be kept exactly: " + loss);
    }
    ColumnPair back = p;
    back.float_as_text = FloatBecomesText(*source, *target);
    spec.columns.push_back(back);
  }
  StatusOr<ChunkKey> key = ChooseChunkKey(shadow, original, spec.columns);
  if (!key.ok()) {
    return RefusedError("the old table could not be kept current after the swap: " +
                        key.status().message());
  }
  spec.key = *key;
  StatusOr<std::vector<ImplicitFill>> fills = ImplicitFills(original, spec.columns);
  if (!fills.ok()) {
    return RefusedError("the old table could not be kept current after the swap: " +
                        fills.status().message());
  }
  spec.fills = *fills;
  spec.refusals_table = names.reverse_refusals_table;
  spec.names = MirrorTriggerNames{names.reverse_insert_trigger, names.reverse_update_trigger,
                                  names.reverse_delete_trigger};
  return spec;
}

}  // namespace shadowalter
