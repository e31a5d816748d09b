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
