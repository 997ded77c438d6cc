// The whole public API of the Samverkan engine.
#pragma once

#include "samverkan/analytics.h"
#include "samverkan/bulk_load.h"
#include "samverkan/csr.h"
#include "samverkan/db.h"
#include "samverkan/graph_view.h"
#include "samverkan/interrupt.h"
#include "samverkan/memory_reserve.h"
#include "samverkan/result.h"
#include "samverkan/schema.h"
#include "samverkan/status.h"
#include "samverkan/text.h"
#include "samverkan/transaction.h"
#include "samverkan/traversal.h"
#include "samverkan/types.h"
#include "samverkan/version.h"
