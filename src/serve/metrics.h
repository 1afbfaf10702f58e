#pragma once
// What /metrics reports, in Prometheus' text format: requests by route and status, their latency,
// rows evaluated, connections, reloads and the rulebook in service. Safe to update from any thread.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>

namespace kaidah::serve {

// The routes a request is counted under: a fixed set, so that no client can grow the metrics by
// asking for paths that do not exist.
enum class Route { root, healthz, readyz, metrics, openapi, evaluate, explain, compare, batch, rulebook, reload, other };
inline constexpr std::size_t kRoutes = 12;
std::string_view route_name(Route r);

class Metrics {
 public:
  void request(Route route, unsigned status, std::chrono::nanoseconds took);
  void rows(std::uint64_t evaluated, std::uint64_t with_errors);
  void reload(bool ok);
  std::atomic<std::int64_t> connections{0};          // open now
  std::atomic<std::uint64_t> connections_refused{0};  // past --max-connections
  std::atomic<std::int64_t> in_flight{0};             // requests being answered now
  std::atomic<std::uint64_t> busy{0};                 // refused past --max-concurrent

  // The text of /metrics; `rulebook` is the labels of kaidah_rulebook_info ("name=\"jkn\",…").
  std::string prometheus(const std::string& rulebook_labels) const;

 private:
  // Upper bounds of the latency buckets, in seconds (Prometheus' `le`), and +Inf.
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1,    5};
  struct Latency {
    std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> counts{};
    std::atomic<std::uint64_t> nanoseconds{0};
  };
  // The statuses the service answers; any other is counted under the last, 0 ("other").
  // 499: a client that left before its answer was written (nginx's code).
  static constexpr std::array<unsigned, 15> kStatuses = {200, 400, 401, 403, 404, 405, 408, 413,
                                                          415, 422, 431, 499, 500, 503, 0};
  std::array<Latency, kRoutes> latency_;
  std::array<std::array<std::atomic<std::uint64_t>, kStatuses.size()>, kRoutes> requests_{};  // by route, status
  std::atomic<std::uint64_t> rows_{0}, rows_with_errors_{0}, reloads_{0}, failed_reloads_{0};
};

}  // namespace kaidah::serve
