// The compiled core of the `kaidah` Python package: wiring only.
#include "bind.h"

PYBIND11_MODULE(_kaidah, m) {
  m.doc() = "Compiled core of kaidah; use the `kaidah` package.";
  m.attr("__version__") = KAIDAH_VERSION;
  kaidah::python::bind_values(m);
  kaidah::python::bind_errors(m);
  kaidah::python::bind_rulebook(m);
  kaidah::python::bind_compare(m);
}
