#pragma once
// Columns between Python and a Batch, a chunk of rows at a time.
//
// A column from Python is a list of objects (each converted as a case's value is), or a typed
// column that the batch reads in place from its NumPy buffers (a TypedColumn), with no Python
// object and no Value a cell (kaidah.dataframe makes them from DecimalArray, integer, bool and
// categorical columns):
//   ("decimal", values: int64[], missing: bool[], scale)   each value is values[i] / 10^scale
//   ("integer", values: int64[], missing: bool[])
//   ("bool", values: bool[], missing: bool[])
//   ("enum", codes: int64[] (-1: missing), categories: list of str)
// A chunk of a list that holds nothing but str (and None or NaN where missing), as a CSV read by
// pandas with dtype=str gives, goes to the batch as a text column: views of each str's UTF-8,
// which the batch parses as the Value of that text would be, with no Value a cell.
// A result column is a list of objects, or, when asked for, the same kinds of typed column:
// decimals that fit in 64 bits at one scale of 0 to 12 digits, integers, bools and enums, copied
// from the batch's typed results (ResultColumn) a chunk at a time.

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <atomic>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <string>
#include <string_view>
#include <vector>

#include "convert.h"

namespace kaidah::python {

// Runs fn(i) for every i in [0, count) on up to `threads` threads (the caller's included); the
// first exception is rethrown once all have stopped.
template <class F>
void parallel_for(std::size_t count, unsigned threads, F&& fn) {
  std::atomic<std::size_t> next{0};
  std::exception_ptr error;
  std::mutex mutex;
  auto work = [&] {
    for (std::size_t i; (i = next++) < count;) {
      try {
        fn(i);
      } catch (...) {
        const std::lock_guard<std::mutex> lock(mutex);
        if (!error) error = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < std::min<std::size_t>(threads, count); ++t) pool.emplace_back(work);
  work();
  for (auto& th : pool) th.join();
  if (error) std::rethrow_exception(error);
}

class ColumnReader {
 public:
  ColumnReader(py::handle column, std::string name);
  std::size_t rows() const { return rows_; }
  // A list of Python objects: read() needs the GIL. A typed column is read in place by the
  // batch (view()), with no GIL and no Value a cell.
  bool objects() const { return !typed_; }
  // Rows [first, first + n) of a list of objects as a text column, when they are all str, None
  // or NaN (exactly those types: what read() takes as text and as missing): views of each str's
  // UTF-8, valid until the next call. False otherwise (a str with a lone surrogate has no UTF-8):
  // read() then takes each object as it does any, refusing that one with its reason.
  bool read_text(std::size_t first, std::size_t n, TypedColumn& view) const;
  // Rows [first, first + cells.size()) of a list of objects into `cells`. A cell that does not
  // convert (a float, an object of no input's type) is a none cell and refused: {i, column,
  // reason} in `refused`.
  void read(std::size_t first, std::vector<Value>& cells, const PyTypes& types, std::size_t column,
            std::vector<RefusedCell>& refused) const;
  // Rows [first, first + n) of a typed column: a view of its NumPy buffers.
  TypedColumn view(std::size_t first, std::size_t n) const;

 private:
  std::string name_;
  py::object objects_;
  py::array values_, missing_;  // kept alive while the batch reads them
  mutable py::object chunk_;                      // read_text()'s chunk of the list: its str kept alive
  mutable std::vector<std::string_view> texts_;  // and views of their UTF-8
  mutable std::vector<std::uint8_t> absent_;     // and which of its cells are missing
  std::optional<TypedColumn> typed_;
  std::size_t rows_ = 0;
};

class ColumnWriter {
 public:
  // `type` is the decision's declared type ("decimal", "enum"…); `values` its enum values.
  ColumnWriter(std::string type, std::vector<std::string> values, std::size_t rows, bool typed);
  // `chunk` (a batch's typed result) holds rows [first, first + chunk.rows()). Needs no GIL:
  // writers of different columns may run at once.
  void write(const ResultColumn& chunk, std::size_t first);
  py::object finish(const PyTypes& types);

 private:
  void to_objects(std::size_t upto);  // a decimal column 64 bits cannot hold: rows [0, upto) as Values
  std::string type_;
  std::vector<std::string> values_;
  bool typed_;
  int scale_ = 0;
  py::array data_;                 // int64 or bool, by type
  py::array_t<bool> missing_;
  std::vector<Value> objects_;     // the untyped column (or a decimal one beyond 64 bits)
  bool as_objects_;
};

}  // namespace kaidah::python
