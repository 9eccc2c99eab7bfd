// TaskWalk: the breadth-first walk through a task's work that both the
// in-unit analysis (over declarations) and the cross-unit merge (over USRs)
// make. A function is visited at most once per "a deadline set on the way
// covers it" state, and how each visit was reached is kept, so a finding can
// name the path from the task's start to the wait.
#pragma once

#include <deque>
#include <map>
#include <utility>
#include <vector>

namespace spawnguard {

template <typename Function, typename Location> class TaskWalk {
public:
  // A function reached in the task, and whether a deadline set on the way covers it.
  using Visit = std::pair<Function, bool>;
  struct Step {
    Location Where;
    const char *Note = nullptr;
  };

  explicit TaskWalk(Function start) : Start{std::move(start), false} {
    Arrivals.try_emplace(Start, Arrival{});
    Queue.push_back(Start);
  }

  bool done() const { return Queue.empty(); }
  Visit next() {
    Visit visit = Queue.front();
    Queue.pop_front();
    return visit;
  }

  // `from` reaches `to` at `where`; covered if `from` was (unless the work is
  // a new task, which keeps none of its starter's deadlines: inherit false)
  // or a deadline is set on the way there. Queued unless already reached in the same state.
  void reach(const Visit &from, Function to, bool deadlineOnTheWay, Location where, const char *note,
             bool inherit = true) {
    Visit visit{std::move(to), (inherit && from.second) || deadlineOnTheWay};
    if (Arrivals.try_emplace(visit, Arrival{from, std::move(where), note}).second) {
      Queue.push_back(visit);
    }
  }

  // From `at` outwards to the task's start: where each step was reached.
  std::vector<Step> pathTo(Visit at) const {
    std::vector<Step> steps;
    while (at != Start) {
      const Arrival &arrival = Arrivals.find(at)->second;
      steps.push_back({arrival.Where, arrival.Note});
      at = arrival.From;
    }
    return steps;
  }

private:
  struct Arrival {
    Visit From;
    Location Where;
    const char *Note = nullptr;
  };

  Visit Start;
  std::map<Visit, Arrival> Arrivals;
  std::deque<Visit> Queue;
};

} // namespace spawnguard
