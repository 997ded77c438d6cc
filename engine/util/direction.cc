#include <fmt/format.h>

#include "samverkan/types.h"

namespace samverkan {

std::string_view DirectionName(Direction d) {
  switch (d) {
    case Direction::kOut: return "out";
    case Direction::kIn: return "in";
    case Direction::kBoth: return "both";
  }
  return "both";
}

Result<Direction> ParseDirection(std::string_view text) {
  if (text == "out") return Direction::kOut;
  if (text == "in") return Direction::kIn;
  if (text == "both" || text == "any") return Direction::kBoth;
  return Status::InvalidArgument(
      fmt::format("unknown direction '{}': expected 'out', 'in' or 'both'", text));
}

}  // namespace samverkan
