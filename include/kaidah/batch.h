#pragma once
/// \file
/// Many cases at once: input columns in, decision columns out, a failure kept as data with the
/// cells it left without value.
///
/// **Example** (re-pricing a roster after a rate change):
/// \code
///   const kaidah::Rulebook rules = kaidah::Rulebook::load("rules/jkn");
///   const kaidah::Batch batch(rules, {"work_status", "employer_type", "wage", "minimum_wage"},
///                             kaidah::Date(2026, 11, 24), {"iuran_employer", "iuran_worker"});
///   std::vector<std::vector<kaidah::Value>> columns = ...;  // one column per input, same length
///   const kaidah::BatchResult out = batch.run(columns);
///   // out.columns[0][row] is that row's iuran_employer; out.errors lists the rows that failed.
/// \endcode

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kaidah/decimal.h"
#include "kaidah/value.h"

namespace kaidah {

class Rulebook;

/// How a batch runs.
struct BatchOptions {
  /// Threads that evaluate rows; 0 means one per core (std::thread::hardware_concurrency()).
  /// Rows are split into contiguous ranges, so results do not depend on the thread count.
  /// At most kMaxThreads: Batch's constructor throws std::invalid_argument past it.
  unsigned threads = 0;
  static constexpr unsigned kMaxThreads = 1024;
  /// false (partial answers): a row computes every decision that does not depend on what is
  /// missing or wrong in it, and each failure says which decisions it left without value.
  /// true: the first failure leaves the whole row without value (Rulebook::evaluate's
  /// OnError::raise, as data).
  bool whole_row = false;
  /// true: each decision's column comes in BatchResult::typed as machine values (ResultColumn),
  /// not as Values in BatchResult::columns, which stays empty.
  bool typed_results = false;
};

/// Why cells of a row have no value: one failure of that row. The other rows are not affected.
struct RowError {
  std::size_t row = 0;  ///< 0-based index into the batch's columns
  /// `input`: the value of input `field` does not fit it (refused, so that nothing reads it);
  /// `decision`: decision `field` could not be computed (a missing input, overflow…).
  enum class Kind { input, decision } kind = Kind::decision;
  std::string field;
  std::string message;  ///< the reason; for a decision, located like EvaluationError::what()
  /// The input behind it, or "": for kind `input`, `field` itself (refused); for kind `decision`,
  /// an input the case does not give and that has no default.
  std::string input;
  /// The requested decisions (indexes into BatchResult::decisions) it left without value, in
  /// order; every one with BatchOptions::whole_row. A refused value no requested decision reads
  /// has none, and is still reported.
  std::vector<std::size_t> columns;
};

/// One row's failures as text, the one spelling every tool uses (people.csv, a DataFrame's
/// `error`, `diff`): a reason per cause, joined by "; ", each with the decisions it left without
/// value: "needs kelas, not given (no payer, iuran_total)", "input 'wage': -1 is below the
/// minimum 0 (no iuran_worker)", or a failure as EvaluationError::what() writes it. `decisions`
/// are the names RowError::columns index (BatchResult::decisions).
std::string describe_failures(std::span<const RowError> row, std::span<const std::string> decisions);

/// A cell the host could not read as a value of its input (a float where money must be exact, a
/// spreadsheet cell written in no form the input takes): the batch refuses it as it refuses a
/// value that does not fit (a RowError of kind `input` with `reason`) and answers what does not
/// read it. The cell itself, in the columns, is not read.
struct RefusedCell {
  std::size_t row = 0;     ///< 0-based index into the batch's columns
  std::size_t column = 0;  ///< index into Batch::input_columns()
  std::string reason;
};

/// An input column held as machine values and read in place (a NumPy array, an Arrow buffer, a
/// host's own vector): no Value per cell. Row i's value, unless `missing` marks it, is
///   decimal  data[i] / 10^scale, data an int64_t array (scale 0 to 12);
///   integer  data[i], int64_t;
///   boolean  data[i] != 0, data a uint8_t array;
///   date     data[i] days after 1970-01-01, int64_t (NumPy's datetime64[D]);
///   month    data[i] months after January 1970, int64_t (pandas' Period[M] ordinals);
///   code     codes[data[i]], an enum's spelling, int64_t (a pandas categorical's codes and
///            categories); -1 is missing too;
///   text     data[i] a std::string_view: text as a CSV cell holds it, read as Value(text) would
///            be ("3800000" for a decimal input, "[2025-01]" for a list), with no Value made for
///            a number, date, bool or an enum's spelling. The text is only looked at, too.
/// A list column (`offsets` not null: Arrow's large_list layout, its 64-bit offsets, with items as
/// above, 8 bytes each or a byte a bool) holds a list a row: row i's items are
/// the cells offsets[i] to offsets[i + 1] - 1 of `data`, each read as a cell of `type` is (a code
/// of -1, an item with no value, is refused). `offsets` has rows + 1 entries, ascending, and need
/// not start at 0; `missing` marks the rows given no list at all ([] is a list).
/// Each value is read as the same Value would be: converted to the input's type where a Value
/// would be (an integer for a decimal input), refused where it would be (below the input's
/// minimum, a spelling not among its values). A date or month outside the years 1400-9999 is a
/// refused cell. The column is only looked at, during Batch::run.
struct TypedColumn {
  enum class Type : std::uint8_t { decimal, integer, boolean, date, month, code, text };
  Type type = Type::integer;
  const void* data = nullptr;
  const std::uint8_t* missing = nullptr;  ///< one byte a row, non-zero where missing; null: none is
  std::size_t rows = 0;
  int scale = 0;                   ///< decimal
  std::vector<std::string> codes;  ///< code
  const std::int64_t* offsets = nullptr;  ///< a list column: where each row's items begin (above)
  /// Rows [first, first + n) of this column (a chunk of it), its arrays not copied.
  TypedColumn slice(std::size_t first, std::size_t n) const {
    TypedColumn out = *this;
    const std::size_t width = type == Type::boolean ? 1 : type == Type::text ? sizeof(std::string_view) : sizeof(std::int64_t);
    if (offsets) {
      out.offsets = offsets + first;  // the items stay where they are: the offsets point into them
    } else {
      out.data = static_cast<const char*>(data) + first * width;
    }
    if (missing) out.missing = missing + first;
    out.rows = n;
    return out;
  }
};

/// One input column of a batch: Values (any input's, lists and text included), or a typed
/// column. Only looked at, during Batch::run.
class BatchColumn {
 public:
  BatchColumn(std::span<const Value> values) : values_(values) {}  // NOLINT: a column of Values is one
  BatchColumn(const std::vector<Value>& values) : values_(values) {}  // NOLINT: in a braced list too
  BatchColumn(const TypedColumn& typed) : typed_(&typed) {}         // NOLINT: so is a typed column
  // Only looked at: a temporary would be gone before run() reads it.
  BatchColumn(std::vector<Value>&&) = delete;
  BatchColumn(TypedColumn&&) = delete;
  std::size_t rows() const { return typed_ ? typed_->rows : values_.size(); }
  /// Null for a column of Values.
  const TypedColumn* typed() const { return typed_; }
  std::span<const Value> values() const { return values_; }

 private:
  std::span<const Value> values_;
  const TypedColumn* typed_ = nullptr;
};

/// A decision's column as machine values (BatchOptions::typed_results), laid out as TypedColumn
/// reads them, what NumPy and Arrow take without a copy:
///   decimal  numbers[i] / 10^scale, at a scale (0 to 12) that holds every value exactly, the
///            fewest digits that hold the rows computed so (rows blanked afterwards can leave it
///            finer); when 64 bits do not hold them all at one scale, `wide` holds every row's raw
///            value (Decimal::raw(), scale 12) and `numbers` is empty: check wide.empty() first;
///   integer, date, month, code  numbers, as TypedColumn has them (a code indexes `codes`, the
///            decision's declared values);
///   boolean  flags.
/// `missing` is non-zero where the row has no value.
/// A list of those (months in arrears, their prices) is laid out as TypedColumn's lists are:
/// `offsets` (rows + 1 of them, from 0) says where each row's items are in numbers, wide or flags,
/// which hold items, not rows; `type`, `scale` and `codes` are the items'. A row without value
/// has no items. `offsets` is empty for a column of scalars.
/// A decision of no such type (plain text, a record, a list of records or of plain text) has no
/// `type`: its column is `values`. So has, for one run, a list column one of whose lists holds an
/// item without value (an optional list decision's none), which no item array holds: a caller
/// streaming chunks checks `type` for each.
struct ResultColumn {
  std::optional<TypedColumn::Type> type;
  std::vector<std::int64_t> numbers;
  std::vector<Int128> wide;
  std::vector<std::uint8_t> flags, missing;
  int scale = 0;
  std::vector<std::string> codes;
  std::vector<std::int64_t> offsets;
  std::vector<Value> values;
  bool is_list() const { return !offsets.empty(); }
  std::size_t rows() const { return type ? missing.size() : values.size(); }
  /// Whether row i has a value.
  bool has_value(std::size_t i) const { return type ? missing[i] == 0 : values[i].has_value(); }
  /// Row i as the Value it holds (none where missing; a list of Values for a list column).
  Value value(std::size_t i) const;
  /// Item k (of `numbers`, `wide` or `flags`) of a list column, or row k of a column of scalars
  /// that has a value, as a Value.
  Value item(std::size_t k) const;
  /// Row i's text as value(i).to_string() writes it ("150000", "0.05", "kelas_3"), appended to
  /// `out` with no Value made; nothing where it is missing (what `kaidah sweep` writes people.csv
  /// with).
  void append_text(std::size_t i, std::string& out) const;
};

/// The decisions of every row: `columns[d][row]` is decision `decisions[d]` of that row, none
/// where a failure (in `errors`) left it without value.
struct BatchResult {
  std::vector<std::string> decisions;
  std::vector<std::vector<Value>> columns;
  /// With BatchOptions::typed_results, instead of `columns`: typed[d] is decision d's column.
  std::vector<ResultColumn> typed;
  /// Ascending by row: per row, its refused values in input-name order, then the failures of
  /// its decisions in the order of their first column (with whole_row, at most one per row).
  std::vector<RowError> errors;
  /// How many rows the columnar form could not complete (an input missing or refused, a value it
  /// would not give exactly, such as an overflow or a list longer than a block holds), which the
  /// evaluator then computed from the case alone. It never changes a value, only the speed: a
  /// figure for tests and benchmarks (a clean population should have none).
  std::size_t rows_evaluated_alone = 0;
  std::size_t rows() const {
    return !columns.empty() ? columns.front().size() : typed.empty() ? 0 : typed.front().rows();
  }
};

/// An evaluation prepared once for a rulebook, the input columns it receives, the decisions it
/// computes and the evaluation date, then run over any number of rows (or of chunks of rows, for
/// a roster streamed from disk; about 16,000 rows a chunk keep a chunk in the cache). Names are
/// resolved and parameter values looked up for the date once, not per row. Decisions are
/// computed column by column, a block of rows at a time (columnar_decisions(): the scalar part of
/// the language and lists of scalars, such as months in arrears and their prices); the rest
/// (plain text, records built, a comprehension within a comprehension), and any row that path is
/// unsure of, by the evaluator `Rulebook::evaluate` uses. Results are the same values
/// `Rulebook::evaluate` gives one case at a time (a test holds them equal on 100,000 cases).
///
/// A Batch keeps its rulebook's compiled program alive; it is immutable, and run() may be called
/// from several threads at once.
class Batch {
 public:
  /// Throws CaseError for a column that is not an input (or appears twice), EvaluationError for
  /// a decision the rulebook lacks. `decisions` empty: every decision.
  Batch(const Rulebook& rules, std::vector<std::string> input_columns, const Date& date,
        std::vector<std::string> decisions = {}, BatchOptions options = {});
  ~Batch();
  Batch(Batch&&) noexcept;
  Batch& operator=(Batch&&) noexcept;

  const std::vector<std::string>& input_columns() const;
  const std::vector<std::string>& decisions() const;
  const Date& date() const;
  /// The requested decisions computed column by column, a block of rows at a time (the fast
  /// path); the others are evaluated row by row. Both give the
  /// same values; this says where a batch's time goes.
  std::vector<std::string> columnar_decisions() const;

  /// Evaluates every row. `columns[i]` holds input `input_columns()[i]` for each row; a none
  /// value means "not given" (the input's default applies). Throws std::invalid_argument when
  /// the number of columns or their lengths do not match.
  BatchResult run(const std::vector<std::vector<Value>>& columns) const;
  /// The same into `out`, reusing its buffers: a caller streaming chunks passes the same result
  /// each time, so memory stays that of one chunk.
  void run(const std::vector<std::vector<Value>>& columns, BatchResult& out) const;
  /// The same, with the cells the host could not read refused (in any order; one per cell).
  /// Throws std::invalid_argument for a refused cell outside the columns or refused twice.
  void run(const std::vector<std::vector<Value>>& columns, std::span<const RefusedCell> refused, BatchResult& out) const;
  /// The same over columns of Values or typed columns (TypedColumn: read in place, no Value a
  /// cell; the fast path for NumPy and Arrow). Also throws std::invalid_argument for a typed
  /// column with no data, a scale outside 0-12, or a code outside its codes.
  void run(std::span<const BatchColumn> columns, std::span<const RefusedCell> refused, BatchResult& out) const;

 private:
  struct Plan;
  std::unique_ptr<const Plan> plan_;
};

}  // namespace kaidah
