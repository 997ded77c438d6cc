// UTF-8 validation of whole buffers, done once before parsing so that the
// per-field code can treat text as bytes.
#pragma once

#include <cstddef>
#include <string_view>

namespace samverkan::importers {

// The offset of the first byte that does not belong to well-formed UTF-8
// (or is NUL), or std::string_view::npos if all of `text` is well-formed.
size_t FindInvalidUtf8(std::string_view text);

}  // namespace samverkan::importers
