// kaidah.Month: a calendar month, the unit of contributions and arrears.
#include <pybind11/operators.h>

#include "bind.h"

namespace kaidah::python {

void bind_values(py::module_& m) {
  py::class_<Month>(m, "Month", "A calendar month, e.g. Month(2025, 1) or Month.parse('2025-01').")
      .def(py::init([](int year, int month) {
             try {
               return Month(year, month);
             } catch (const std::invalid_argument& e) {
               throw py::value_error(e.what());
             }
           }),
           py::arg("year"), py::arg("month"))
      .def_static(
          "parse",
          [](const std::string& text) {
            try {
              return Month::parse(text);
            } catch (const std::invalid_argument& e) {
              throw py::value_error(e.what());
            }
          },
          py::arg("text"), "The month written 'YYYY-MM'. Raises ValueError otherwise.")
      .def_property_readonly("year", &Month::year)
      .def_property_readonly("month", &Month::month)
      .def("first_day", [](const Month& m) { return to_python(Value(m.first_day()), PyTypes()); })
      .def("last_day", [](const Month& m) { return to_python(Value(m.last_day()), PyTypes()); })
      .def("plus", &Month::plus, py::arg("months"), "The month `months` later (earlier if negative).")
      .def("__str__", &Month::to_string)
      .def("__repr__", [](const Month& m) {
        return "Month(" + std::to_string(m.year()) + ", " + std::to_string(m.month()) + ")";
      })
      .def("__hash__", [](const Month& m) { return m.year() * 12 + m.month(); })
      .def(py::self == py::self)
      .def(py::self != py::self)
      .def(py::self < py::self)
      .def(py::self <= py::self)
      .def(py::self > py::self)
      .def(py::self >= py::self)
      .def(py::pickle([](const Month& m) { return m.to_string(); },
                      [](const std::string& text) { return Month::parse(text); }));
}

}  // namespace kaidah::python
