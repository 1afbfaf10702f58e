#pragma once
// Values between Python and kaidah, exactly: Decimal <-> decimal.Decimal through the decimal's
// text, Date <-> datetime.date, Month <-> kaidah.Month, lists <-> lists, records <-> dicts.
// A float is refused where a value is expected: binary floating point is never money.

#include <pybind11/pybind11.h>

#include <optional>
#include <string>
#include <string_view>

#include "kaidah/kaidah.h"

namespace kaidah::python {

namespace py = pybind11;

// A float where an exact value is needed; raised in Python as kaidah.FloatError (a CaseError
// and a TypeError).
struct FloatRejected : CaseError {
  using CaseError::CaseError;
};

// The Python types conversions need, imported once per conversion run (cheap to copy). `plain`
// (kaidah._values.plain) makes the values C++ does not read directly plain: subclasses, NumPy
// and pandas scalars, arrays, datetimes, periods; it raises `refused` with the reason otherwise.
struct PyTypes {
  py::object decimal, date, datetime, month, plain, refused;
  PyTypes();
};

// A str's UTF-8, kept in the str (valid as long as it is), or nothing where it has none (a lone
// surrogate: the error is cleared). Another failure (no memory) is raised.
std::optional<std::string_view> utf8_of(PyObject* str);

// A Python value as a kaidah Value, exactly, whatever the caller's decimal context. `field` names
// the input in errors. None, NaN, pandas NA and NaT are no value. Throws CaseError for a float
// (with how to pass it exactly), a datetime with a time of day, a value out of range or a type
// kaidah has no value for; a Python exception raised while reading the value becomes one too.
Value from_python(py::handle object, const std::string& field, const PyTypes& types);

// A case's key or a column's name as an input name (str() of it), UTF-8; CaseError if it is not
// valid Unicode.
std::string input_name(py::handle key);

// A kaidah Value as a Python object: None, bool, int, decimal.Decimal, datetime.date,
// kaidah.Month, str, list or dict.
py::object to_python(const Value& value, const PyTypes& types);

// A datetime.date, or text like "2025-01-31", as a Date (TypeError / ValueError otherwise).
Date date_from_python(py::handle object, const PyTypes& types);

}  // namespace kaidah::python
