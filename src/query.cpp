#include "kaidah/query.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>
#include <stdexcept>

#include "columnar/columnar.h"
#include "eval/inputs.h"
#include "rulebook_access.h"

namespace kaidah {

using detail::Columnar;

// The compiled forms of a query, by date: a Batch's columnar form one lane wide, so that a
// request costs a few operations per node instead of a tree walk with a Value each. Building one
// takes about a millisecond (every JKN decision), a few thousand requests' worth of what it
// saves: a date is compiled from its kCompileAfter-th request on, by one thread while the others
// go on through the Evaluator, so that a date asked for once or twice (a host giving every
// request its own date) never pays for it; only the kDatesKept dates asked for last are kept.
// Each thread keeps the kThreadForms forms it ran last with a block of its own, so that a
// request on a date already compiled takes no lock (those forms outlive the Query until the
// thread runs others, or ends).
struct Query::Forms {
  static constexpr int kCompileAfter = 8;
  static constexpr std::size_t kDatesKept = 8, kThreadForms = 4;

  struct Form {  // a date's compiled form; the program it reads is kept alive with it
    Form(std::shared_ptr<const detail::Program> p, const std::vector<int>& inputs, const std::vector<int>& decisions,
         const Date& date)
        : program(std::move(p)), columnar(*program, inputs, decisions, date, 1) {}
    std::shared_ptr<const detail::Program> program;
    Columnar columnar;
  };
  struct Dated {
    Date date;
    int requests = 0;              // counted up to kCompileAfter
    std::uint64_t last = 0;        // when it was last asked for (Forms::tick)
    bool compiled = false, building = false;
    std::shared_ptr<Form> form;    // null until compiled, or when it computes none of the decisions
  };
  // A form this thread ran lately, with its own block: the next request of the same query and
  // date on this thread takes no lock. Forms are told apart by their id, never reused.
  struct Mine {
    std::uint64_t forms = 0;
    Date date{2000, 1, 1};
    std::shared_ptr<Form> form;
    std::unique_ptr<Columnar::Block> block;
  };
  struct ThreadForms {
    std::array<Mine, kThreadForms> kept;
    std::size_t next = 0;  // the one replaced next
  };

  // This thread's compiled form for `date`, with a block of it, or null: not (yet) compiled.
  Mine* lease(const Query& q, const Date& date) {
    thread_local ThreadForms mine;
    for (Mine& m : mine.kept)
      if (m.forms == id && m.form && m.date == date) return &m;
    std::unique_lock lock(mutex);
    Dated* d = find(date);
    if (!d->compiled && !d->building && d->requests >= kCompileAfter) {
      d->building = true;  // the others go on through the Evaluator meanwhile
      lock.unlock();
      std::shared_ptr<Form> form;
      try {
        form = std::make_shared<Form>(detail::RulebookAccess::program(q.rules_), q.input_slots_, q.decision_slots_, date);
      } catch (const std::exception&) {  // no compiled form: the Evaluator answers, as without one
      }
      lock.lock();
      d = find(date, false);
      d->compiled = true;
      d->building = false;
      if (form && form->columnar.computes_any()) d->form = std::move(form);
    }
    if (!d->form) return nullptr;
    std::shared_ptr<Form> form = d->form;
    lock.unlock();
    Mine& m = mine.kept[mine.next++ % kThreadForms];
    m.block = std::make_unique<Columnar::Block>(form->columnar);
    m.form = std::move(form);
    m.forms = id;
    m.date = date;
    return &m;
  }

  // The entry of `date`, counted as asked for once more if `count` (added, the least recently
  // asked for dropped, if new). Under the lock.
  Dated* find(const Date& date, bool count = true) {
    ++tick;
    auto it = std::find_if(dates.begin(), dates.end(), [&](const Dated& d) { return d.date == date; });
    if (it == dates.end()) {
      if (dates.size() == kDatesKept)
        dates.erase(std::min_element(dates.begin(), dates.end(), [](const Dated& a, const Dated& b) { return a.last < b.last; }));
      it = dates.insert(dates.end(), Dated{date, 0, 0, false, false, nullptr});
    }
    if (count && it->requests < kCompileAfter) ++it->requests;
    it->last = tick;
    return &*it;
  }

  static std::uint64_t new_id() {
    static std::atomic<std::uint64_t> last{0};
    return ++last;
  }
  const std::uint64_t id = new_id();
  std::mutex mutex;
  std::vector<Dated> dates;
  std::uint64_t tick = 0;
};

Query::Query(const Rulebook& rules, std::vector<std::string> inputs, std::vector<std::string> decisions)
    : rules_(rules),
      input_slots_(detail::input_slots(detail::program_of(rules), inputs)),
      decision_slots_(detail::decision_slots(detail::program_of(rules), decisions)),
      check_order_(detail::name_order(inputs)),
      forms_(std::make_shared<Forms>()) {
  inputs_ = std::move(inputs);
  decisions_ = std::move(decisions);
}

bool Query::compiled(const Date& date) const {
  const std::lock_guard lock(forms_->mutex);
  return std::ranges::any_of(forms_->dates, [&](const Forms::Dated& d) { return d.date == date && d.form; });
}

Result Query::evaluate(std::span<const Value> values, const Date& date, OnError on_error) const {
  return run(values, date, false, on_error);
}

Result Query::explain(std::span<const Value> values, const Date& date, OnError on_error) const {
  return run(values, date, true, on_error);
}

Result Query::run(std::span<const Value> values, const Date& date, bool explain, OnError on_error) const {
  if (values.size() != inputs_.size()) {
    throw std::invalid_argument("a query of " + std::to_string(inputs_.size()) + " inputs was given " +
                                std::to_string(values.size()) + " values");
  }
  using Access = detail::RulebookAccess;
  const detail::Program& p = detail::program_of(rules_);
  Result result;
  // The compiled form first, as a Batch runs a row: when it computes every decision the case is
  // done; when it leaves some, the Evaluator computes them given its values. A case it is unsure
  // of (a value refused, missing or past its limits), or that fails given its values, is
  // evaluated from nothing, so that its errors are Rulebook::evaluate()'s.
  if (!explain) {
    if (Forms::Mine* form = forms_->lease(*this, date)) {
      const Columnar& columnar = form->form->columnar;
      Columnar::Block& block = *form->block;
      thread_local std::vector<Columnar::Cells> cells;
      cells.resize(values.size());
      for (std::size_t c = 0; c < values.size(); ++c) cells[c].values = &values[c];
      columnar.run(block, cells, 1);
      if (columnar.complete(block, 0)) {
        if (columnar.computes_all()) {
          Access::begin(result, false, on_error);
          for (std::size_t d = 0; d < decision_slots_.size(); ++d)
            Access::add_value(result, decisions_[d], columnar.value(block, d, 0));
          return result;
        }
        try {
          detail::Evaluator& evaluator = Access::start(p, date, false, on_error, result);
          for (std::size_t i : check_order_) Access::give(p, evaluator, input_slots_[i], values[i], result);
          columnar.give(block, 0, evaluator);
          Access::finish(p, evaluator, decision_slots_, result);
          if (result.ok()) return result;
        } catch (const EvaluationError&) {
        }
        result = Result();
      }
    }
  }
  detail::Evaluator& evaluator = Access::start(p, date, explain, on_error, result);
  for (std::size_t i : check_order_) Access::give(p, evaluator, input_slots_[i], values[i], result);
  Access::finish(p, evaluator, decision_slots_, result);
  return result;
}

}  // namespace kaidah
