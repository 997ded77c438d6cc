#include "samverkan/graph_view.h"

namespace samverkan {

Result<EdgeCursor::RecordFields> EdgeCursor::Record() const {
  SV_ASSIGN_OR_RETURN(record_, Load());
  return RecordFields{record_->props, record_->batch, record_->sources};
}

Result<Node> GraphView::GetNodeByKey(std::string_view key) const {
  SV_ASSIGN_OR_RETURN(NodeId id, FindKey(key));
  return GetNode(id);
}

Result<NodeId> GraphView::Resolve(const NodeRef& ref) const {
  if (!ref.key.empty()) return FindKey(ref.key);
  SV_ASSIGN_OR_RETURN(Node n, GetNode(ref.id));
  return n.id;
}

}  // namespace samverkan
