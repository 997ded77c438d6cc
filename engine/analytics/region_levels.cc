// RegionLevels: each region's ancestors at a level of the part_of chain, so
// that grouping by region can roll municipalities up to counties.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "samverkan/analytics.h"

namespace samverkan {

RegionLevels::RegionLevels(const GraphView& view, std::string level)
    : view_(view), level_(std::move(level)), part_of_(view.schema().EdgeType("part_of")) {}

Result<std::string> RegionLevels::LevelOf(NodeId region) {
  auto it = levels_.find(region);
  if (it != levels_.end()) return it->second;
  SV_ASSIGN_OR_RETURN(Node node, view_.GetNode(region));
  std::string level = node.kind;
  auto props = nlohmann::json::parse(node.props, nullptr, /*allow_exceptions=*/false);
  if (props.is_object()) {
    auto p = props.find("level");
    if (p != props.end() && p->is_string()) level = p->get<std::string>();
  }
  keys_.emplace(region, node.key);
  return levels_.emplace(region, std::move(level)).first->second;
}

Result<std::string> RegionLevels::KeyOf(NodeId region) {
  auto it = keys_.find(region);
  if (it != keys_.end()) return it->second;
  SV_RETURN_IF_ERROR(LevelOf(region).status());
  return keys_.at(region);
}

// Depth first up the part_of edges; `path` holds the regions being walked
// through, so an edge back into it is a cycle. A region at the level ends
// its branch: what lies above it is not asked for.
Status RegionLevels::Walk(NodeId region, std::vector<NodeId>& path, std::vector<NodeId>& found) {
  auto done = ancestors_.find(region);
  if (done != ancestors_.end()) {
    for (NodeId a : done->second) {
      if (std::find(found.begin(), found.end(), a) == found.end()) found.push_back(a);
    }
    return Status::OK();
  }
  std::vector<NodeId> mine;
  SV_ASSIGN_OR_RETURN(std::string level, LevelOf(region));
  if (level == level_) {
    mine.push_back(region);
  } else if (part_of_) {
    path.push_back(region);
    auto edges = view_.Edges(region, Direction::kOut, *part_of_);
    for (; edges->Valid(); edges->Next()) {
      const NodeId parent = edges->edge().dst;
      auto back = std::find(path.begin(), path.end(), parent);
      if (back != path.end()) {
        std::string cycle;
        for (auto p = back; p != path.end(); ++p) {
          SV_ASSIGN_OR_RETURN(std::string key, KeyOf(*p));
          cycle += key + " -> ";
        }
        SV_ASSIGN_OR_RETURN(std::string key, KeyOf(parent));
        return Status::InvalidArgument("part_of has a cycle: " + cycle + key);
      }
      SV_RETURN_IF_ERROR(Walk(parent, path, mine));
    }
    SV_RETURN_IF_ERROR(edges->status());
    path.pop_back();
  }
  for (NodeId a : mine) {
    if (std::find(found.begin(), found.end(), a) == found.end()) found.push_back(a);
  }
  ancestors_.emplace(region, std::move(mine));
  return Status::OK();
}

Result<std::vector<NodeId>> RegionLevels::AncestorsAt(NodeId region) {
  std::vector<NodeId> path, found;
  SV_RETURN_IF_ERROR(Walk(region, path, found));
  return found;
}

}  // namespace samverkan
