// A fan-out over an input-sized range: reported only with --strict.
#include <thread>
#include <vector>

struct request {
  std::vector<int> items;
};
void fetch(int item);

void fan_out(const request &req, std::vector<std::thread> &threads) {
  for (int item : req.items) {
    threads.emplace_back(fetch, item);
  }
}
