#pragma once
// GET /v1/openapi.json: the service described in OpenAPI 3.0, its schemas made from the rulebook's
// declared inputs and decisions, so that a client generator types a case and its answers.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "kaidah/kaidah.h"

namespace kaidah::serve {

// `rules` served, with `reforms` (by name) loaded beside it; `token`: every endpoint needs the
// bearer token; `max_rows`: cases in one request.
std::string openapi_json(const Rulebook& rules, const std::vector<std::pair<std::string, Rulebook>>& reforms, bool token,
                         std::size_t max_rows);

}  // namespace kaidah::serve
