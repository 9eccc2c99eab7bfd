// The JSON shape of a translation unit summary (llvm::json toJSON / fromJSON
// pairs, found by argument-dependent lookup).
#pragma once

#include "summary/TranslationUnitSummary.hpp"

#include <llvm/Support/JSON.h>

namespace spawnguard {

llvm::json::Value toJSON(const FindingLocation &where);
llvm::json::Value toJSON(const Finding &finding);
llvm::json::Value toJSON(const SummaryFunction &function);
llvm::json::Value toJSON(const SummaryCall &call);
llvm::json::Value toJSON(const SummarySpawn &spawn);
llvm::json::Value toJSON(const SummaryWait &wait);
llvm::json::Value toJSON(const TranslationUnitSummary &summary);

bool fromJSON(const llvm::json::Value &value, FindingLocation &where, llvm::json::Path path);
bool fromJSON(const llvm::json::Value &value, Finding &finding, llvm::json::Path path);
bool fromJSON(const llvm::json::Value &value, SummaryFunction &function, llvm::json::Path path);
bool fromJSON(const llvm::json::Value &value, SummaryCall &call, llvm::json::Path path);
bool fromJSON(const llvm::json::Value &value, SummarySpawn &spawn, llvm::json::Path path);
bool fromJSON(const llvm::json::Value &value, SummaryWait &wait, llvm::json::Path path);
bool fromJSON(const llvm::json::Value &value, TranslationUnitSummary &summary, llvm::json::Path path);

} // namespace spawnguard
