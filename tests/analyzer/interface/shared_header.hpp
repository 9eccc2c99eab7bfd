// A header with a finding, included by two translation units: reported once.
#pragma once
#include <thread>
#include <vector>

int next_connection();
void serve(int connection);

inline void accept_forever(std::vector<std::thread> &threads) {
  for (;;) {
    threads.emplace_back(serve, next_connection());
  }
}
