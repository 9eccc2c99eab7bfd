// libSpawnguardTidyModule.so: registers every check spawnguard-lint knows as a
// clang-tidy check, for `clang-tidy-19 --load=libSpawnguardTidyModule.so`.
#include "AnalyzerCheck.hpp"
#include "checks/CheckRegistry.hpp"

#include <clang-tidy/ClangTidyModule.h>
#include <clang-tidy/ClangTidyModuleRegistry.h>

namespace spawnguard::tidy {
namespace {

class SpawnguardTidyModule : public clang::tidy::ClangTidyModule {
public:
  void addCheckFactories(clang::tidy::ClangTidyCheckFactories &factories) override {
    for (const CheckInfo &info : allChecks()) {
      factories.registerCheckFactory(info.Name, [](llvm::StringRef name, clang::tidy::ClangTidyContext *context) {
        return std::make_unique<AnalyzerCheck>(name, context);
      });
    }
  }
};

} // namespace

// Loading the plugin adds the module to clang-tidy's registry.
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables): the registry's entry lives as long as the plugin
static clang::tidy::ClangTidyModuleRegistry::Add<SpawnguardTidyModule>
    Registration("spawnguard-module", "spawnguard: unbounded spawns, missing deadlines, detached threads");

} // namespace spawnguard::tidy
