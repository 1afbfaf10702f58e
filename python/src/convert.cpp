#include "convert.h"

#include <datetime.h>

#include <cstdio>
#include <pybind11/stl.h>

namespace kaidah::python {

std::optional<std::string_view> utf8_of(PyObject* str) {
  Py_ssize_t size = 0;
  const char* text = PyUnicode_AsUTF8AndSize(str, &size);
  if (text == nullptr) {
    if (!PyErr_ExceptionMatches(PyExc_UnicodeError)) throw py::error_already_set();
    PyErr_Clear();
    return std::nullopt;
  }
  return std::string_view(text, static_cast<std::size_t>(size));
}

PyTypes::PyTypes()
    : decimal(py::module_::import("decimal").attr("Decimal")),
      date(py::module_::import("datetime").attr("date")),
      datetime(py::module_::import("datetime").attr("datetime")),
      month(py::type::of<Month>()),
      plain(py::module_::import("kaidah._values").attr("plain")),
      refused(py::module_::import("kaidah._values").attr("Refused")) {}

namespace {

// The type's own name: never runs Python code (a subclass's __str__ may raise).
std::string type_name(py::handle object) { return Py_TYPE(object.ptr())->tp_name; }

Value integer_from_python(py::handle object, const std::string& field) {
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(object.ptr(), &overflow);
  if (v == -1 && PyErr_Occurred()) throw py::error_already_set();
  if (overflow != 0) {  // past 64 bits: a decimal if it is one (as the same number given as text is)
    const std::string text = py::str(object);
    if (const auto d = Decimal::try_parse(text)) return Value(*d);
    throw CaseError(field, "the integer " + text + " is out of range: beyond 64 bits it is read as a decimal, "
                           "whose magnitude is below about 1.7e26");
  }
  return Value(static_cast<std::int64_t>(v));
}

Value text_from_python(py::handle object, const std::string& field) {
  const std::optional<std::string_view> text = utf8_of(object.ptr());
  if (!text) {
    throw CaseError(field, "the text is not valid Unicode: it holds a lone surrogate (text decoded with "
                           "errors='surrogateescape'?)");
  }
  return Value(std::string(*text));
}

// Exactly, from the decimal's sign, digits and exponent: neither the caller's decimal context nor
// a huge exponent (1E+999999999 written out) plays a part.
Value decimal_from_python(py::handle object, const std::string& field) {
  const py::tuple parts = object.attr("as_tuple")();
  const auto shown = [&] { return std::string(py::str(object)); };  // for errors only
  if (!PyLong_Check(py::handle(parts[2]).ptr())) {
    throw CaseError(field, "the decimal " + shown() + " is not a finite number");
  }
  std::string digits;
  for (py::handle d : py::reinterpret_borrow<py::tuple>(parts[1])) digits += static_cast<char>('0' + d.cast<int>());
  long long exponent = parts[2].cast<long long>();
  while (digits.size() > 1 && digits.back() == '0') {  // 1.0000000000000 is exactly 1
    digits.pop_back();
    ++exponent;
  }
  if (digits == "0") return Value(Decimal());
  if (exponent < -Decimal::kScale) {
    throw CaseError(field, "number '" + shown() + "' has more than " + std::to_string(Decimal::kScale) + " decimal places");
  }
  if (static_cast<long long>(digits.size()) + exponent > 27) {  // |x| < 2^127 / 10^12, about 1.7e26
    throw CaseError(field, "number '" + shown() + "' is out of range");
  }
  std::string text = parts[0].cast<int>() ? "-" : "";
  if (exponent >= 0) {
    text += digits + std::string(static_cast<std::size_t>(exponent), '0');
  } else {
    const std::size_t point = digits.size() > static_cast<std::size_t>(-exponent) ? digits.size() + exponent : 0;
    text += (point ? digits.substr(0, point) : "0") + "." +
            std::string(static_cast<std::size_t>(-exponent) - (digits.size() - point), '0') + digits.substr(point);
  }
  try {
    return Value(Decimal::parse(text));
  } catch (const std::exception&) {
    throw CaseError(field, "number '" + shown() + "' is out of range");
  }
}

Value date_of(int year, int month, int day, const std::string& field) {
  if (year < 1400 || year > 9999) {
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", year, month, day);
    throw CaseError(field, "the date " + std::string(text) + " is outside the years 1400 to 9999 that kaidah's calendar holds");
  }
  try {
    return Value(Date(year, month, day));
  } catch (const std::exception& e) {
    throw CaseError(field, e.what());
  }
}

// kaidah's values nest three deep at most (a list of records); deeper is a list that holds itself.
constexpr int kMaxDepth = 16;

// `plain`: the object came from kaidah._values.plain, so it is not passed there again.
Value convert(py::handle object, const std::string& field, const PyTypes& types, bool plain, int depth) {
  if (depth > kMaxDepth) {
    throw CaseError(field, "a value nested deeper than " + std::to_string(kMaxDepth) + " levels (a list that holds itself?)");
  }
  PyObject* const o = object.ptr();
  const PyTypeObject* const type = Py_TYPE(o);
  if (o == Py_None) return Value();
  if (type == &PyBool_Type) return Value(o == Py_True);
  if (type == &PyLong_Type) return integer_from_python(object, field);
  if (PyFloat_Check(o)) {  // NumPy's float64 is a float too
    const double v = PyFloat_AS_DOUBLE(o);
    if (v != v) return Value();  // NaN: how pandas marks a missing cell
    const std::string text = py::repr(py::float_(v));
    throw FloatRejected(field, "got the float " + text + ": money and rates must be exact, so pass decimal.Decimal('" +
                                   text + "') or the text '" + text + "'");
  }
  if (type == &PyUnicode_Type) return text_from_python(object, field);
  if (type == reinterpret_cast<PyTypeObject*>(types.decimal.ptr())) return decimal_from_python(object, field);
  if (type == reinterpret_cast<PyTypeObject*>(types.date.ptr())) {
    return date_of(PyDateTime_GET_YEAR(o), PyDateTime_GET_MONTH(o), PyDateTime_GET_DAY(o), field);
  }
  if (type == reinterpret_cast<PyTypeObject*>(types.month.ptr())) return Value(object.cast<Month>());
  if (type == &PyList_Type || type == &PyTuple_Type) {
    std::vector<Value> items;
    items.reserve(static_cast<std::size_t>(PySequence_Fast_GET_SIZE(o)));
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(o); ++i) {  // the size again: an item's code may change it
      const auto item = py::reinterpret_borrow<py::object>(PySequence_Fast_GET_ITEM(o, i));
      items.push_back(convert(item, field, types, false, depth + 1));
    }
    return Value(std::move(items));
  }
  if (type == &PyDict_Type) {
    Record fields;
    const auto pairs = py::reinterpret_steal<py::list>(PyDict_Items(o));  // a copy: an item's code may change the dict
    if (!pairs) throw py::error_already_set();
    for (py::handle pair : pairs) {
      const py::handle key = PyTuple_GET_ITEM(pair.ptr(), 0);
      if (!PyUnicode_Check(key.ptr())) throw CaseError(field, "record keys must be field names (text)");
      const std::string name = text_from_python(key, field).as_text();
      fields.emplace_back(name, convert(PyTuple_GET_ITEM(pair.ptr(), 1), field + "." + name, types, false, depth + 1));
    }
    return Value(std::move(fields));
  }
  // Everything else (subclasses, NumPy, pandas, datetimes) is made plain in Python, once.
  if (!plain) return convert(types.plain(object), field, types, true, depth);
  throw CaseError(field, "kaidah has no value of Python type " + type_name(object));
}

}  // namespace

std::string input_name(py::handle key) {
  const py::str text(key);
  Py_ssize_t size = 0;
  const char* utf8 = PyUnicode_AsUTF8AndSize(text.ptr(), &size);
  if (utf8 == nullptr) {
    PyErr_Clear();
    throw CaseError(py::repr(text), "an input's name must be valid Unicode text (this one holds a lone surrogate)");
  }
  return std::string(utf8, static_cast<std::size_t>(size));
}

Value from_python(py::handle object, const std::string& field, const PyTypes& types) {
  try {
    return convert(object, field, types, false, 0);
  } catch (py::error_already_set& e) {
    // A value's own code failed (a subclass's method, a NumPy conversion): the field's error. What
    // stops the program (KeyboardInterrupt, MemoryError) goes on.
    if (e.matches(types.refused)) throw CaseError(field, py::str(e.value()));
    if (!e.matches(PyExc_Exception) || e.matches(PyExc_MemoryError)) throw;
    throw CaseError(field, "reading the " + type_name(object) + " failed: " +
                               std::string(py::str(e.type().attr("__name__"))) + ": " + std::string(py::str(e.value())));
  }
}

py::object to_python(const Value& v, const PyTypes& types) {
  switch (v.kind()) {
    case Kind::none: return py::none();
    case Kind::boolean: return py::bool_(v.as_bool());
    case Kind::integer: return py::int_(v.as_integer());
    case Kind::decimal: return types.decimal(v.as_decimal().to_string());
    case Kind::date: return types.date(v.as_date().year(), v.as_date().month(), v.as_date().day());
    case Kind::month: return py::cast(v.as_month());
    case Kind::text: return py::str(v.as_text());
    case Kind::list: {
      py::list out;
      for (const Value& item : v.as_list()) out.append(to_python(item, types));
      return std::move(out);
    }
    case Kind::record: {
      py::dict out;
      for (const auto& [name, item] : v.as_record()) out[py::str(name)] = to_python(item, types);
      return std::move(out);
    }
  }
  return py::none();
}

Date date_from_python(py::handle object, const PyTypes& types) {
  Value v;
  try {
    v = from_python(object, "date", types);  // a Timestamp at midnight, a datetime64, a daily Period too
  } catch (const CaseError& e) {
    throw py::value_error(e.reason());
  }
  try {
    if (v.kind() == Kind::text) return Date::parse(v.as_text());
  } catch (const std::invalid_argument& e) {
    throw py::value_error(e.what());
  }
  if (v.kind() != Kind::date) {
    throw py::type_error("expected a datetime.date or text like '2025-01-31', got " + type_name(object));
  }
  return v.as_date();
}

}  // namespace kaidah::python
