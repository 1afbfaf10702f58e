#include "convert.h"

#include <pybind11/stl.h>

namespace kaidah::python {

PyTypes::PyTypes()
    : decimal(py::module_::import("decimal").attr("Decimal")),
      date(py::module_::import("datetime").attr("date")),
      datetime(py::module_::import("datetime").attr("datetime")),
      month(py::type::of<Month>()) {}

namespace {

std::string type_name(py::handle object) { return py::str(py::type::handle_of(object).attr("__name__")); }

}  // namespace

Value from_python(py::handle object, const std::string& field, const PyTypes& types) {
  if (object.is_none()) return Value();
  if (PyBool_Check(object.ptr())) return Value(object.cast<bool>());
  if (PyLong_Check(object.ptr())) {
    int overflow = 0;
    const long long v = PyLong_AsLongLongAndOverflow(object.ptr(), &overflow);
    if (overflow != 0) throw CaseError(field, "the integer " + std::string(py::str(object)) + " is out of range");
    return Value(static_cast<std::int64_t>(v));
  }
  if (PyFloat_Check(object.ptr())) {
    const std::string text = py::str(object);
    throw FloatRejected(field, "got the float " + text +
                                   ": money and rates must be exact, so pass decimal.Decimal('" + text +
                                   "') or the text '" + text + "'");
  }
  if (py::isinstance(object, types.decimal)) {
    if (!object.attr("is_finite")().cast<bool>()) {
      throw CaseError(field, "the decimal " + std::string(py::str(object)) + " is not a finite number");
    }
    const std::string text = py::str(py::module_::import("builtins").attr("format")(object, "f"));
    try {
      return Value(Decimal::parse(text));
    } catch (const std::exception& e) {
      throw CaseError(field, e.what());
    }
  }
  if (py::isinstance(object, types.datetime)) {
    throw CaseError(field, "got a datetime, which has a time of day; pass a datetime.date");
  }
  if (py::isinstance(object, types.date)) {
    try {
      return Value(Date(object.attr("year").cast<int>(), object.attr("month").cast<int>(), object.attr("day").cast<int>()));
    } catch (const std::exception& e) {
      throw CaseError(field, e.what());
    }
  }
  if (py::isinstance<Month>(object)) return Value(object.cast<Month>());
  if (PyUnicode_Check(object.ptr())) return Value(object.cast<std::string>());
  if (PyList_Check(object.ptr()) || PyTuple_Check(object.ptr())) {
    std::vector<Value> items;
    for (py::handle item : object) items.push_back(from_python(item, field, types));
    return Value(std::move(items));
  }
  if (PyDict_Check(object.ptr())) {
    Record fields;
    for (auto [key, item] : object.cast<py::dict>()) {
      if (!PyUnicode_Check(key.ptr())) throw CaseError(field, "record keys must be field names (text)");
      const std::string name = key.cast<std::string>();
      fields.emplace_back(name, from_python(item, field + "." + name, types));
    }
    return Value(std::move(fields));
  }
  if (PyIndex_Check(object.ptr())) return from_python(py::reinterpret_steal<py::object>(PyNumber_Index(object.ptr())), field, types);
  throw CaseError(field, "kaidah has no value of Python type " + type_name(object));
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
  if (PyUnicode_Check(object.ptr())) {
    try {
      return Date::parse(object.cast<std::string>());
    } catch (const std::invalid_argument& e) {
      throw py::value_error(e.what());
    }
  }
  if (py::isinstance(object, types.datetime) || !py::isinstance(object, types.date)) {
    throw py::type_error("expected a datetime.date or text like '2025-01-31', got " + type_name(object));
  }
  return Date(object.attr("year").cast<int>(), object.attr("month").cast<int>(), object.attr("day").cast<int>());
}

}  // namespace kaidah::python
