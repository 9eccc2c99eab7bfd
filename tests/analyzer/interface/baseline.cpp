// Two findings for the baseline test: one recorded, one added after recording.
#include <thread>
#include <vector>

int next_connection();
void serve(int connection);

void accept_forever(std::vector<std::thread> &threads) {
  for (;;) {
    threads.emplace_back(serve, next_connection());
  }
}
