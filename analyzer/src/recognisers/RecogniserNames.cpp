// Defaults plus configuration: the lists every recogniser reads.
#include "recognisers/RecogniserNames.hpp"

#include "recognisers/DefaultNames.hpp"

namespace spawnguard {

RecogniserNames RecogniserNames::from(const ConfigFile &config) {
  RecogniserNames names{
      NameList(defaults::SpawnFunctions),      NameList(defaults::ThreadTypes),
      NameList(defaults::DetachingThreadTypes),
      NameList(defaults::AsyncFunctions),      NameList(defaults::MakeSharedFunctions),
      NameList(defaults::SessionBases),        NameList(defaults::BoundFunctions),
      NameList(defaults::ChannelTypes),        NameList(defaults::BoundedSpawnFunctions),
      NameList(defaults::GuardedSpawnFunctions),
      NameList(defaults::DetachFunctions),     NameList(defaults::WaitFunctions),
      NameList(defaults::DeadlineFunctions),
  };
  names.SpawnFunctions.addAll(config.SpawnFunctions);
  names.BoundFunctions.addAll(config.BoundFunctions);
  names.BoundedSpawnFunctions.addAll(config.BoundedSpawnFunctions);
  names.WaitFunctions.addAll(config.WaitFunctions);
  names.DeadlineFunctions.addAll(config.DeadlineFunctions);
  return names;
}

} // namespace spawnguard
