#pragma once
// One function per bound area, called from module.cpp.
#include <pybind11/pybind11.h>

#include "convert.h"

namespace kaidah::python {

void bind_values(py::module_& m);
void bind_errors(py::module_& m);
void bind_rulebook(py::module_& m);
void bind_compare(py::module_& m);

}  // namespace kaidah::python
