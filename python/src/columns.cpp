#include "columns.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>
#include <utility>

namespace kaidah::python {
namespace {

template <class T>
py::array_t<T> array_of(py::handle h) {
  return py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(h);
}


}  // namespace

ColumnReader::ColumnReader(py::handle column, std::string name) : name_(std::move(name)) {
  if (!py::isinstance<py::tuple>(column)) {
    objects_ = py::reinterpret_borrow<py::object>(column);
    rows_ = py::len(objects_);
    return;
  }
  const py::tuple t = py::reinterpret_borrow<py::tuple>(column);
  const std::string kind = py::str(t[0]);
  auto fail = [&](const std::string& why) { throw py::value_error("column '" + name_ + "': " + why); };
  TypedColumn typed;
  if (kind == "enum") {
    values_ = array_of<std::int64_t>(t[1]);
    for (py::handle c : py::reinterpret_borrow<py::sequence>(t[2])) typed.codes.emplace_back(py::str(c));
    typed.type = TypedColumn::Type::code;
  } else {
    if (kind != "decimal" && kind != "integer" && kind != "bool") fail("unknown column kind '" + kind + "'");
    values_ = kind == "bool" ? py::array(array_of<bool>(t[1])) : py::array(array_of<std::int64_t>(t[1]));
    missing_ = array_of<bool>(t[2]);
    if (values_.size() != missing_.size()) fail("values and missing differ in length");
    typed.type = kind == "bool" ? TypedColumn::Type::boolean : kind == "integer" ? TypedColumn::Type::integer : TypedColumn::Type::decimal;
    typed.missing = static_cast<const std::uint8_t*>(missing_.data());  // NumPy's bools are a byte each
    if (kind == "decimal") {
      typed.scale = t[3].cast<int>();
      if (typed.scale < 0 || typed.scale > Decimal::kScale) fail("the scale must be 0 to 12");
    }
  }
  rows_ = static_cast<std::size_t>(values_.size());
  typed.data = values_.data();
  typed.rows = rows_;
  if (typed.type == TypedColumn::Type::code) {
    const auto* code = static_cast<const std::int64_t*>(typed.data);
    for (std::size_t i = 0; i < rows_; ++i)
      if (code[i] >= static_cast<std::int64_t>(typed.codes.size()) || code[i] < -1) fail("a code beyond its categories");
  }
  typed_ = std::move(typed);
}

bool ColumnReader::read_text(std::size_t first, std::size_t n, TypedColumn& view) const {
  if (!PyList_CheckExact(objects_.ptr())) return false;
  // The chunk's own references to its cells: the batch reads their text without the GIL, while
  // another thread could change the list. A list grown shorter is read by read(), which says so.
  PyObject* const slice = PyList_GetSlice(objects_.ptr(), static_cast<Py_ssize_t>(first), static_cast<Py_ssize_t>(first + n));
  if (slice == nullptr) throw py::error_already_set();
  chunk_ = py::reinterpret_steal<py::object>(slice);
  if (static_cast<std::size_t>(PyList_GET_SIZE(slice)) != n) return false;
  texts_.resize(n);
  absent_.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    PyObject* const o = PyList_GET_ITEM(slice, static_cast<Py_ssize_t>(i));
    if (o == Py_None || (PyFloat_CheckExact(o) && std::isnan(PyFloat_AS_DOUBLE(o)))) {
      absent_[i] = 1;
      continue;
    }
    if (!PyUnicode_CheckExact(o)) return false;
    const std::optional<std::string_view> utf8 = utf8_of(o);  // kept in the str, which chunk_ holds
    if (!utf8) return false;
    texts_[i] = *utf8;
  }
  view = TypedColumn{};
  view.type = TypedColumn::Type::text;
  view.data = texts_.data();
  view.missing = absent_.data();
  view.rows = n;
  return true;
}

void ColumnReader::read(std::size_t first, std::vector<Value>& cells, const PyTypes& types, std::size_t column,
                        std::vector<RefusedCell>& refused) const {
  const py::sequence items = py::reinterpret_borrow<py::sequence>(objects_);
  for (std::size_t i = 0; i < cells.size(); ++i) {
    try {
      cells[i] = from_python(items[first + i], name_, types);
    } catch (const CaseError& e) {
      cells[i] = Value();
      refused.push_back({i, column, e.reason()});
    }
  }
}

TypedColumn ColumnReader::view(std::size_t first, std::size_t n) const { return typed_->slice(first, n); }

ColumnWriter::ColumnWriter(std::string type, std::vector<std::string> values, std::size_t rows, bool typed)
    : type_(std::move(type)), values_(std::move(values)), typed_(typed), missing_(static_cast<py::ssize_t>(rows)) {
  as_objects_ = !typed_ || !(type_ == "decimal" || type_ == "integer" || type_ == "bool" || type_ == "enum");
  if (as_objects_) {
    objects_.resize(rows);
  } else if (type_ == "bool") {
    data_ = py::array_t<bool>(static_cast<py::ssize_t>(rows));
  } else {
    data_ = py::array_t<std::int64_t>(static_cast<py::ssize_t>(rows));
  }
}

void ColumnWriter::to_objects(std::size_t upto) {
  objects_.resize(static_cast<std::size_t>(missing_.size()));
  const auto* v = static_cast<const std::int64_t*>(data_.data());
  const bool* none = missing_.data();
  for (std::size_t k = 0; k < upto; ++k)
    objects_[k] = none[k] ? Value() : Value(Decimal::from_scaled(v[k], scale_));
  as_objects_ = true;
}

void ColumnWriter::write(const ResultColumn& chunk, std::size_t first) {
  const std::size_t n = chunk.rows();
  if (!as_objects_ && chunk.type == TypedColumn::Type::decimal && !chunk.wide.empty()) to_objects(first);
  if (chunk.is_list()) {
    // Rows with the same items share one list (people with the same months in arrears), made
    // once here and converted once by finish().
    const auto* bytes = reinterpret_cast<const char*>(chunk.type == TypedColumn::Type::boolean ? static_cast<const void*>(chunk.flags.data())
                                                      : chunk.wide.empty() ? static_cast<const void*>(chunk.numbers.data())
                                                                           : static_cast<const void*>(chunk.wide.data()));
    const std::size_t width = chunk.type == TypedColumn::Type::boolean ? 1 : chunk.wide.empty() ? 8 : 16;
    std::unordered_map<std::string_view, Value> made;
    for (std::size_t i = 0; i < n; ++i) {
      if (!chunk.has_value(i)) {
        objects_[first + i] = Value();
        continue;
      }
      const auto from = static_cast<std::size_t>(chunk.offsets[i]), to = static_cast<std::size_t>(chunk.offsets[i + 1]);
      auto [it, added] = made.try_emplace(std::string_view(bytes + from * width, (to - from) * width));
      if (added) it->second = chunk.value(i);
      objects_[first + i] = it->second;
    }
    return;
  }
  if (as_objects_) {
    for (std::size_t i = 0; i < n; ++i) objects_[first + i] = chunk.value(i);
    return;
  }
  bool* none = missing_.mutable_data() + first;
  for (std::size_t i = 0; i < n; ++i) none[i] = chunk.missing[i] != 0;
  if (type_ == "bool") {
    std::copy_n(chunk.flags.begin(), n, static_cast<bool*>(data_.mutable_data()) + first);
    return;
  }
  std::int64_t* all = static_cast<std::int64_t*>(data_.mutable_data());
  if (type_ != "decimal") {  // integers, and enum codes in the decision's declared order
    std::copy_n(chunk.numbers.begin(), n, all + first);
    return;
  }
  // One scale for the whole column, the finest of the chunks': the coarser rows are multiplied
  // up, if 64 bits hold them there; else the column stays exact as objects.
  const auto fits = [](const std::int64_t* v, std::size_t count, std::int64_t factor) {
    if (factor == 1) return true;  // the common case: the same scale, nothing to check
    const std::int64_t high = INT64_MAX / factor, low = INT64_MIN / factor;
    return std::all_of(v, v + count, [&](std::int64_t x) { return x <= high && x >= low; });
  };
  const auto power = [](int digits) {
    std::int64_t p = 1;
    while (digits-- > 0) p *= 10;
    return p;
  };
  const int scale = std::max(scale_, chunk.scale);
  const std::int64_t earlier = power(scale - scale_), now = power(scale - chunk.scale);
  if (!fits(all, first, earlier) || !fits(chunk.numbers.data(), n, now)) {
    to_objects(first);
    for (std::size_t i = 0; i < n; ++i) objects_[first + i] = chunk.value(i);
    return;
  }
  if (earlier != 1)
    for (std::size_t k = 0; k < first; ++k) all[k] *= earlier;
  scale_ = scale;
  for (std::size_t i = 0; i < n; ++i) all[first + i] = chunk.numbers[i] * now;
}

namespace {

// Cells as Python objects, for a column of them. A list the batch shares between rows (people with
// the same months in arrears share one) is converted once, and each other row given its own copy
// (a Python list is mutable); the decimals, months and dates in lists are made once each, as they
// are immutable. A list of records (dicts, mutable) is made anew for each row.
class ObjectCells {
 public:
  explicit ObjectCells(const PyTypes& types) : types_(types) {}

  py::object convert(const Value& v) {
    if (v.kind() != Kind::list || v.as_list().empty() || !shareable(v.as_list().front())) return to_python(v, types_);
    const std::vector<Value>& items = v.as_list();
    auto [it, added] = lists_.try_emplace(&items);
    if (added) {  // the first row takes the list made: no Python code sees it before the copies
      py::list made(items.size());
      for (std::size_t k = 0; k < items.size(); ++k) made[k] = item(items[k]);
      it->second = made;
      return std::move(made);
    }
    PyObject* copy = PyList_GetSlice(it->second.ptr(), 0, PY_SSIZE_T_MAX);
    if (copy == nullptr) throw py::error_already_set();
    return py::reinterpret_steal<py::object>(copy);
  }

 private:
  static bool shareable(const Value& item) {
    switch (item.kind()) {
      case Kind::decimal: case Kind::month: case Kind::date: case Kind::integer: case Kind::boolean: case Kind::text:
        return true;
      default: return false;  // records and lists: mutable in Python
    }
  }
  py::object item(const Value& v) {
    Int128 key = 0;
    switch (v.kind()) {
      case Kind::decimal: key = v.as_decimal().raw(); break;
      case Kind::month: key = std::int64_t{v.as_month().year()} * 12 + v.as_month().month(); break;
      case Kind::date: key = std::int64_t{v.as_date().year()} * 10'000 + v.as_date().month() * 100 + v.as_date().day(); break;
      default: return to_python(v, types_);  // ints, bools and text: cheap, or interned by Python
    }
    auto [it, added] = items_.try_emplace({v.kind(), key});
    if (added) it->second = to_python(v, types_);
    return it->second;
  }

  const PyTypes& types_;
  std::unordered_map<const std::vector<Value>*, py::list> lists_;  // by the Values' storage: alive while converting
  std::map<std::pair<Kind, Int128>, py::object> items_;
};

}  // namespace

py::object ColumnWriter::finish(const PyTypes& types) {
  if (as_objects_) {
    ObjectCells cells(types);
    py::list out(objects_.size());
    for (std::size_t i = 0; i < objects_.size(); ++i) out[i] = cells.convert(objects_[i]);
    return std::move(out);
  }
  if (type_ == "decimal") return py::make_tuple("decimal", data_, missing_, scale_);
  if (type_ == "enum") return py::make_tuple("enum", data_, py::cast(values_));
  return py::make_tuple(type_, data_, missing_);
}

}  // namespace kaidah::python
