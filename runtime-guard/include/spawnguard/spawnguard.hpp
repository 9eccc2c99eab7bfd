// spawnguard: spawn through the guard instead of Asio, and it counts live
// tasks per spawn site, watches memory against the real limit, forecasts
// exhaustion, alerts (naming file:line) and sheds or queues before the OOM.
//
//   #include <spawnguard/spawnguard.hpp>
//
//   // Same arguments as boost::asio::co_spawn; the site is this file:line.
//   spawnguard::co_spawn(ex, handle(std::move(socket)), boost::asio::detached);
//
//   // A named site with a limit: at 100 live tasks, refuse (or queue).
//   auto &guard = spawnguard::Guard::global();
//   auto queries = guard.site("db-query");
//   queries.set_limit({.max_live = 100, .policy = spawnguard::LimitPolicy::reject});
//   try {
//     auto rows = co_await spawnguard::co_spawn(queries, ex, run_query(q), boost::asio::use_awaitable);
//   } catch (const spawnguard::SpawnRejected &) { /* answer 503 + Retry-After */ }
//
//   // Or reserve first and answer 503 without spawning:
//   if (auto slot = queries.try_admit()) spawnguard::co_spawn(std::move(slot), ex, work(), detached);
//   else respond_503();
//
//   // Memory sampling, alerts and shedding of sheddable sites at critical:
//   guard.start_sampler(io.get_executor());
//   std::cout << guard.prometheus_text() << guard.dump_text();
//
// Configuration: spawnguard::Config or SPAWNGUARD_* variables (docs/runtime-guard.md).
#pragma once

#include "spawnguard/alert.hpp"
#include "spawnguard/async_semaphore.hpp"
#include "spawnguard/co_spawn.hpp"
#include "spawnguard/config.hpp"
#include "spawnguard/errors.hpp"
#include "spawnguard/exhaustion_forecast.hpp"
#include "spawnguard/guard.hpp"
#include "spawnguard/memory_probe.hpp"
#include "spawnguard/post.hpp"
#include "spawnguard/site.hpp"
#include "spawnguard/site_limit.hpp"
#include "spawnguard/site_stats.hpp"
#include "spawnguard/spawn_site.hpp"
#include "spawnguard/trip_policy.hpp"
