// C++ exceptions become the Python classes of kaidah/errors.py, with their fields as attributes
// (pybind11 2.10 predates py::set_error, hence PyErr_SetObject).
#include "bind.h"

namespace kaidah::python {

namespace {

py::object location_of(const SourceLocation& l) {
  return py::module_::import("kaidah.errors").attr("SourceLocation")(l.file, l.line, l.column);
}

void raise(const char* class_name, const py::object& instance) {
  const py::object cls = py::module_::import("kaidah.errors").attr(class_name);
  PyErr_SetObject(cls.ptr(), instance.ptr());
}

}  // namespace

py::object python_error(const EvaluationError& e) {
  return py::module_::import("kaidah.errors").attr("EvaluationError")(e.decision(), e.message(), location_of(e.location()), e.input());
}

py::object python_error(const CaseError& e) {
  return py::module_::import("kaidah.errors").attr("CaseError")(e.field(), e.reason());
}

void bind_errors(py::module_&) {
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const LoadError& e) {
      const py::object errors = py::module_::import("kaidah.errors");
      py::list diagnostics;
      for (const Diagnostic& d : e.diagnostics()) {
        diagnostics.append(errors.attr("Diagnostic")(location_of(d.location), d.message, std::string(to_string(d.severity))));
      }
      raise("LoadError", errors.attr("LoadError")(diagnostics));
    } catch (const FloatRejected& e) {
      raise("FloatError", py::module_::import("kaidah.errors").attr("FloatError")(e.field(), e.reason()));
    } catch (const CaseError& e) {
      raise("CaseError", py::module_::import("kaidah.errors").attr("CaseError")(e.field(), e.reason()));
    } catch (const EvaluationError& e) {
      raise("EvaluationError", python_error(e));
    } catch (const Error& e) {
      raise("KaidahError", py::module_::import("kaidah.errors").attr("KaidahError")(e.what()));
    }
  });
}

}  // namespace kaidah::python
