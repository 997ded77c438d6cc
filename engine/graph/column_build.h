// The scans that fill a CsrGraph's property columns (property_column.cc).
#pragma once

#include <memory>
#include <string>

#include "samverkan/csr.h"
#include "samverkan/property_column.h"

namespace samverkan {

// REQUIRES: `view` is the state `csr` was built from.
Result<std::shared_ptr<const PropertyColumn>> BuildNodeColumn(const GraphView& view,
                                                              const CsrGraph& csr,
                                                              NodeField field,
                                                              const std::string& key,
                                                              const Interrupt& interrupt);
Result<std::shared_ptr<const PropertyColumn>> BuildEdgeColumn(const GraphView& view,
                                                              const CsrGraph& csr,
                                                              EdgeField field,
                                                              const std::string& key,
                                                              const Interrupt& interrupt);

}  // namespace samverkan
