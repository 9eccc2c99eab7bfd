// Every name list the recognisers use, built from the defaults plus what the
// configuration adds. One instance per translation unit (lists cache lookups).
#pragma once

#include "config/Config.hpp"
#include "recognisers/NameList.hpp"

namespace spawnguard {

struct RecogniserNames {
  NameList SpawnFunctions;
  NameList ThreadTypes;
  NameList DetachingThreadTypes;
  NameList AsyncFunctions;
  NameList MakeSharedFunctions;
  NameList SessionBases;
  NameList BoundFunctions;
  NameList ChannelTypes;
  NameList BoundedSpawnFunctions;
  NameList GuardedSpawnFunctions;
  NameList DetachFunctions;
  NameList WaitFunctions;
  NameList DeadlineFunctions;

  static RecogniserNames from(const ConfigFile &config);
};

} // namespace spawnguard
