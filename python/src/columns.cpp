#include "columns.h"

namespace kaidah::python {
namespace {

template <class T>
py::array_t<T> array_of(py::handle h) {
  return py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(h);
}


}  // namespace

ColumnReader::ColumnReader(py::handle column, std::string name) : name_(std::move(name)) {
  if (!py::isinstance<py::tuple>(column)) {
    kind_ = "objects";
    objects_ = py::reinterpret_borrow<py::object>(column);
    rows_ = py::len(objects_);
    return;
  }
  const py::tuple t = py::reinterpret_borrow<py::tuple>(column);
  kind_ = py::str(t[0]);
  auto fail = [&](const std::string& why) { throw py::value_error("column '" + name_ + "': " + why); };
  if (kind_ == "enum") {
    values_ = array_of<std::int64_t>(t[1]);
    for (py::handle c : py::reinterpret_borrow<py::sequence>(t[2])) categories_.emplace_back(std::string(py::str(c)));
    rows_ = static_cast<std::size_t>(values_.size());
    const auto* code = static_cast<const std::int64_t*>(values_.data());
    for (std::size_t i = 0; i < rows_; ++i)
      if (code[i] >= static_cast<std::int64_t>(categories_.size())) fail("a code beyond its categories");
    return;
  }
  if (kind_ != "decimal" && kind_ != "integer" && kind_ != "bool") fail("unknown column kind '" + kind_ + "'");
  values_ = kind_ == "bool" ? py::array(array_of<bool>(t[1])) : py::array(array_of<std::int64_t>(t[1]));
  missing_ = array_of<bool>(t[2]);
  if (values_.size() != missing_.size()) fail("values and missing differ in length");
  rows_ = static_cast<std::size_t>(values_.size());
  if (kind_ == "decimal") {
    const int scale = t[3].cast<int>();
    if (scale < 0 || scale > Decimal::kScale) fail("the scale must be 0 to 12");
    unit_ = Decimal::from_scaled(1, scale).raw();
  }
}

void ColumnReader::read(std::size_t first, std::vector<Value>& cells, const PyTypes& types, std::size_t column,
                        std::vector<RefusedCell>& refused) const {
  const std::size_t n = cells.size();
  if (kind_ == "objects") {
    const py::sequence items = py::reinterpret_borrow<py::sequence>(objects_);
    for (std::size_t i = 0; i < n; ++i) {
      try {
        cells[i] = from_python(items[first + i], name_, types);
      } catch (const CaseError& e) {
        cells[i] = Value();
        refused.push_back({i, column, e.reason()});
      }
    }
    return;
  }
  if (kind_ == "enum") {
    const auto* code = static_cast<const std::int64_t*>(values_.data()) + first;
    for (std::size_t i = 0; i < n; ++i) cells[i] = code[i] < 0 ? Value() : categories_[static_cast<std::size_t>(code[i])];
    return;
  }
  const bool* none = static_cast<const bool*>(missing_.data()) + first;
  if (kind_ == "bool") {
    const bool* v = static_cast<const bool*>(values_.data()) + first;
    for (std::size_t i = 0; i < n; ++i) cells[i] = none[i] ? Value() : Value(v[i]);
    return;
  }
  const auto* v = static_cast<const std::int64_t*>(values_.data()) + first;
  if (kind_ == "integer") {
    for (std::size_t i = 0; i < n; ++i) cells[i] = none[i] ? Value() : Value(v[i]);
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      if (none[i]) {
        cells[i] = Value();
      } else {
        cells[i] = Decimal::from_raw(v[i] * unit_);  // in place: no Value in between
      }
    }
  }
}

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

void ColumnWriter::write(const std::vector<Value>& chunk, std::size_t first) {
  const std::size_t n = chunk.size();
  if (as_objects_) {
    for (std::size_t i = 0; i < n; ++i) objects_[first + i] = chunk[i];
    return;
  }
  bool* none = missing_.mutable_data() + first;
  for (std::size_t i = 0; i < n; ++i) none[i] = !chunk[i].has_value();
  if (type_ == "bool") {
    bool* v = static_cast<bool*>(data_.mutable_data()) + first;
    for (std::size_t i = 0; i < n; ++i) v[i] = !none[i] && chunk[i].as_bool();
    return;
  }
  std::int64_t* all = static_cast<std::int64_t*>(data_.mutable_data());
  std::int64_t* v = all + first;
  if (type_ == "integer") {
    for (std::size_t i = 0; i < n; ++i) v[i] = none[i] ? 0 : chunk[i].as_integer();
    return;
  }
  if (type_ == "enum") {
    for (std::size_t i = 0; i < n; ++i) {
      v[i] = -1;
      if (none[i]) continue;
      for (std::size_t k = 0; k < values_.size(); ++k)
        if (values_[k] == chunk[i].as_text()) v[i] = static_cast<std::int64_t>(k);
    }
    return;
  }
  for (std::size_t i = 0; i < n; ++i) {  // decimals: the fewest digits that hold every value exactly
    v[i] = 0;
    if (none[i]) continue;
    const Decimal& value = chunk[i].as_decimal();
    if (const auto units = value.scaled(scale_)) {
      v[i] = *units;
      continue;
    }
    int scale = scale_;
    do {
      ++scale;
    } while (scale <= Decimal::kScale && value.round(scale, Rounding::down) != value);
    // Earlier values move to the finer scale if 64 bits hold them all there; else the column
    // stays exact as objects.
    std::int64_t factor = scale <= Decimal::kScale ? 1 : 0;
    for (int k = scale_; factor != 0 && k < scale; ++k) factor *= 10;
    const std::size_t done = first + i;
    bool fits = factor != 0 && value.scaled(scale).has_value();
    for (std::size_t k = 0; k < done && fits; ++k)
      fits = missing_.data()[k] || (all[k] <= INT64_MAX / factor && all[k] >= INT64_MIN / factor);
    if (!fits) {
      to_objects(done);
      for (std::size_t k = i; k < n; ++k) objects_[first + k] = chunk[k];
      return;
    }
    for (std::size_t k = 0; k < done; ++k) all[k] *= factor;
    scale_ = scale;
    v[i] = *value.scaled(scale_);
  }
}

py::object ColumnWriter::finish(const PyTypes& types) {
  if (as_objects_) {
    py::list out(objects_.size());
    for (std::size_t i = 0; i < objects_.size(); ++i) out[i] = to_python(objects_[i], types);
    return std::move(out);
  }
  if (type_ == "decimal") return py::make_tuple("decimal", data_, missing_, scale_);
  if (type_ == "enum") return py::make_tuple("enum", data_, py::cast(values_));
  return py::make_tuple(type_, data_, missing_);
}

}  // namespace kaidah::python
