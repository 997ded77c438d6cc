// libFuzzer target for JSON properties as the engine takes them: the input,
// cut in two at its first NUL byte, is normalised as properties (any depth,
// any bytes), and two normalised objects are merged (RFC 7386) and read.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "storage/json_props.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using samverkan::storage::MergeProps;
  using samverkan::storage::NormalizeProps;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t cut = in.find('\0');
  std::string_view first = in.substr(0, cut);
  std::string_view second = cut == std::string_view::npos ? std::string_view() : in.substr(cut + 1);
  auto what = [] { return std::string("properties"); };
  auto a = NormalizeProps(first, what);
  auto b = NormalizeProps(second, what);
  if (a.ok() && b.ok()) {
    std::string merged = MergeProps(*a, *b);
    // Merging keeps a valid property object.
    if (!NormalizeProps(merged, what).ok()) __builtin_trap();
    (void)samverkan::storage::NumericProp(merged, "x");
  }
  return 0;
}
