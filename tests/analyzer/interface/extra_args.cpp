// A finding only a -D on the command line shows: for --extra-arg and --extra-arg-before.
#include <thread>
#include <vector>

int next_connection();
void serve(int connection);

#ifdef LINT_THE_LOOP
void accept_forever(std::vector<std::thread> &threads) {
  for (;;) {
    threads.emplace_back(serve, next_connection());
  }
}
#endif
