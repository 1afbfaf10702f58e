#pragma once
// What kaidah's own runners (Rulebook itself, Batch, Query, the scenario runner) see of a Rulebook
// and a Result and a host does not: the checked program, and the steps of one evaluation. One
// friend struct, as cel-cpp's RuntimeFriendAccess, so that the public headers name no internal
// type but this one.

#include <memory>
#include <span>
#include <string>

#include "kaidah/rulebook.h"
#include "program.h"

namespace kaidah::detail {

class Evaluator;

struct RulebookAccess {
  static const std::shared_ptr<const Program>& program(const Rulebook& r) { return r.program_; }

  // One evaluation, in steps that Rulebook::evaluate() and Query share: start() this thread's
  // evaluator for `p` on a new case (recording into result's explanation when explaining),
  // give() it each input's value (checked: CaseError naming the input, or kept as refused),
  // refuse() an input whose value the host could not read, finish() with the decisions asked
  // for (their slots; all when empty).
  static Evaluator& start(const Program& p, const Date& date, bool explain, OnError on_error, Result& result);
  static void give(const Program& p, Evaluator& evaluator, int input_slot, const Value& value, Result& result);
  static void refuse(const Program& p, Evaluator& evaluator, int input_slot, std::string why, Result& result);
  static void finish(const Program& p, Evaluator& evaluator, std::span<const int> decision_slots, Result& result);
  // A result filled from elsewhere (a Query's compiled form): begun as start() begins it, then
  // given each decision's value in the order asked.
  static void begin(Result& result, bool explain, OnError on_error);
  static void add_value(Result& result, const std::string& decision, Value v) {
    result.values_.emplace_back(decision, std::move(v));
  }
};

inline const Program& program_of(const Rulebook& rulebook) { return *RulebookAccess::program(rulebook); }

}  // namespace kaidah::detail
