#pragma once
// One function per bound area, called from module.cpp.
#include <pybind11/pybind11.h>

#include "convert.h"

namespace kaidah::python {

void bind_values(py::module_& m);
void bind_errors(py::module_& m);
void bind_rulebook(py::module_& m);
void bind_compare(py::module_& m);

// The Python exception objects (kaidah.errors) of C++ errors, with their fields, not raised.
py::object python_error(const EvaluationError& e);
py::object python_error(const CaseError& e);

// kaidah::LoadOptions from keyword arguments named as its fields (TypeError for another name).
LoadOptions load_options(const py::kwargs& limits);

}  // namespace kaidah::python
