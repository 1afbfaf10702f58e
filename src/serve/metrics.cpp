#include "serve/metrics.h"

#include <cstdio>

namespace kaidah::serve {

std::string_view route_name(Route r) {
  static constexpr std::array<std::string_view, kRoutes> names = {
      "/", "/healthz", "/readyz", "/metrics", "/v1/openapi.json", "/v1/evaluate", "/v1/explain",
      "/v1/compare", "/v1/batch", "/v1/rulebook", "/v1/admin/reload", "other"};
  return names[static_cast<std::size_t>(r)];
}

void Metrics::request(Route route, unsigned status, std::chrono::nanoseconds took) {
  std::size_t at = kStatuses.size() - 1;  // "other"
  for (std::size_t i = 0; i + 1 < kStatuses.size(); ++i) {
    if (kStatuses[i] == status) at = i;
  }
  requests_[static_cast<std::size_t>(route)][at].fetch_add(1, std::memory_order_relaxed);
  Latency& l = latency_[static_cast<std::size_t>(route)];
  const double seconds = std::chrono::duration<double>(took).count();  // a duration, never money
  std::size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  l.counts[bucket].fetch_add(1, std::memory_order_relaxed);
  l.nanoseconds.fetch_add(static_cast<std::uint64_t>(took.count()), std::memory_order_relaxed);
}

void Metrics::rows(std::uint64_t evaluated, std::uint64_t with_errors) {
  rows_.fetch_add(evaluated, std::memory_order_relaxed);
  rows_with_errors_.fetch_add(with_errors, std::memory_order_relaxed);
}

void Metrics::reload(bool ok) { (ok ? reloads_ : failed_reloads_).fetch_add(1, std::memory_order_relaxed); }

std::string Metrics::prometheus(const std::string& rulebook_labels) const {
  std::string out;
  auto line = [&](const std::string& text) { out += text + "\n"; };
  line("# HELP kaidah_requests_total Requests answered, by route and HTTP status.");
  line("# TYPE kaidah_requests_total counter");
  for (std::size_t r = 0; r < kRoutes; ++r) {
    for (std::size_t s = 0; s < kStatuses.size(); ++s) {
      const std::uint64_t count = requests_[r][s].load(std::memory_order_relaxed);
      if (count == 0) continue;  // a route and status never answered is left out
      line("kaidah_requests_total{route=\"" + std::string(route_name(static_cast<Route>(r))) + "\",status=\"" +
           (kStatuses[s] ? std::to_string(kStatuses[s]) : std::string("other")) + "\"} " + std::to_string(count));
    }
  }
  line("# HELP kaidah_request_duration_seconds Time from a request's header read to its response handed to the network (the write itself not included).");
  line("# TYPE kaidah_request_duration_seconds histogram");
  for (std::size_t r = 0; r < kRoutes; ++r) {
    const Latency& l = latency_[r];
    std::uint64_t cumulative = 0;
    const std::string route = "route=\"" + std::string(route_name(static_cast<Route>(r))) + "\"";
    for (std::size_t b = 0; b <= kBuckets.size(); ++b) {
      cumulative += l.counts[b].load(std::memory_order_relaxed);
      char le[32];
      if (b < kBuckets.size()) std::snprintf(le, sizeof le, "%g", kBuckets[b]);
      line("kaidah_request_duration_seconds_bucket{" + route + ",le=\"" + (b < kBuckets.size() ? le : "+Inf") + "\"} " +
           std::to_string(cumulative));
    }
    const std::uint64_t ns = l.nanoseconds.load(std::memory_order_relaxed);
    char sum[48];
    std::snprintf(sum, sizeof sum, "%llu.%09llu", static_cast<unsigned long long>(ns / 1'000'000'000),
                  static_cast<unsigned long long>(ns % 1'000'000'000));
    line("kaidah_request_duration_seconds_sum{" + route + "} " + sum);
    line("kaidah_request_duration_seconds_count{" + route + "} " + std::to_string(cumulative));
  }
  auto counter = [&](const char* name, const char* help, std::uint64_t value, const char* type = "counter") {
    line(std::string("# HELP ") + name + " " + help);
    line(std::string("# TYPE ") + name + " " + type);
    line(std::string(name) + " " + std::to_string(value));
  };
  counter("kaidah_rows_evaluated_total", "Cases evaluated (one per case of /v1/evaluate, /v1/explain, /v1/compare, and per row of /v1/batch).",
          rows_.load());
  counter("kaidah_rows_with_errors_total", "Cases evaluated of which a decision asked for had no value or a value given was refused.",
          rows_with_errors_.load());
  counter("kaidah_connections_open", "Connections open now.", static_cast<std::uint64_t>(std::max<std::int64_t>(0, connections.load())), "gauge");
  counter("kaidah_connections_refused_total", "Connections closed at once: --max-connections were open.", connections_refused.load());
  counter("kaidah_requests_in_flight", "Requests being answered now.", static_cast<std::uint64_t>(std::max<std::int64_t>(0, in_flight.load())), "gauge");
  counter("kaidah_requests_busy_total", "Requests answered 503: --max-concurrent requests were being answered.", busy.load());
  counter("kaidah_reloads_total", "Reloads that put a new rulebook in service.", reloads_.load());
  counter("kaidah_reloads_failed_total", "Reloads whose rulebook or reform did not load; the one in service stayed.", failed_reloads_.load());
  line("# HELP kaidah_rulebook_info The rulebook in service.");
  line("# TYPE kaidah_rulebook_info gauge");
  line("kaidah_rulebook_info{" + rulebook_labels + "} 1");
  return out;
}

}  // namespace kaidah::serve
