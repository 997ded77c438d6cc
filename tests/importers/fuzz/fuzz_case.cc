// libFuzzer target for the case reader (see fuzz_reader.h).
#include "fuzz_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return samverkan::importers::FuzzOne(data, size, samverkan::importers::ReadCase);
}
