// The I/O objects of the chosen Asio (see asio.hpp) that the runtime's own
// machinery uses — the sampler's timer and strand, the semaphore's timeouts,
// the PSI trigger's descriptor — apart, so spawning code does not include them.
#pragma once

#include "spawnguard/detail/asio.hpp"

#ifdef SPAWNGUARD_STANDALONE_ASIO
#include <asio/error.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/steady_timer.hpp>
#include <asio/strand.hpp>
#else
#include <boost/asio/error.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#endif
