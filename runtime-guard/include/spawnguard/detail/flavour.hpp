// Which Asio the runtime is compiled for, as a name: every declaration of
// the runtime sits in the inline namespace spawnguard::SPAWNGUARD_FLAVOUR.
//
//   Boost.Asio (default)                  spawnguard::boost_asio
//   standalone Asio (SPAWNGUARD_STANDALONE_ASIO defined, as the target
//   spawnguard::runtime_standalone does)  spawnguard::standalone_asio
//
// Code writes spawnguard::Guard either way. The distinct names keep the two
// libraries' symbols apart, so both may be linked into one process (each
// with its own Guard::global()), and a file compiled for one flavour that is
// linked with the other library fails to link instead of misbehaving.
#pragma once

#ifdef SPAWNGUARD_STANDALONE_ASIO
#define SPAWNGUARD_FLAVOUR standalone_asio
#else
#define SPAWNGUARD_FLAVOUR boost_asio
#endif
