#pragma once
/// \file
/// kaidah: exact, explainable policy rules. Include this one header.
///
/// Load a rulebook folder once with `Rulebook::load`, then evaluate `Case`s at a `Date` from any
/// number of threads; ask `explain` for the legal argument behind each value. Money is a
/// `Decimal` (exact), dates are `Date`/`Month`, errors derive from `kaidah::Error`.

#include "kaidah/batch.h"
#include "kaidah/compare.h"
#include "kaidah/date.h"
#include "kaidah/decimal.h"
#include "kaidah/diagnostic.h"
#include "kaidah/error.h"
#include "kaidah/query.h"
#include "kaidah/result.h"
#include "kaidah/rulebook.h"
#include "kaidah/scenario.h"
#include "kaidah/value.h"
