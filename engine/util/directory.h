// Listing a directory where memory may run out. std::filesystem's directory
// iterators are not used for that: libstdc++ builds each entry's path inside
// a noexcept function, so a failed allocation there ends the process
// (std::terminate) instead of throwing. Found by the memory sweep of
// tests/sqlite/test_out_of_memory.py, on the thread that saves snapshot files.
#pragma once

#include <string>
#include <vector>

#include "samverkan/result.h"

namespace samverkan {

// The names of the entries of directory `dir` but "." and "..", in no
// particular order. NotFound when `dir` does not exist; IOError when it
// cannot be read; std::bad_alloc propagates.
Result<std::vector<std::string>> ListDirectory(const std::string& dir);

// The bytes of the regular files under `dir`, its subdirectories included
// (symbolic links are not followed). Errors as ListDirectory's.
Result<uint64_t> BytesUnder(const std::string& dir);

}  // namespace samverkan
