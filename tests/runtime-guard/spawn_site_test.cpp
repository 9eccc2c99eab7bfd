// SpawnSite names the file:line a task was spawned from.
#include "spawnguard/spawn_site.hpp"

#include <gtest/gtest.h>

namespace spawnguard {
namespace {

TEST(SpawnSite, HereCapturesCallersFileAndLine) {
  const auto line = __LINE__ + 1;
  SpawnSite site = SpawnSite::here();
  EXPECT_EQ(site.line(), line);
  EXPECT_EQ(site.label(), "tests/runtime-guard/spawn_site_test.cpp:" + std::to_string(line));
  EXPECT_NE(site.function().find("HereCapturesCallersFileAndLine"), std::string_view::npos);
}

TEST(SpawnSite, NamedSiteUsesTheNameAsLabel) {
  SpawnSite site = SpawnSite::named("audit-insert");
  EXPECT_EQ(site.label(), "audit-insert");
  EXPECT_TRUE(site.file().ends_with("spawn_site_test.cpp"));
}

TEST(SpawnSite, SitesWithTheSameLabelAreEqual) {
  EXPECT_EQ(SpawnSite::named("a"), SpawnSite::named("a"));
  EXPECT_FALSE(SpawnSite::named("a") == SpawnSite::named("b"));
}

TEST(ShortFileName, KeepsPathFromKnownTopLevelFolder) {
  EXPECT_EQ(shortFileName("/home/x/proj/fixtures/svc/main.cpp"), "fixtures/svc/main.cpp");
  EXPECT_EQ(shortFileName("/opt/app/src/server.cpp"), "src/server.cpp");
  EXPECT_EQ(shortFileName("/opt/app/server.cpp"), "server.cpp");
  EXPECT_EQ(shortFileName("server.cpp"), "server.cpp");
}

} // namespace
} // namespace spawnguard
