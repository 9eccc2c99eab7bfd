// Reading and checking the CheckOptions of the spawnguard checks.
#include "TidyCheckOptions.hpp"

#include "checks/CheckRegistry.hpp"
#include "checks/DetachedThreadCheck.hpp"

#include <clang/Basic/CharInfo.h>
#include <llvm/ADT/STLExtras.h>
#include <llvm/ADT/StringExtras.h>

namespace spawnguard::tidy {
namespace {

// A configured list and the .spawnguard.yaml list it fills.
struct ListOption {
  const char *Name;
  std::vector<std::string> ConfigFile::*Names;
};

constexpr ListOption ListOptions[] = {
    {"SpawnFunctions", &ConfigFile::SpawnFunctions},
    {"BoundFunctions", &ConfigFile::BoundFunctions},
    {"BoundedSpawnFunctions", &ConfigFile::BoundedSpawnFunctions},
    {"WaitFunctions", &ConfigFile::WaitFunctions},
    {"DeadlineFunctions", &ConfigFile::DeadlineFunctions},
};
constexpr const char *StrictOption = "Strict";

// "::boost::asio::co_spawn", "jobs::submit": identifiers joined by "::".
bool isQualifiedName(llvm::StringRef name) {
  name.consume_front("::");
  llvm::SmallVector<llvm::StringRef, 8> parts;
  name.split(parts, "::");
  return llvm::all_of(parts, [](llvm::StringRef part) { return clang::isValidAsciiIdentifier(part); });
}

// The value clang-tidy's getLocalOrGlobal would read: the check's own option
// unless a global one comes from a nearer .clang-tidy (a higher priority).
const clang::tidy::ClangTidyOptions::ClangTidyValue *
localOrGlobal(const clang::tidy::ClangTidyOptions::OptionMap &options, const std::string &local,
              llvm::StringRef global) {
  auto ownValue = options.find(local);
  auto globalValue = options.find(global);
  if (ownValue == options.end()) {
    return globalValue == options.end() ? nullptr : &globalValue->getValue();
  }
  if (globalValue != options.end() && globalValue->getValue().Priority > ownValue->getValue().Priority) {
    return &globalValue->getValue();
  }
  return &ownValue->getValue();
}

std::string invalid(llvm::StringRef value, const std::string &option, const std::string &why) {
  return "invalid value '" + value.str() + "' for option '" + option + "': " + why;
}

// The check's own list keys (CheckInfo::ListKeys), by clang-tidy option.
const CheckListKey *ownListKey(llvm::StringRef check, llvm::StringRef option) {
  const CheckInfo *info = findCheck(check);
  if (info == nullptr) {
    return nullptr;
  }
  auto found = llvm::find_if(info->ListKeys, [option](const CheckListKey &key) { return option == key.TidyOption; });
  return found == info->ListKeys.end() ? nullptr : &*found;
}

} // namespace

std::vector<std::string> optionNames(llvm::StringRef check) {
  if (check == DetachedThreadCheck::Name) {
    return {}; // the detach functions are not configurable
  }
  std::vector<std::string> names;
  for (const ListOption &list : ListOptions) {
    names.emplace_back(list.Name);
  }
  if (const CheckInfo *info = findCheck(check)) {
    for (const CheckListKey &key : info->ListKeys) {
      names.emplace_back(key.TidyOption);
    }
  }
  names.emplace_back(StrictOption);
  return names;
}

CheckConfiguration readCheckOptions(llvm::StringRef check, const clang::tidy::ClangTidyOptions::OptionMap &options) {
  CheckConfiguration result;
  std::vector<std::string> known = optionNames(check);
  std::string prefix = check.str() + ".";
  for (const auto &entry : options) {
    llvm::StringRef key = entry.getKey();
    if (key.starts_with(prefix) && !llvm::is_contained(known, key.drop_front(prefix.size()))) {
      result.Errors.push_back("unknown option '" + key.str() + "' (" + check.str() + " takes " +
                              (known.empty() ? std::string("no options") : llvm::join(known, ", ")) + ")");
    }
  }
  for (const std::string &name : known) {
    const auto *value = localOrGlobal(options, prefix + name, name);
    std::string option = value == nullptr || options.count(prefix + name) == 0 ? name : prefix + name;
    if (value == nullptr) {
      result.Values.emplace_back(name == StrictOption ? "false" : "");
      continue;
    }
    result.Values.push_back(value->Value);
    llvm::StringRef text = llvm::StringRef(value->Value).trim();
    if (name == StrictOption) {
      std::string lowered = text.lower();
      if (lowered == "true" || lowered == "1") {
        result.Config.Strict = true;
      } else if (lowered == "false" || lowered == "0") {
        result.Config.Strict = false;
      } else {
        result.Errors.push_back(invalid(value->Value, option, "expected true or false"));
      }
      continue;
    }
    const ListOption *list =
        llvm::find_if(ListOptions, [&name](const ListOption &candidate) { return name == candidate.Name; });
    const CheckListKey *own = ownListKey(check, name);
    std::vector<std::string> &listed =
        own != nullptr ? result.Config.CheckLists[own->Key] : result.Config.*(list->Names);
    llvm::SmallVector<llvm::StringRef, 8> entries;
    text.split(entries, ';', -1, false);
    for (llvm::StringRef each : entries) {
      llvm::StringRef qualified = each.trim();
      if (qualified.empty()) {
        continue;
      }
      if (!isQualifiedName(qualified)) {
        result.Errors.push_back(invalid(value->Value, option,
                                        "'" + qualified.str() + "' is not a fully qualified name (write names "
                                        "like '::ns::function', separated by ';')"));
        continue;
      }
      listed.push_back(qualified.str());
    }
  }
  return result;
}

} // namespace spawnguard::tidy
