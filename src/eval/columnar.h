#pragma once
// The columnar form of a batch: the decisions a batch asks for, lowered once per (rulebook,
// input columns, decisions, date) to instructions over typed columns of a block of rows, so that
// a row costs a few machine operations per node instead of a tree walk with a boxed Value each.
//
// It covers the scalar part of the language: bools, integers, decimals, dates, months and enums;
// arithmetic, comparisons, and/or/not, if-then-else, decision tables, membership in a list
// written out, min/max/clamp/round, the date functions, parameters and at(). A decision that
// needs more (lists, records, plain text; none where it is not an enum, date or month) is left to
// the Evaluator, which stays the
// reference: the batch gives it the columnar decisions it needs as already computed.
//
// A lane (one row of a column) whose value the Evaluator would not give - a missing input, an
// overflow, a parameter not in force - is only marked bad; the batch evaluates such rows one by
// one with the Evaluator, which gives the exact value or error. The marking may be cautious
// (a bad lane is never wrong, only slower), so every value the columnar form gives is the
// Evaluator's.

#include <cstdint>
#include <vector>

#include "eval/evaluator.h"
#include "program.h"

namespace kaidah::detail {

class Columnar {
 public:
  // Rows per block: the registers of one block stay in the core's cache.
  static constexpr std::size_t kBlock = 256;
  // A value in a lane: a bool, an integer, a Decimal's raw value, a date's day number, a
  // month's index or an enum spelling's number.
  using Lane = __int128;

  // Lowers what it can of decisions `decision_slots` of `p`, whose inputs `input_slots` come as
  // columns (the others take their default), at `date`.
  Columnar(const Program& p, const std::vector<int>& input_slots, const std::vector<int>& decision_slots,
           const Date& date);

  // Whether requested decision `index` (into decision_slots) is computed here.
  bool computes(std::size_t index) const { return requested_[index] >= 0; }
  bool computes_any() const { return computes_any_; }
  bool computes_all() const { return computes_all_; }

  // One thread's registers for a block of rows.
  class Block {
   public:
    explicit Block(const Columnar& c);

   private:
    friend class Columnar;
    std::vector<Lane> values_;
    std::vector<std::uint8_t> bad_;
    std::vector<std::uint8_t> refused_;  // per lane: an input value does not fit its input
    std::vector<std::uint8_t> complete_;
    std::vector<Value> scratch_;         // per input column: a converted value
    std::size_t rows_ = 0;
  };

  // Reads rows [first, first + n) of `columns` (n <= kBlock) and computes every lowered decision.
  void run(Block& b, const std::vector<std::vector<Value>>& columns, std::size_t first, std::size_t n) const;
  // Lane i has all its inputs accepted and a value for every requested lowered decision.
  bool complete(const Block& b, std::size_t i) const { return b.complete_[i]; }
  // Writes the requested lowered decisions of every complete lane into out[index][first + lane].
  void write(const Block& b, std::size_t first, std::vector<std::vector<Value>>& out) const;
  // Gives `e` (started on lane i's case) every lowered decision that has a value in lane i.
  void give(const Block& b, std::size_t i, Evaluator& e) const;

  // What an instruction does to each lane of its registers.
  enum class Code : std::uint8_t {
    int_to_dec,
    add_int, sub_int, mul_int, neg_int,
    add_dec, sub_dec, mul_dec, div_dec, neg_dec,
    eq, ne, lt, le, gt, ge,
    and_, or_, any_of, not_,
    select, min, max, clamp, round, at, call,
    some, present,  // an optional decision read (bad where none), and has() of one
  };
  struct Register {
    Kind kind;
    // A decimal that the Evaluator may hold as an integer (an if-then-else with an integer branch):
    // arithmetic on two such values must stay in the range where integer arithmetic does not overflow.
    bool maybe_integer = false;
  };

  struct Instruction {
    Code code;
    int dst = -1, a = -1, b = -1, c = -1;
    bool integer_range = false;  // bad beyond int64's whole numbers (see Register::maybe_integer)
    int places = 0;              // round
    Rounding mode = Rounding::half_even;
    Builtin builtin = Builtin::none;  // call
    int parameter = -1;               // at
  };

 private:
  int lower_decision(int slot);
  int lower(const Expr& e);
  int lower_table(const CompiledDecision& d);
  int constant(const Value& v, Kind kind);
  int as_kind(int reg, Kind kind);
  int emit(const Instruction& in, Kind kind, bool maybe_integer = false);
  int encode_text(const std::string& spelling);
  Lane encode(const Value& v, Kind kind) const;
  Value decode(Lane lane, int reg) const;
  void execute(Block& b, const Instruction& in) const;
  void load_inputs(Block& b, const std::vector<std::vector<Value>>& columns, std::size_t first) const;

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
  std::vector<int> input_register_, present_register_;  // by input slot; -1 if not read
  std::vector<int> input_column_;                        // by input slot; -1 if not a column
  std::vector<std::vector<Lane>> enum_lanes_;            // by input slot: each allowed spelling's number
  std::vector<int> decision_register_;                   // by decision slot: a register, or not (yet) lowered
  std::vector<int> requested_;                           // by requested index: a register or -1
  std::vector<std::string> texts_;                       // enum spellings by number
  bool computes_any_ = false, computes_all_ = false;
};

}  // namespace kaidah::detail
