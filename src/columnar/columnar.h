#pragma once
// The columnar form of a batch: the decisions a batch asks for, lowered once per (rulebook,
// input columns, decisions, date) to instructions over typed columns of a block of rows, so that
// a row costs a few machine operations per node instead of a tree walk with a boxed Value each.
//
// It covers the scalar part of the language: bools, integers, decimals, dates, months and enums;
// arithmetic, comparisons, and/or/not, if-then-else, decision tables, membership in a list
// written out, min/max/clamp/round, the date functions, parameters and at(). And lists of those:
// list inputs (lists of records through their fields), months() and days(), [] , comprehensions
// (map, filter, count, sum, min, max, any, all, first) over a list, count(), sum(), sorted(),
// last(), `in` a list, and if-then-else between lists. A list is a register of the rows (its
// lanes: each row's length) over a *list space*: the items of every row of the block, one after
// another, in registers of their own. A comprehension's body is lowered in its list's space; what
// it reads of the row is gathered to the items. Over months or days, a body that reads its item
// only through at(), year() and comparisons with the row's values is computed once per run of
// items it sees alike (120 months in arrears are a few runs), and a sum or count of it, or of the
// last n of it, multiplies each run's value by its length instead of reading each item.
//
// A register's lanes are a byte for a bool and 8 bytes for the others (lane_width()). A decimal
// register holds its values as whole numbers of units at places of its own, fixed when lowered
// (Register::places): inputs at kInputPlaces, a constant at the fewest places that hold it, a sum,
// a difference, a choice or a comparison at the most of its operands', a product at the sum of
// theirs (beyond 12, rounded as Decimal rounds), a rounding at its places, a quotient at 12. So
// money is one 64-bit word and a rounding a division by a constant power of ten, as a loop
// written by hand has them. The kernels are written once and instantiated per width (by_width());
// most loops vectorise (kernels.cpp and lists.cpp are built with a cost model that lets them).
//
// A decision that reads no input column (only parameters, the date, and inputs the batch does not
// give, whose default every row has) is computed once, by the Evaluator, and is a constant here;
// an instruction that reads only constants is folded to one when lowered, and one repeated on the
// same registers (decisions often test `segment == 'ppu'` again) is emitted once. Registers that
// only the next few instructions read share their lanes (share_storage()) with others of their
// space (the rows, or a list's items), so that a block's registers stay in the core's cache.
// A decision that needs more (records other than a list input's, plain text, nested
// comprehensions; none where it is not an enum, date or month) is left to the Evaluator, which
// stays the reference: the batch gives it the columnar decisions it needs as already computed,
// and the aggregation steps they took, so that max_iterations holds as it would one by one.
//
// A lane (one row of a column) whose value the Evaluator would not give - a missing input, an
// overflow, a parameter not in force, a list longer than kMaxItems, a decimal that 64 bits do not
// hold at its register's places - is only marked bad; the
// batch evaluates such rows one by one with the Evaluator, which gives the exact value or error.
// The marking may be cautious (a bad lane is never wrong, only slower), so every value the
// columnar form gives is the Evaluator's.

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "eval/evaluator.h"
#include "kaidah/batch.h"
#include "program.h"

namespace kaidah::detail {

// Row `row` of a typed column as the Value it holds (none where missing; a list column's, a list),
// or nothing where it holds none kaidah reads (a date outside the years 1400-9999, an item
// without value), `why` then saying why.
std::optional<Value> typed_value(const TypedColumn& c, std::size_t row, std::string& why);
// Whether row `row` of a typed column holds no value (missing, or code -1). Inline: asked of
// every cell.
inline bool typed_missing(const TypedColumn& c, std::size_t row) {
  return (c.missing && c.missing[row]) ||
         (c.type == TypedColumn::Type::code && !c.offsets && static_cast<const std::int64_t*>(c.data)[row] < 0);
}
// Whether a date or month number of a typed column is one kaidah reads (always, for the others).
bool readable(const TypedColumn& c, std::int64_t number);

class Columnar {
 public:
  // Rows per block: the registers of one block stay in the core's cache. Fewer when there are
  // lists, whose registers hold every item of every row of the block.
  static constexpr std::size_t kBlock = 256, kListBlock = 64;
  // Items in one row's list, at most: a longer list is a bad lane (the Evaluator takes the row),
  // so that a block's registers stay small whatever the input.
  static constexpr std::size_t kMaxItems = 1024;
  // A value in a lane: a bool, an integer, a decimal's units at its register's places, a date's
  // day number, a month's index or an enum spelling's number, as one type wide enough for each.
  // A bool's lanes are narrower (lane_width()).
  using Lane = std::int64_t;
  // The places of a decimal input's lanes: 4 holds rupiah with sen and rates to a hundredth of a
  // percent, up to 9.2 x 10^14; a value with more places or beyond is a bad lane (the Evaluator's).
  static constexpr int kInputPlaces = 4;
  // An integer or decimal input's minimum and maximum as lanes (a decimal's units at
  // kInputPlaces): a value within them the input takes as it is; accept_input() decides the others.
  struct Bounds {
    Lane low = INT64_MIN, high = INT64_MAX;
  };

  // Lowers what it can of decisions `decision_slots` of `p`, whose inputs `input_slots` come as
  // columns (the others take their default), at `date`, for blocks of at most `max_block_rows`
  // rows (1 for a single case: a Query's block is one lane wide).
  Columnar(const Program& p, const std::vector<int>& input_slots, const std::vector<int>& decision_slots,
           const Date& date, std::size_t max_block_rows = kBlock);

  // Whether requested decision `index` (into decision_slots) is computed here.
  bool computes(std::size_t index) const { return requested_[index] >= 0; }
  bool computes_any() const { return computes_any_; }
  bool computes_all() const { return computes_all_; }
  // Rows per block (kBlock, or kListBlock when lists are lowered).
  std::size_t block_rows() const { return block_rows_; }

  // One thread's registers for a block of rows.
  class Block {
   public:
    explicit Block(const Columnar& c);

   private:
    friend class Columnar;
    // The lanes of a slot (share_storage()): a register's, or in turn several registers' of one
    // space and width: a lane per row, or per item of a list space. Only the vector of the
    // slot's width is used.
    struct Slot {
      std::vector<std::uint8_t> flags;   // bools
      std::vector<std::int64_t> words;   // the others
      std::vector<std::uint8_t> bad;
    };
    struct Segments {  // a list space: row i's items are [start[i], start[i] + length[i])
      std::vector<std::uint32_t> start, length, owner;  // owner: the row of each item
      std::vector<std::uint32_t> run;                   // for runs: the run of each item of the list
      std::vector<std::uint32_t> first;                 // and each run's first item
      std::size_t size = 0;
    };
    std::vector<Slot> slots_;             // by slot (storage_)
    std::vector<Segments> spaces_;        // by list space (0: the rows, unused)
    std::vector<long> iterations_;        // per lane: aggregation steps, as many as the Evaluator's or more
    std::vector<std::uint8_t> refused_;   // per lane: an input value does not fit its input
    std::vector<std::uint8_t> complete_;
    std::vector<Value> scratch_;          // per input column: a converted value
    Value typed_cell_;                    // a typed column's cell read as a Value (the slow path)
    std::vector<Value> list_scratch_;     // per lane: a converted list
    std::vector<const Value*> lists_;     // per lane: the list given for the input being read
    // By requested decision: the lists written lately, by their items' lanes (as bytes). Values
    // are immutable, so rows with the same items (people in the same class with the same months
    // in arrears) share one list, built once.
    struct ItemsHash {
      using is_transparent = void;
      std::size_t operator()(std::string_view items) const;
    };
    using Written = std::unordered_map<std::string, Value, ItemsHash, std::equal_to<>>;
    std::vector<Written> written_;
    std::vector<std::uint64_t> run_keys_;  // per item of a list being cut into runs: what its body sees
    std::vector<std::int64_t> run_years_;  // and its year, where the body reads it
    std::vector<const std::int64_t*> run_bounds_;  // and the lanes of the rows it is compared with
    std::vector<std::uint32_t> run_cuts_;       // where each row's runs begin (make_runs())
    std::vector<std::uint32_t> row_cuts_;       // and where each row's cuts begin in run_cuts_
    std::vector<std::int64_t> run_changes_;     // a row's item values where what the body sees may change
    std::vector<Lane> input_lanes_;         // an input column's lanes as read, where the register's are narrower (or none)
    std::size_t rows_ = 0;
  };

  // An input column's cells from the block's first row on: Values, or a typed column (and, for
  // codes, code_lanes() of its codes).
  struct Cells {
    const Value* values = nullptr;
    const TypedColumn* typed = nullptr;
    std::size_t first = 0;  // of typed
    const std::vector<Lane>* code_lanes = nullptr;
  };
  // Reads n rows (n <= block_rows()) of the input columns and computes every lowered decision.
  void run(Block& b, std::span<const Cells> cells, std::size_t n) const;
  // For a typed column of codes given as input column `column`: the lane of each code's
  // spelling, or kNotAValue where the input has no such value (read as a Value is, then).
  std::vector<Lane> code_lanes(std::size_t column, const std::vector<std::string>& codes) const;
  static constexpr Lane kNotAValue = -2;
  // Lane i has all its inputs accepted and a value for every requested lowered decision.
  bool complete(const Block& b, std::size_t i) const { return b.complete_[i]; }
  const std::uint8_t* complete_lanes(const Block& b) const { return b.complete_.data(); }  // complete() of each lane
  // Where write() puts requested decision `index`'s lanes of the block's complete rows, each
  // pointer at the block's first row: Values, or machine values as ResultColumn holds them
  // (decimals as units at places(index), which the caller brings to its column's scale).
  struct Output {
    Value* values = nullptr;
    std::int64_t* numbers = nullptr;  // integer; decimal; date and month (from 1970); enum: its code
    std::uint8_t* flags = nullptr;    // bool
    std::uint8_t* missing = nullptr;  // machine values: whether the lane is none
  };
  // The places of requested decimal decision `index`'s units (a list's: its items'), as write()
  // and append_items() give them.
  int places(std::size_t index) const {
    const int reg = requested_[index];
    if (registers_[reg].kind != Kind::list) return registers_[reg].places;
    const int item = lists_.at(reg).item;  // none: a list that is always empty
    return item >= 0 ? registers_[item].places : 0;
  }
  // Writes the requested lowered decisions of every complete lane: out[index] for each (a list's,
  // when out[index].values is null, the caller takes with append_items()).
  void write_machine(const Block& b, std::size_t index, int reg, const Output& o) const;
  // Appends the items of requested list decision `index` (computes(index)) of each complete lane,
  // lane after lane, to `numbers`, or to `flags` for bools, as Output holds a scalar (decimals as
  // units at places(index)); length[i] is how many lane i has (0 when it is not complete).
  void append_items(const Block& b, std::size_t index, std::size_t* length, std::vector<std::int64_t>& numbers,
                    std::vector<std::uint8_t>& flags) const;
  void write(Block& b, std::span<const Output> out) const;
  // The value of requested decision `index` in lane i, which is complete() and computes(index).
  Value value(const Block& b, std::size_t index, std::size_t i) const;
  // Gives `e` (started on lane i's case) every lowered decision that has a value in lane i, and
  // the aggregation steps they took.
  void give(const Block& b, std::size_t i, Evaluator& e) const;

  // What an instruction does to each lane of its registers.
  enum class Code : std::uint8_t {
    int_to_dec,
    rescale,  // a decimal's units at more places (Instruction::places)
    add_int, sub_int, mul_int, neg_int,
    add_dec, sub_dec, mul_dec, div_dec, neg_dec,
    div_round,  // round(a / b, places, mode): Decimal's 12-place quotient rounded again, in 128 bits
    eq, ne, lt, le, gt, ge,
    and_, or_, any_of, not_,
    select, min, max, clamp, round, at, call,
    some, present,  // an optional decision read (bad where none), and has() of one
    gather,         // a row's lane copied to each of its items (dst in a list space, a in the rows)
    expand,         // a run's lane (a) copied to each item of the run (runs: list b)
    // Lists: dst is a list register (its lanes: each row's length), its items in its own space.
    empty_list, month_range, day_range,  // [], months(a, b), days(a, b)
    map,          // the items b (in a's space) as a list: no copy, the list shares a's space
    filter,       // the items c of list a where b holds
    sorted, last, // the items c of list a in order; the last b of them
    select_list,  // if a then list b else list c
    runs,         // the first item c of each run of items of list a that a body sees alike (run_tables_)
    // Over list a (its items, or a body computed for each, in b): a value per row.
    count, count_true, sum_int, sum_dec, min_of, max_of, any_true, all_true,
    first_true,   // the first item c of list a for which b holds
    contains,     // a in list b (items c)
    // Over list a whose items are a body computed once per run (b, in the runs' space) and expanded:
    // sum_runs: count, or sum, of b's lanes each times its run's length, as count_true, sum_int or
    // sum_dec of the items would give; sum_last_runs: of the last c items only, as sum(last(a, c)).
    sum_runs, sum_last_runs,
  };
  // Whether an instruction works across spaces (execute_list: rows and the items of lists) rather
  // than lane by lane within one (compute). Every code is named: a new one must choose.
  static constexpr bool across_spaces(Code c) {
    switch (c) {
      case Code::int_to_dec: case Code::rescale: case Code::add_int: case Code::sub_int: case Code::mul_int: case Code::neg_int:
      case Code::add_dec: case Code::sub_dec: case Code::mul_dec: case Code::div_dec: case Code::neg_dec:
      case Code::div_round: case Code::eq: case Code::ne: case Code::lt: case Code::le: case Code::gt: case Code::ge:
      case Code::and_: case Code::or_: case Code::any_of: case Code::not_:
      case Code::select: case Code::min: case Code::max: case Code::clamp: case Code::round: case Code::at:
      case Code::call: case Code::some: case Code::present:
        return false;
      case Code::gather: case Code::expand: case Code::empty_list: case Code::month_range: case Code::day_range:
      case Code::map: case Code::filter: case Code::sorted: case Code::last: case Code::select_list: case Code::runs:
      case Code::count: case Code::count_true: case Code::sum_int: case Code::sum_dec: case Code::min_of:
      case Code::max_of: case Code::any_true: case Code::all_true: case Code::first_true: case Code::contains:
      case Code::sum_runs: case Code::sum_last_runs:
        return true;
    }
    return false;  // not reached
  }
  struct Register {
    Kind kind;
    int space = 0;   // 0: a lane per row; k: a lane per item of list space k
    int width = 8;   // bytes a lane: lane_width(kind)
    int places = 0;  // a decimal's: each lane is the value times 10^places (0-12)
  };
  // A lane's width in bytes by its kind: 1 for a bool, 8 for the others. Narrow lanes shrink the
  // memory a block's loops walk and let them vectorise.
  static constexpr int lane_width(Kind k) { return k == Kind::boolean ? 1 : 8; }

  struct Instruction {
    Code code;
    int dst = -1, a = -1, b = -1, c = -1;
    int places = 0;  // round, div_round: to these places; rescale: to these
    Rounding mode = Rounding::half_even;
    Builtin builtin = Builtin::none;  // call
    int parameter = -1;               // at: its table in at_tables_
    bool counts = false;              // adds list a's length to each row's aggregation steps
    // min_of, max_of of list a's own items (b), which ascend: the first, or the last, is the answer.
    bool ascending = false;
    int runs = -1;  // sum_runs, sum_last_runs: the list of runs (Code::runs) b is computed over
  };

 private:
  int lower_decision(int slot);
  int lower(const Node& e);
  int lower_table(const CompiledDecision& d);
  int select(int c, int a, int b, Kind kind);
  int constant(const Value& v, Kind kind);
  int constant_lane(Lane lane, Kind kind, int places = 0);
  int rescale(int reg, int places);
  int list_at_places(int list, int places);
  void align_places(Instruction& in);
  int result_places(const Instruction& in, Kind kind) const;
  // The registers instruction `in` reads: its operands, and a run's bounds (run_tables_).
  std::vector<int> reads(const Instruction& in) const;
  void drop_unused();
  void share_storage();
  int fold(const Instruction& in, Kind kind);
  int as_kind(int reg, Kind kind);
  int emit(const Instruction& in, Kind kind);
  int emit_list(const Instruction& in, Kind item_kind, int item_places = 0);
  int emit_map(Instruction in, int space, int items);
  int emit_reduce(const Instruction& in, Kind kind);
  int new_register(Kind kind, int space, int places = 0);
  int gather(int reg, int space);
  int lower_list_input(int slot);
  int lower_comprehension(const Node& e);
  bool same_kind(int a, int b);
  int lower_input(const Node& e);
  int lower_parameter(const Node& e);
  int lower_field(const Node& e);
  int lower_membership(const Node& e);
  int lower_arithmetic(const Node& e);
  int lower_call(const Node& e);
  int lower_round(const Node& e);
  struct RunReads;
  static bool reads_by_runs(const Node& e, int slot, RunReads& r);
  int lower_runs(int list, const RunReads& reads);
  int lower_list_call(const Node& e);
  int sum_last_by_runs(int tail);
  int lower_widen(const Node& e);
  bool reads_input(int decision_slot);
  Value decode_list(const Block& b, int reg, std::size_t i) const;
  void lay_out(Block& b, int space) const;
  void size_slot(Block& b, std::size_t slot, std::size_t lanes) const;  // gives slot `slot` `lanes` lanes
  // Register `reg`'s lanes in `b` (of its width: lanes_as() gives them typed), and their bad
  // flags (inline: every instruction asks for four).
  void* lanes_of(Block& b, int reg) const {
    Block::Slot& s = b.slots_[storage_[reg]];
    if (registers_[reg].width == 1) return s.flags.data();
    return s.words.data();
  }
  const void* lanes_of(const Block& b, int reg) const { return lanes_of(const_cast<Block&>(b), reg); }
  template <class T>
  T* lanes_as(Block& b, int reg) const {
    assert(sizeof(T) == static_cast<std::size_t>(registers_[reg].width));
    return static_cast<T*>(lanes_of(b, reg));
  }
  template <class T>
  const T* lanes_as(const Block& b, int reg) const { return lanes_as<T>(const_cast<Block&>(b), reg); }
  std::uint8_t* bad_of(Block& b, int reg) const { return b.slots_[storage_[reg]].bad.data(); }
  const std::uint8_t* bad_of(const Block& b, int reg) const { return bad_of(const_cast<Block&>(b), reg); }
  // Lane i of register `reg`, whatever its width, as a Lane; and the other way.
  Lane lane_at(const Block& b, int reg, std::size_t i) const;
  void set_lane(Block& b, int reg, std::size_t i, Lane v) const;
  void execute_list(Block& b, const Instruction& in) const;
  // execute_list(), by part (lists.cpp).
  struct ListStep;
  void gather_items(Block& b, const Instruction& in) const;
  void expand_runs(Block& b, const Instruction& in) const;
  void contains_items(Block& b, const Instruction& in) const;
  void make_range(Block& b, const Instruction& in, const ListStep& step) const;
  void make_runs(Block& b, const Instruction& in, const ListStep& step) const;
  void make_ascending_runs(Block& b, const Instruction& in, const ListStep& step) const;
  void lay_out_runs(Block& b, const ListStep& step, const std::vector<std::uint32_t>& cuts,
                    const std::vector<std::uint32_t>& row_cuts) const;
  void select_items(Block& b, const Instruction& in, const ListStep& step) const;
  void reduce(Block& b, const Instruction& in, const ListStep& step) const;
  void reduce_runs(Block& b, const Instruction& in, const ListStep& step) const;
  void load_list(Block& b, int slot) const;
  int encode_text(const std::string& spelling);
  // `v` as a lane of `kind` (a decimal at `places`), or nothing where a decimal is not a whole
  // number of units there within 64 bits.
  std::optional<Lane> encode(const Value& v, Kind kind, int places = 0) const;
  Value decode(Lane lane, int reg) const;
  Value decode_kind(Lane lane, Kind kind, int places = 0) const;
  void execute(Block& b, const Instruction& in) const;
  // An instruction's operands: lanes (of their registers' widths) and bad flags of a, b and c
  // (null where absent), the width of a's lanes and of the lanes written, and the places of a's
  // and b's (decimals).
  struct Lanes {
    const void *x, *y, *z;
    const std::uint8_t *xb, *yb, *zb;
    int x_width, d_width;
    int x_places = 0, y_places = 0;
  };
  // A lane-wise instruction (not a list's) giving values of `kind` over n lanes: the kernel of
  // execute(), and of folding (where the instruction has no register yet).
  void compute(const Instruction& in, Kind kind, std::size_t n, void* d, std::uint8_t* db, const Lanes& args) const;
  // compute(), by family of instruction (kernels.cpp).
  static void arithmetic(const Instruction& in, std::size_t n, void* d, std::uint8_t* db, const Lanes& args);
  static void comparison(const Instruction& in, std::size_t n, void* d, std::uint8_t* db, const Lanes& args);
  static void logic(const Instruction& in, std::size_t n, void* d, std::uint8_t* db, const Lanes& args);
  static void choice(const Instruction& in, std::size_t n, void* d, std::uint8_t* db, const Lanes& args);
  void lookup(const Instruction& in, Kind kind, std::size_t n, void* d, std::uint8_t* db, const Lanes& args) const;
  void load_inputs(Block& b, std::span<const Cells> cells) const;

  const Program& p_;
  Date date_;
  std::vector<Register> registers_;
  std::vector<Instruction> code_;
  struct Constant {
    int reg;
    Lane lane;
    bool bad;  // a none value: reading it fails
  };
  std::vector<Constant> constants_;  // registers filled once per Block
  std::unordered_map<int, Lane> known_;  // of those, the ones good in every lane, by register
  std::map<std::tuple<Lane, Kind, int>, int> constant_registers_;  // and the register of each (by lane, kind, places)
  // A lane-wise instruction's code, operands and options, and its kind: by emit().
  using Emitted = std::tuple<Code, int, int, int, int, Rounding, Builtin, int, Kind>;
  std::map<Emitted, int> emitted_;  // and the register it wrote
  std::vector<int> input_register_, present_register_;  // by input slot; -1 if not read
  std::vector<int> input_column_;                        // by input slot; -1 if not a column
  std::vector<int> column_slot_;                         // by column: its input's slot
  std::vector<std::vector<Lane>> enum_lanes_;            // by input slot: each allowed spelling's number
  std::vector<Bounds> input_bounds_;                     // by input slot
  std::vector<int> decision_register_;                   // by decision slot: a register, or not (yet) lowered
  std::vector<int> requested_;                           // by requested index: a register or -1
  std::vector<std::vector<std::int64_t>> codes_;         // by requested index, for an enum: each text number's code
  std::vector<std::string> texts_;                       // enum spellings by number
  std::unordered_map<std::string, int> text_numbers_;    // and their numbers
  bool computes_any_ = false, computes_all_ = false;

  struct List {  // a list register's items
    int space = 0;
    int item = -1;            // the register of its items (scalars)
    int input = -1;           // a list input's slot, whose records' fields can be read
    bool empty = false;       // [], whose items take any kind
    bool ascending = false;   // each row's items ascend (months(), days(), sorted(), and what keeps their order)
    std::vector<int> fields;  // by field of the input's records: a register, or -1
  };
  std::unordered_map<int, List> lists_;                  // by list register
  std::vector<std::vector<int>> space_registers_;        // by list space: its registers
  std::vector<int> list_input_register_;                 // by input slot: a list register, or -1
  std::map<std::pair<int, int>, int> gathered_;          // (row register, space) -> its gather
  struct Expanded {
    int body, runs;  // the body per run, and the list of runs
  };
  std::unordered_map<int, Expanded> expanded_;           // by the register of an expand: what it copies
  struct AtTable {  // a parameter's periods as lanes: at(p, x) is value[i] for the last from[i] <= x
    std::vector<std::int64_t> from;  // day numbers or month indexes
    std::vector<Lane> value;
    std::vector<std::uint8_t> none;  // the parameter ended (or its value is past 64 bits: a bad lane)
    int places = 0;                  // of a decimal's values: the most any of them has
  };
  std::vector<AtTable> at_tables_;
  AtTable at_table(const CompiledParameter& param, bool months) const;
  // For runs: what a comprehension's body reads of its item (a month or a day), so that items
  // alike in all of it are one run, the body computed once for them.
  struct RunTable {
    std::vector<std::int64_t> starts;  // where a period of a parameter read by at() begins
    bool by_year = false;      // year(item) is read: a run ends with each year
    // Comparisons `item OP bound`, or `year(item) OP bound`, with a register of the rows: a run
    // ends where one changes.
    struct Bound {
      Code code;
      int reg;
      bool of_year = false;
    };
    std::vector<Bound> bounds;
    static constexpr std::size_t kMaxBounds = 20;  // one bit each of an item's key (make_runs())
  };
  std::vector<RunTable> run_tables_;
  std::vector<signed char> reads_input_;                 // by decision slot: -1 not known yet
  // The comprehension whose body is being lowered: its variable's slot and its list (-1: none, the
  // rows). LocalScope sets it for a scope and puts the outer one back however the scope ends.
  struct Local {
    int slot = -1, list = -1;
  };
  Local local_;
  class LocalScope {
   public:
    LocalScope(Columnar& c, Local inner) : c_(c), outer_(c.local_) { c.local_ = inner; }
    ~LocalScope() { c_.local_ = outer_; }
    LocalScope(const LocalScope&) = delete;
    LocalScope& operator=(const LocalScope&) = delete;

   private:
    Columnar& c_;
    Local outer_;
  };
  long constant_iterations_ = 0;                         // steps of the decisions computed once
  std::size_t block_rows_ = kBlock;
  // By register: its lanes' slot in a block (share_storage()): block_rows() lanes for a register
  // of the rows; for one of a list space, as many as the block's items of the space.
  std::vector<int> storage_;
  struct SlotShape {
    int space, width;
  };
  std::vector<SlotShape> slot_shapes_;         // by slot
  std::vector<std::vector<int>> space_slots_;  // by list space: its slots
  std::vector<char> needs_owner_;  // by list space: whether its items' rows are laid out (Segments::owner)
};

}  // namespace kaidah::detail
