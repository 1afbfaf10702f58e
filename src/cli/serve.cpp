#include <cctype>
#include <charconv>
#include <sstream>
#include <unistd.h>
#include <cstdio>
#include <iostream>
#include <sys/resource.h>

#include "args.h"
#include "serve/server.h"
#include "text/reader.h"

namespace kaidah::cli {

namespace {

// --max-rows 10000 and the like: a whole number of at least 1.
std::size_t at_least_one(const std::string& option, const std::string& v) {
  std::size_t n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size() || n == 0)
    throw UsageError(option + ": expected a whole number of at least 1, got '" + v + "'");
  return n;
}

// --listen HOST:PORT, [IPv6]:PORT, or :PORT for loopback.
void read_listen(const std::string& listen, serve::ServerOptions& o) {
  const std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos) throw UsageError("--listen: expected HOST:PORT, like 127.0.0.1:8080, got '" + listen + "'");
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (!host.empty()) o.host = host;
  const std::string port = listen.substr(colon + 1);
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || value > 65535)
    throw UsageError("--listen: expected a port from 0 to 65535, got '" + port + "'");
  o.port = static_cast<unsigned short>(value);
}

bool loopback(const std::string& host) { return host == "127.0.0.1" || host == "::1" || host == "localhost" || host.starts_with("127."); }

}  // namespace

// serve [RULEBOOK] [--reform A,B] [--listen HOST:PORT] [--token-file FILE] [limits…]
int serve_command(const Args& a) {
  if (a.positional.size() > 1) throw UsageError("expected [RULEBOOK]");
  serve::Settings settings;
  settings.rulebook = a.positional.empty() ? bundled_rulebook() : std::filesystem::path(a.positional.front());
  if (a.reform) {
    std::stringstream names(*a.reform);
    for (std::string name; std::getline(names, name, ',');) {
      if (!name.empty()) settings.reforms.push_back(reform_file(settings.rulebook, name));
    }
  }
  serve::ServerOptions o;
  o.threads = a.threads;
  std::FILE* log_file = nullptr;
  for (const auto& [option, value] : a.serve) {
    if (option == "--listen") {
      read_listen(value, o);
    } else if (option == "--token-file") {
      const detail::Text read = detail::read_text_file(value, {4096});
      if (read.problem) throw FileError("--token-file: " + to_string(detail::diagnostic_of(*read.problem, value)));
      std::string token = read.text.substr(0, read.text.find('\n'));  // its first line
      while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
      if (token.size() < 16) throw UsageError("--token-file: the token is " + std::to_string(token.size()) +
                                              " characters; one shorter than 16 is guessable");
      settings.token = token;
    } else if (option == "--access-log") {
      if (value == "off") {
        o.access_log = nullptr;
      } else if (value == "-") {
        o.access_log = stderr;
      } else {
        log_file = std::fopen(value.c_str(), "a");
        if (!log_file) throw FileError("--access-log: cannot write " + value);
        o.access_log = log_file;
      }
    } else if (option == "--max-body-bytes") {
      o.max_body_bytes = at_least_one(option, value);
    } else if (option == "--max-rows") {
      settings.max_rows = at_least_one(option, value);
    } else if (option == "--max-connections") {
      o.max_connections = at_least_one(option, value);
    } else if (option == "--max-concurrent") {
      o.max_concurrent = at_least_one(option, value);
    } else if (option == "--header-timeout") {
      o.header_timeout = std::chrono::seconds(at_least_one(option, value));
    } else if (option == "--body-timeout") {
      o.body_timeout = std::chrono::seconds(at_least_one(option, value));
    } else if (option == "--shutdown-timeout") {
      o.shutdown_timeout = std::chrono::seconds(at_least_one(option, value));
    }
  }
  if (!loopback(o.host) && settings.token.empty())
    std::cerr << "kaidah serve: warning: listening on " << o.host << " without --token-file: anyone who reaches it may use it\n";
  // Each connection is a file descriptor: take as many as the system allows, up to the hard limit.
  // Each connection is a file descriptor: take as many as the system allows (its hard limit), and
  // hold the connections to what that allows, less a few for the rulebook's files and the log.
  if (rlimit fds{}; getrlimit(RLIMIT_NOFILE, &fds) == 0) {
    if (fds.rlim_cur < fds.rlim_max && (fds.rlim_cur = fds.rlim_max, setrlimit(RLIMIT_NOFILE, &fds)) != 0)
      getrlimit(RLIMIT_NOFILE, &fds);
    if (fds.rlim_cur != RLIM_INFINITY && o.max_connections + 64 > fds.rlim_cur) {
      o.max_connections = fds.rlim_cur > 128 ? fds.rlim_cur - 64 : 64;
      std::cerr << "kaidah serve: the system allows " << fds.rlim_cur << " open files: at most " << o.max_connections
                << " connections\n";
    }
  }

  serve::Service service(settings);
  const auto loaded = service.loaded();
  try {
    serve::serve(service, o, [&](const std::string& address) {
      std::cout << "kaidah serve: " << loaded->base.name() << " " << loaded->base.version() << " on http://" << address
                << "/ (Ctrl-C stops; kill -HUP " << getpid() << " reloads the rulebook)" << std::endl;
    });
  } catch (const serve::ListenError& e) {
    if (log_file) std::fclose(log_file);
    throw FileError("cannot listen on " + o.host + ":" + std::to_string(o.port) + ": " + e.what());
  }
  if (log_file) std::fclose(log_file);
  std::cerr << "kaidah serve: stopped\n";
  return 0;
}

}  // namespace kaidah::cli
