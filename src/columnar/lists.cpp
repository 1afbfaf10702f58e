// The instructions across spaces: a row's lane to its items, list making, and reductions of a
// list to a lane per row.

#include "columnar/common.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <functional>
#include <optional>
#include <stdexcept>

#include "eval/inputs.h"
#include "lang/builtins.h"

namespace kaidah::detail {

using namespace lanes;

namespace {

template <class T>
const T* as(const void* lanes) { return static_cast<const T*>(lanes); }

}  // namespace

// The operands of a list instruction that writes a lane per row, for execute_list()'s parts: the
// lanes of a, b and c (of their registers' widths) and the lanes written, the list read (s: a, or
// b for contains) and the list made (out, t).
struct Columnar::ListStep {
  std::size_t rows;
  void* d;
  std::uint8_t* db;
  const void *x, *y, *z;
  const std::uint8_t *xb, *yb, *zb;
  const Block::Segments* s;
  const List* out;
  Block::Segments* t;

  // Whether any item of row i's list (as s holds it) is bad in `bad`.
  bool any_bad(std::size_t i, const std::uint8_t* bad) const { return any_set(bad + s->start[i], s->length[i]); }
  // Row i's new list has `length` items (none if bad): its length, a word.
  void set_length(std::size_t i, bool bad, std::uint64_t length) const {
    if (bad) length = 0;
    t->length[i] = static_cast<std::uint32_t>(length);
    static_cast<Word*>(d)[i] = static_cast<Word>(length);
    db[i] = bad;
  }
};

void Columnar::execute_list(Block& b, const Instruction& in) const {
  switch (in.code) {
    case Code::gather: return gather_items(b, in);
    case Code::expand: return expand_runs(b, in);
    case Code::contains:
      if (registers_[in.a].space != 0) return contains_items(b, in);  // an item in its row's list
      break;
    default: break;
  }
  // Every other writes a lane per row: a list's length, or a value from a list.
  const int source = in.code == Code::contains ? in.b : in.a;
  const ListStep step{b.rows_,
                      lanes_of(b, in.dst),
                      bad_of(b, in.dst),
                      in.a >= 0 ? lanes_of(b, in.a) : nullptr,
                      in.b >= 0 ? lanes_of(b, in.b) : nullptr,
                      in.c >= 0 ? lanes_of(b, in.c) : nullptr,
                      in.a >= 0 ? bad_of(b, in.a) : nullptr,
                      in.b >= 0 ? bad_of(b, in.b) : nullptr,
                      in.c >= 0 ? bad_of(b, in.c) : nullptr,
                      source >= 0 && lists_.count(source) ? &b.spaces_[lists_.at(source).space] : nullptr,
                      lists_.count(in.dst) ? &lists_.at(in.dst) : nullptr,
                      lists_.count(in.dst) ? &b.spaces_[lists_.at(in.dst).space] : nullptr};
  if (in.counts) {
    const Word* length = as<Word>(step.x);
    for (std::size_t i = 0; i < step.rows; ++i) b.iterations_[i] += static_cast<long>(length[i]);
  }
  switch (in.code) {
    case Code::empty_list: case Code::month_range: case Code::day_range: return make_range(b, in, step);
    case Code::runs: return make_runs(b, in, step);
    case Code::map: case Code::count: {  // a map's items are its body's: it fails if one of them does
      const Word* length = as<Word>(step.x);
      Word* d = static_cast<Word*>(step.d);
      for (std::size_t i = 0; i < step.rows; ++i) {
        d[i] = length[i];
        step.db[i] = step.xb[i] || (in.code == Code::map && step.any_bad(i, step.yb));
      }
      return;
    }
    case Code::filter: case Code::sorted: case Code::last: case Code::select_list: return select_items(b, in, step);
    case Code::count_true: case Code::sum_int: case Code::sum_dec: case Code::min_of: case Code::max_of:
    case Code::any_true: case Code::all_true: case Code::first_true: case Code::contains:
      return reduce(b, in, step);
    case Code::sum_runs: case Code::sum_last_runs: return reduce_runs(b, in, step);
    default: throw std::logic_error("internal error: not a list instruction");  // compute()'s
  }
}

// A row's lane copied to each of its items.
void Columnar::gather_items(Block& b, const Instruction& in) const {
  const Block::Segments& s = b.spaces_[registers_[in.dst].space];
  std::uint8_t* db = bad_of(b, in.dst);
  const std::uint8_t* xb = bad_of(b, in.a);
  by_width(registers_[in.dst].width, [&](auto t) {
    using T = decltype(t);
    T* d = lanes_as<T>(b, in.dst);
    const T* x = lanes_as<T>(b, in.a);
    for (std::size_t k = 0; k < s.size; ++k) {
      d[k] = x[s.owner[k]];
      db[k] = xb[s.owner[k]];
    }
  });
}

// A run's lane copied to each item of the run.
void Columnar::expand_runs(Block& b, const Instruction& in) const {
  const Block::Segments& runs = b.spaces_[lists_.at(in.b).space];
  const Block::Segments& items = b.spaces_[registers_[in.dst].space];
  std::uint8_t* db = bad_of(b, in.dst);
  const std::uint8_t* xb = bad_of(b, in.a);
  by_width(registers_[in.dst].width, [&](auto t) {
    using T = decltype(t);
    T* d = lanes_as<T>(b, in.dst);
    const T* x = lanes_as<T>(b, in.a);
    for (std::size_t k = 0; k < items.size; ++k) {
      if (runs.length[items.owner[k]] == 0) {  // a row whose list is bad has no runs
        d[k] = 0;
        db[k] = 1;
        continue;
      }
      d[k] = x[runs.run[k]];
      db[k] = xb[runs.run[k]];
    }
  });
}

// Each item a of a list space: whether it is in its row's list b (items c).
void Columnar::contains_items(Block& b, const Instruction& in) const {
  const Block::Segments& s = b.spaces_[registers_[in.a].space];
  const Block::Segments& l = b.spaces_[lists_.at(in.b).space];
  Flag* d = lanes_as<Flag>(b, in.dst);
  std::uint8_t* db = bad_of(b, in.dst);
  const std::uint8_t *xb = bad_of(b, in.a), *yb = bad_of(b, in.b), *zb = bad_of(b, in.c);
  by_width(registers_[in.a].width, [&](auto t) {
    using T = decltype(t);
    const T *x = lanes_as<T>(b, in.a), *z = lanes_as<T>(b, in.c);
    for (std::size_t k = 0; k < s.size; ++k) {
      const std::uint32_t i = s.owner[k], begin = l.start[i], end = begin + l.length[i];
      b.iterations_[i] += static_cast<long>(l.length[i]);  // each item looked at is a step
      const bool bad = xb[k] || yb[i] || any_set(zb + begin, end - begin);
      d[k] = !bad && std::find(z + begin, z + end, x[k]) != z + end;
      db[k] = bad;
    }
  });
}

// [] , months(a, b) or days(a, b): a list of consecutive numbers per row.
void Columnar::make_range(Block& b, const Instruction& in, const ListStep& step) const {
  const auto& [rows, d, db, xv, yv, zv, xb, yb, zb, s, out, t] = step;
  if (in.code == Code::empty_list) {
    for (std::size_t i = 0; i < rows; ++i) step.set_length(i, false, 0);
    lay_out(b, out->space);
    return;
  }
  const Word *x = as<Word>(xv), *y = as<Word>(yv);
  for (std::size_t i = 0; i < rows; ++i) {
    bool bad = xb[i] | yb[i];
    // (In 128 bits: the difference of two lanes can pass 64.)
    const Int128 length = bad || y[i] < x[i] ? 0 : Int128{y[i]} - x[i] + 1;
    bad = bad || length > static_cast<Int128>(kMaxItems);
    step.set_length(i, bad, static_cast<std::uint64_t>(length));
    b.iterations_[i] += static_cast<long>(t->length[i]);  // each made is a step
  }
  lay_out(b, out->space);
  Word* item = lanes_as<Word>(b, out->item);
  std::uint8_t* item_bad = bad_of(b, out->item);
  for (std::size_t i = 0; i < rows; ++i) {
    Word* row_items = item + t->start[i];
    for (std::uint32_t k = 0; k < t->length[i]; ++k) row_items[k] = x[i] + k;
    std::fill_n(item_bad + t->start[i], t->length[i], 0);
  }
}

// The first item of each run of items that the body sees alike (run_tables_).
void Columnar::make_runs(Block& b, const Instruction& in, const ListStep& step) const {
  if (lists_.at(in.a).ascending) return make_ascending_runs(b, in, step);
  // Not a structured binding of step, as elsewhere: clang 14 cannot capture one in a lambda.
  const std::size_t rows = step.rows;
  const Word* z = as<Word>(step.z);  // months or days
  const std::uint8_t* xb = step.xb;
  const Block::Segments* s = step.s;
  // Each item's key, what the body sees of it: its period (bits 0-19), its year (20-39), each
  // bound's comparison (a bit each from 40). Then a run wherever the key changes within a row's list.
  const RunTable& table = run_tables_[in.parameter];
  const Kind item_kind = registers_[in.c].kind;
  std::vector<std::uint64_t>& key = b.run_keys_;
  key.resize(s->size);
  const std::vector<std::int64_t>& starts = table.starts;
  std::vector<std::int64_t>& years = b.run_years_;
  const bool of_year = std::any_of(table.bounds.begin(), table.bounds.end(), [](const RunTable::Bound& d) { return d.of_year; });
  if (table.by_year || of_year) years.resize(s->size);
  std::vector<const Word*>& bounds = b.run_bounds_;  // a bad bound's lane splits runs as any other: still alike
  bounds.clear();
  for (const RunTable::Bound& d : table.bounds) bounds.push_back(lanes_as<Word>(b, d.reg));
  std::vector<std::uint32_t>& cuts = b.run_cuts_;
  std::vector<std::uint32_t>& row_cuts = b.row_cuts_;
  cuts.clear();
  row_cuts.assign(rows + 1, 0);
  // Row by row, every part of a row's keys while they are in the core's cache (a block's items
  // are more than it holds).
  for (std::size_t i = 0; i < rows; ++i) {
    row_cuts[i] = static_cast<std::uint32_t>(cuts.size());
    const std::uint32_t begin = s->start[i], end = begin + s->length[i];
    std::size_t period = 0;  // how many periods begin at or before the item: they ascend, mostly
    for (std::uint32_t k = begin; k < end; ++k) {
      if (k == begin || z[k] < z[k - 1]) {
        period = static_cast<std::size_t>(std::upper_bound(starts.begin(), starts.end(), z[k]) - starts.begin());
      } else {
        while (period < starts.size() && starts[period] <= z[k]) ++period;
      }
      key[k] = period;  // below 2^20 (lower_runs())
    }
    // Each item's year, where the body reads it: 1400-9999; a month's index is year * 12 + month
    // - 1 (month_index()).
    if (table.by_year || of_year) {
      for (std::uint32_t k = begin; k < end; ++k) years[k] = item_kind == Kind::month ? z[k] / 12 : date_of(z[k]).year();
    }
    if (table.by_year) {
      for (std::uint32_t k = begin; k < end; ++k) key[k] |= static_cast<std::uint64_t>(years[k]) << 20;
    }
    // A year is compared with an integer, an item with a row value of its kind: both words.
    for (std::size_t j = 0; j < table.bounds.size(); ++j) {
      const Word* compared = table.bounds[j].of_year ? years.data() : z;
      const Word bound = bounds[j][i];
      with_comparison<Word>(table.bounds[j].code, [&](auto compare) {
        for (std::uint32_t k = begin; k < end; ++k) key[k] |= static_cast<std::uint64_t>(compare(compared[k], bound)) << (40 + j);
      });
    }
    for (std::uint32_t k = begin; k < end; ++k)
      if (k == begin || key[k] != key[k - 1]) cuts.push_back(k);
    step.set_length(i, xb[i], cuts.size() - row_cuts[i]);
  }
  row_cuts[rows] = static_cast<std::uint32_t>(cuts.size());
  lay_out_runs(b, step, cuts, row_cuts);
}

// The runs of each row of `step`'s list as cut: run r of row i begins at item cuts[row_cuts[i] +
// r] and ends where the next begins (or the row's items end). Its lane is its first item.
void Columnar::lay_out_runs(Block& b, const ListStep& step, const std::vector<std::uint32_t>& cuts,
                            const std::vector<std::uint32_t>& row_cuts) const {
  const Word* z = as<Word>(step.z);
  const Block::Segments* s = step.s;
  Block::Segments* t = step.t;
  lay_out(b, step.out->space);
  Word* item = lanes_as<Word>(b, step.out->item);
  std::uint8_t* item_bad = bad_of(b, step.out->item);
  t->run.resize(s->size);    // each item's run
  t->first.resize(t->size);  // each run's first item
  for (std::size_t i = 0; i < step.rows; ++i) {
    if (t->length[i] == 0) continue;
    std::uint32_t r = t->start[i];
    const std::uint32_t end = s->start[i] + s->length[i];
    for (std::uint32_t c = row_cuts[i]; c < row_cuts[i + 1]; ++c, ++r) {
      const std::uint32_t from = cuts[c], to = c + 1 < row_cuts[i + 1] ? cuts[c + 1] : end;
      item[r] = z[from];
      item_bad[r] = step.zb[from];
      t->first[r] = from;
      std::fill(t->run.begin() + from, t->run.begin() + to, r);
    }
  }
}

// make_runs() of a list whose items ascend in each row (months(), days(), sorted() and what keeps
// their order): what the body sees of an item changes only where the items reach a period's
// start, a new year, or a bound (an item compared with a row's value changes side at it, or one
// past it), so a row's runs begin at those places, found by binary search, with no key an item.
// A run may begin where nothing changes (a bound on a period's start, say): its body is then
// computed twice alike, and sums and copies the same.
void Columnar::make_ascending_runs(Block& b, const Instruction& in, const ListStep& step) const {
  const std::size_t rows = step.rows;
  const Word* z = as<Word>(step.z);  // months or days
  const std::uint8_t* xb = step.xb;
  const Block::Segments* s = step.s;
  const RunTable& table = run_tables_[in.parameter];
  const bool months = registers_[in.c].kind == Kind::month;
  const std::vector<std::int64_t>& starts = table.starts;
  // The first month or day of year y (past the years kaidah reads: before or after every item),
  // and an item's year.
  const auto year_start = [&](Lane y) -> Word {
    y = std::clamp<Lane>(y, 1400, 10000);
    if (months) return y * 12;
    return y == 10000 ? day_number(Date(9999, 12, 31)) + 1 : day_number(Date(static_cast<int>(y), 1, 1));
  };
  const auto year_of = [&](Word item) -> Lane { return months ? item / 12 : date_of(item).year(); };
  std::vector<const Word*>& bounds = b.run_bounds_;  // a bad bound's lane cuts runs as any other: still alike
  bounds.clear();
  for (const RunTable::Bound& d : table.bounds) bounds.push_back(lanes_as<Word>(b, d.reg));
  std::vector<std::uint32_t>& cuts = b.run_cuts_;
  std::vector<std::uint32_t>& row_cuts = b.row_cuts_;
  std::vector<Word>& changes = b.run_changes_;
  cuts.clear();
  row_cuts.assign(rows + 1, 0);
  for (std::size_t i = 0; i < rows; ++i) {
    row_cuts[i] = static_cast<std::uint32_t>(cuts.size());
    const std::uint32_t begin = s->start[i], end = begin + s->length[i];
    if (begin == end || xb[i]) {
      step.set_length(i, xb[i], 0);
      continue;
    }
    const Word first = z[begin], last = z[end - 1];
    cuts.push_back(begin);
    changes.clear();
    for (auto p = std::upper_bound(starts.begin(), starts.end(), first); p != starts.end() && *p <= last; ++p) changes.push_back(*p);
    if (table.by_year) {  // each new year: by the years, or by the items where they are fewer (a sparse list)
      const Lane first_year = year_of(first), last_year = year_of(last);
      if (last_year - first_year <= static_cast<Lane>(end - begin)) {
        for (Lane y = first_year + 1; y <= last_year; ++y) changes.push_back(year_start(y));
      } else {
        for (std::uint32_t k = begin + 1; k < end; ++k)
          if (year_of(z[k]) != year_of(z[k - 1])) cuts.push_back(k);
      }
    }
    for (std::size_t j = 0; j < table.bounds.size(); ++j) {
      const Word bound = bounds[j][i], next = bound == INT64_MAX ? bound : bound + 1;
      changes.push_back(table.bounds[j].of_year ? year_start(bound) : bound);
      changes.push_back(table.bounds[j].of_year ? year_start(next) : next);
    }
    for (const Word v : changes) {
      const auto at = static_cast<std::uint32_t>(std::lower_bound(z + begin, z + end, v) - z);
      if (at > begin && at < end) cuts.push_back(at);
    }
    std::sort(cuts.begin() + row_cuts[i], cuts.end());
    cuts.erase(std::unique(cuts.begin() + row_cuts[i], cuts.end()), cuts.end());
    step.set_length(i, false, cuts.size() - row_cuts[i]);
  }
  row_cuts[rows] = static_cast<std::uint32_t>(cuts.size());
  lay_out_runs(b, step, cuts, row_cuts);
}

// filter, sorted, last and if-then-else between lists: which items of which list each row keeps,
// [from, from + length) of the list's items, or (filter) those for which b holds.
void Columnar::select_items(Block& b, const Instruction& in, const ListStep& step) const {
  // Not a structured binding of step: clang 14 cannot capture one in a lambda (by_width's).
  const std::size_t rows = step.rows;
  const void *xv = step.x, *yv = step.y, *zv = step.z;
  const std::uint8_t *xb = step.xb, *yb = step.yb, *zb = step.zb;
  const Block::Segments* s = step.s;
  const List* out = step.out;
  Block::Segments* t = step.t;
  // Which items of which list each row keeps: [from, from + length) of `list`'s items, or
  // (filter) those of them for which b holds. x is a list's length, or (if-then-else) the
  // condition; y the filter's condition per item, last()'s count, or a list's length.
  const Word* length = as<Word>(xv);
  const Flag* keep = as<Flag>(yv);
  const Flag* take = as<Flag>(xv);
  const Word* count = as<Word>(yv);
  const Word* other = as<Word>(zv);
  for (std::size_t i = 0; i < rows; ++i) {
    switch (in.code) {
      case Code::filter: {
        const bool bad = xb[i] || step.any_bad(i, yb) || step.any_bad(i, zb);
        std::uint64_t kept = 0;
        for (std::uint32_t k = s->start[i], end = k + s->length[i]; k < end; ++k) kept += keep[k] != 0;
        step.set_length(i, bad, kept);
        break;
      }
      case Code::sorted: step.set_length(i, xb[i] || step.any_bad(i, zb), static_cast<std::uint64_t>(length[i])); break;
      case Code::last: {
        const bool bad = xb[i] || yb[i] || count[i] < 0 || step.any_bad(i, zb);
        step.set_length(i, bad, static_cast<std::uint64_t>(bad ? 0 : std::min(length[i], count[i])));
        break;
      }
      default: {  // select_list: only the list taken counts
        const bool taken = take[i] != 0;
        step.set_length(i, xb[i] || (taken ? yb[i] : zb[i]), static_cast<std::uint64_t>(taken ? count[i] : other[i]));
        break;
      }
    }
  }
  lay_out(b, out->space);
  std::uint8_t* item_bad = bad_of(b, out->item);
  by_width(registers_[out->item].width, [&](auto type) {
    using T = decltype(type);
    T* item = lanes_as<T>(b, out->item);
    const T* z = as<T>(zv);
    for (std::size_t i = 0; i < rows; ++i) {
      if (t->length[i] == 0) continue;
      std::uint32_t at = t->start[i];
      if (in.code == Code::select_list) {
        const List& taken = lists_.at(take[i] != 0 ? in.b : in.c);
        const Block::Segments& from = b.spaces_[taken.space];
        std::copy_n(lanes_as<T>(b, taken.item) + from.start[i], t->length[i], item + at);
        std::copy_n(bad_of(b, taken.item) + from.start[i], t->length[i], item_bad + at);
        continue;
      }
      const std::uint32_t begin = s->start[i], end = begin + s->length[i];
      if (in.code == Code::filter) {
        for (std::uint32_t k = begin; k < end; ++k)
          if (keep[k] != 0) item[at++] = z[k];
      } else {  // sorted, last: the last `length` items
        std::copy(z + end - t->length[i], z + end, item + at);
        if (in.code == Code::sorted) std::sort(item + at, item + at + t->length[i]);
      }
      std::fill_n(item_bad + t->start[i], t->length[i], 0);
    }
  });
}

// A value per row from the items of list a (b: the items, or a body for each): count_true, sums,
// min_of, max_of, any, all, first_true, and contains of a row's value.
void Columnar::reduce(Block& b, const Instruction& in, const ListStep& step) const {
  // Not a structured binding of step: clang 14 cannot capture one in a lambda (by_width's).
  const std::size_t rows = step.rows;
  void* d = step.d;
  std::uint8_t* db = step.db;
  const void *xv = step.x, *yv = step.y, *zv = step.z;
  const std::uint8_t *xb = step.xb, *yb = step.yb, *zb = step.zb;
  const Block::Segments* s = step.s;
  // The lanes whose type varies: the items compared or taken (b, or c for first_true and contains).
  const int values = in.code == Code::first_true || in.code == Code::contains ? in.c : in.b;
  const int d_width = registers_[in.dst].width;
  by_width(registers_[values].width, [&](auto type) {
    using T = decltype(type);
    const T* items = as<T>(in.code == Code::first_true || in.code == Code::contains ? zv : yv);
    const Flag* holds = as<Flag>(yv);  // count_true, any, all, first_true: a condition per item
    for (std::size_t i = 0; i < rows; ++i) {
      const std::uint32_t begin = s->start[i], end = begin + s->length[i];
      const bool list_bad = (in.code == Code::contains ? yb[i] : xb[i]) != 0;
      Lane r = 0;
      // The items of a list that is not bad are good: an ascending list's own need no look.
      bool bad = list_bad || (!in.ascending && step.any_bad(i, in.code == Code::contains ? zb : yb));
      switch (in.code) {
        case Code::count_true:
          for (std::uint32_t k = begin; k < end; ++k) r += holds[k] != 0;
          break;
        case Code::sum_int:
        case Code::sum_dec: {  // integers, or decimals' units at the items' places
          const Word* y = as<Word>(yv);
          for (std::uint32_t k = begin; k < end && !bad; ++k) bad = __builtin_add_overflow(r, y[k], &r);
          break;
        }
        case Code::min_of:
        case Code::max_of:
          bad = bad || begin == end;  // over no item: the Evaluator's error
          if (bad) break;
          if (in.ascending) {
            r = in.code == Code::min_of ? items[begin] : items[end - 1];
          } else {
            r = in.code == Code::min_of ? *std::min_element(items + begin, items + end)
                                        : *std::max_element(items + begin, items + end);
          }
          break;
        case Code::any_true:
          r = std::any_of(holds + begin, holds + end, [](Flag v) { return v != 0; });
          break;
        case Code::all_true:
          r = std::all_of(holds + begin, holds + end, [](Flag v) { return v != 0; });
          break;
        case Code::first_true: {
          bad = bad || step.any_bad(i, zb);
          const Flag* hit = std::find_if(holds + begin, holds + end, [](Flag v) { return v != 0; });
          bad = bad || hit == holds + end;  // none found: the Evaluator's error
          if (!bad) r = items[hit - holds];
          break;
        }
        case Code::contains: {  // a in list b; each item looked at is a step
          b.iterations_[i] += static_cast<long>(end - begin);
          bad = bad || xb[i];
          const T* hit = std::find(items + begin, items + end, as<T>(xv)[i]);
          r = hit != items + end;
          break;
        }
        default: throw std::logic_error("internal error: not a reduction");
      }
      store(d, d_width, i, bad ? Lane{0} : r);
      db[i] = bad;
    }
  });
}

// sum_runs, sum_last_runs: the items of list a (a body computed once per run, b, expanded) counted
// or summed by their runs, each run's body times the number of its items (among the last c, for
// sum_last_runs), as count_true, sum_int and sum_dec (after last()) would give them. Within a run
// the partial sums move one way, so an overflow the items would meet one by one shows at a run's
// end, where it is checked.
void Columnar::reduce_runs(Block& b, const Instruction& in, const ListStep& step) const {
  const auto& [rows, d, db, xv, yv, zv, xb, yb, zb, s, out, t] = step;
  const Block::Segments& runs = b.spaces_[registers_[in.b].space];
  const Kind kind = registers_[in.b].kind;
  const int d_width = registers_[in.dst].width;
  const Word *length = as<Word>(xv), *count = as<Word>(zv);
  for (std::size_t i = 0; i < rows; ++i) {
    const std::uint32_t end = s->start[i] + s->length[i];
    bool bad = xb[i] || any_set(yb + runs.start[i], runs.length[i]);
    std::uint32_t from = s->start[i];  // the first item counted
    if (in.code == Code::sum_last_runs) {  // as last() (bad where any item is) and then sum()
      bad = bad || zb[i] || count[i] < 0;
      const Word kept = bad ? 0 : std::min(length[i], count[i]);
      b.iterations_[i] += static_cast<long>(length[i] + kept);  // the steps of both
      from = end - static_cast<std::uint32_t>(kept);
    }
    Lane r = 0;
    for (std::uint32_t k = runs.start[i], last = k + runs.length[i]; k < last && !bad; ++k) {
      const std::uint32_t run_end = k + 1 < last ? runs.first[k + 1] : end;
      if (run_end <= from) continue;
      const std::uint32_t n = run_end - std::max(runs.first[k], from);
      if (kind == Kind::boolean) {
        r += as<Flag>(yv)[k] != 0 ? n : 0;
      } else {  // integers, or decimals' units at the body's places
        Lane part = 0;
        bad = __builtin_mul_overflow(as<Word>(yv)[k], Lane{n}, &part) || __builtin_add_overflow(r, part, &r);
      }
    }
    store(d, d_width, i, bad ? Lane{0} : r);
    db[i] = bad;
  }
}

}  // namespace kaidah::detail
