// What kind of file a stat() mode describes, for messages about files an
// import or export will not read or write: "a FIFO", "a directory".
#pragma once

#include <sys/stat.h>

#include <string>

namespace samverkan::importers {

std::string FileKind(mode_t mode);

}  // namespace samverkan::importers
