// SpawnSite names the file:line a task was spawned from.
#include "spawnguard/spawn_site.hpp"

#include "spawnguard/guard.hpp"

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

TEST(LabelPath, IsThePathBelowTheSourceRoot) {
  EXPECT_EQ(label_path("/home/x/proj/fixtures/svc/main.cpp", "/home/x/proj"), "fixtures/svc/main.cpp");
  EXPECT_EQ(label_path("/home/x/proj/main.cpp", "/home/x/proj/"), "main.cpp");
  EXPECT_EQ(label_path("/home/x/project2/main.cpp", "/home/x/proj"), "/home/x/project2/main.cpp");
}

TEST(LabelPath, KeepsARelativePathAndAPathOutsideTheRootWhole) {
  EXPECT_EQ(label_path("src/server.cpp", "/home/x/proj"), "src/server.cpp"); // -fmacro-prefix-map
  EXPECT_EQ(label_path("./src/server.cpp", ""), "src/server.cpp");
  EXPECT_EQ(label_path("/usr/include/boost/asio/post.hpp", "/home/x/proj"),
            "/usr/include/boost/asio/post.hpp");
  EXPECT_EQ(label_path("/opt/app/a/util.cpp", ""), "/opt/app/a/util.cpp");
}

TEST(LabelPath, TheBuildSetsTheSourceRoot) {
  EXPECT_EQ(std::string(source_root()) + "/tests/runtime-guard/spawn_site_test.cpp",
            std::string(std::source_location::current().file_name()));
}

} // namespace
} // namespace spawnguard

namespace labels_a {
spawnguard::Site site_here(spawnguard::Guard &guard);
}
namespace labels_b {
spawnguard::Site site_here(spawnguard::Guard &guard);
}

namespace spawnguard {
namespace {

TEST(LabelPath, TwoFilesOfTheSameNameInDifferentFoldersNeverShareALabel) {
  Guard guard;
  const auto a = labels_a::site_here(guard); // tests/runtime-guard/labels/a/util.cpp:4
  const auto b = labels_b::site_here(guard); // tests/runtime-guard/labels/b/util.cpp:4
  EXPECT_EQ(a.label(), "tests/runtime-guard/labels/a/util.cpp:4");
  EXPECT_EQ(b.label(), "tests/runtime-guard/labels/b/util.cpp:4");
  EXPECT_FALSE(a == b);
  EXPECT_EQ(guard.stats().size(), 2u);
}

} // namespace
} // namespace spawnguard
