#pragma once
// POST /v1/batch with a roster (Content-Type: text/csv): read as `kaidah sweep` reads one (its
// header checked, a byte-order mark, CR or CRLF line ends, ';' with Indonesian numbers and dates),
// answered as its people.csv (line, id, name, the decisions, error), a chunk of rows at a time.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "serve/service.h"
#include "text/reader.h"

namespace kaidah::serve {

struct CsvPlan {
  std::shared_ptr<const Loaded> loaded;  // the rulebook the whole stream is answered with
  const Rulebook* rules = nullptr;
  Date date{2000, 1, 1};
  std::vector<std::string> decisions;  // the answers, people.csv's columns
  // What is evaluated: the answers, then what the sweep also evaluates when none are named (its
  // work lists' conditions), so that a failure only those read is said as the sweep says it.
  std::vector<std::string> requested;
  std::optional<bool> indonesian;      // nothing: seen from the header line, as the sweep sees it
  detail::Encoding encoding = detail::Encoding::utf8;
};

// The stream; it reads the body on a thread of its own (which may fail to start: std::system_error).
std::unique_ptr<BatchStream> csv_stream(CsvPlan plan, Metrics& metrics);

}  // namespace kaidah::serve
