// The shard set: each --summaries-dir folder records which compilation
// database its shard came from, every file that database lists, and the
// files this shard linted, so that --merge can tell when a shard, or a
// summary inside one, is missing instead of silently reporting less.
#pragma once

#include <llvm/Support/Error.h>

#include <string>
#include <vector>

namespace spawnguard {

struct ShardUnit {
  std::string File;    // absolute, without "." or ".." parts
  std::string Summary; // its summary's file name in the shard's folder
};

struct ShardManifest {
  std::string Database;                   // absolute path of compile_commands.json
  std::vector<std::string> DatabaseFiles; // every file it lists, absolute
  std::vector<ShardUnit> Units;           // the files this shard linted
  std::vector<std::string> Skipped;       // the files it was given that the configuration skips
};

constexpr const char *ShardManifestName = "shard.json";

llvm::Error writeShardManifest(const std::string &folder, const ShardManifest &manifest);
llvm::Expected<ShardManifest> readShardManifest(const std::string &folder);

// Every file of every shard's database is linted or skipped by some shard,
// and every unit a shard linted has its summary in that shard's folder.
llvm::Error checkShardsComplete(const std::vector<std::string> &folders, const std::vector<ShardManifest> &shards);

} // namespace spawnguard
