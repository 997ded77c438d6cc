// Ctrl-C as an Interrupt: long imports, exports and drawings stop cleanly
// (nothing written, no bulk-load files left) instead of dying mid-write.
#pragma once

#include "samverkan/interrupt.h"

namespace samverkan::cli {

// Installs a SIGINT handler on first use; the Interrupt fires once the user
// has pressed Ctrl-C. A second Ctrl-C ends the process at once.
const Interrupt& SigintInterrupt();

}  // namespace samverkan::cli
