// Field by field, each struct of a summary to JSON and back.
#include "summary/SummaryJson.hpp"

namespace spawnguard {

namespace json = llvm::json;

json::Value toJSON(const FindingLocation &where) {
  return json::Object{{"file", where.File}, {"line", where.Line}, {"column", where.Column}};
}

bool fromJSON(const json::Value &value, FindingLocation &where, json::Path path) {
  json::ObjectMapper mapper(value, path);
  uint64_t line = 0;
  uint64_t column = 0;
  if (!mapper || !mapper.map("file", where.File) || !mapper.map("line", line) || !mapper.map("column", column)) {
    return false;
  }
  where.Line = static_cast<unsigned>(line);
  where.Column = static_cast<unsigned>(column);
  return true;
}

json::Value toJSON(const FindingNote &note) { return json::Object{{"where", note.Where}, {"message", note.Message}}; }

bool fromJSON(const json::Value &value, FindingNote &note, json::Path path) {
  json::ObjectMapper mapper(value, path);
  return mapper && mapper.map("where", note.Where) && mapper.map("message", note.Message);
}

json::Value toJSON(const Finding &finding) {
  return json::Object{{"check", finding.Check},       {"message", finding.Message},
                      {"where", finding.Where},       {"notes", finding.Notes},
                      {"function", finding.Function}, {"callee", finding.Callee}};
}

bool fromJSON(const json::Value &value, Finding &finding, json::Path path) {
  json::ObjectMapper mapper(value, path);
  return mapper && mapper.map("check", finding.Check) && mapper.map("message", finding.Message) &&
         mapper.map("where", finding.Where) && mapper.map("notes", finding.Notes) &&
         mapper.map("function", finding.Function) && mapper.map("callee", finding.Callee);
}

json::Value toJSON(const SummaryFunction &function) {
  return json::Object{{"usr", function.Usr}, {"name", function.Name}, {"where", function.Where}};
}

bool fromJSON(const json::Value &value, SummaryFunction &function, json::Path path) {
  json::ObjectMapper mapper(value, path);
  return mapper && mapper.map("usr", function.Usr) && mapper.map("name", function.Name) &&
         mapper.map("where", function.Where);
}

json::Value toJSON(const SummaryStep &step) { return json::Object{{"where", step.Where}, {"note", step.Note}}; }

bool fromJSON(const json::Value &value, SummaryStep &step, json::Path path) {
  json::ObjectMapper mapper(value, path);
  return mapper && mapper.map("where", step.Where) && mapper.map("note", step.Note);
}

json::Value toJSON(const LocalRepetition &repetition) {
  return json::Object{{"perWhat", repetition.PerWhat}, {"steps", repetition.Steps}, {"bounded", repetition.Bounded}};
}

bool fromJSON(const json::Value &value, LocalRepetition &repetition, json::Path path) {
  json::ObjectMapper mapper(value, path);
  return mapper && mapper.map("perWhat", repetition.PerWhat) && mapper.map("steps", repetition.Steps) &&
         mapper.map("bounded", repetition.Bounded);
}

json::Value optional(const std::optional<LocalRepetition> &repetition) {
  return repetition ? toJSON(*repetition) : json::Value(nullptr);
}

const char *edgeKindName(EdgeKind kind) {
  switch (kind) {
  case EdgeKind::Handler:
    return "handler";
  case EdgeKind::Dispatch:
    return "dispatch";
  case EdgeKind::Call:
    break;
  }
  return "call";
}

json::Value toJSON(const SummaryCall &call) {
  return json::Object{{"caller", call.Caller},
                      {"callee", call.Callee},
                      {"kind", edgeKindName(call.Kind)},
                      {"where", call.Where},
                      {"boundedFromEntry", call.BoundedFromEntry},
                      {"repeated", optional(call.Repeated)},
                      {"taskRepeated", optional(call.TaskRepeated)},
                      {"deadlineBefore", call.DeadlineBefore}};
}

bool fromJSON(const json::Value &value, SummaryCall &call, json::Path path) {
  json::ObjectMapper mapper(value, path);
  std::string kind;
  if (!mapper || !mapper.map("caller", call.Caller) || !mapper.map("callee", call.Callee) ||
      !mapper.map("kind", kind) || !mapper.map("where", call.Where) ||
      !mapper.map("boundedFromEntry", call.BoundedFromEntry) || !mapper.map("repeated", call.Repeated) ||
      !mapper.map("taskRepeated", call.TaskRepeated) || !mapper.map("deadlineBefore", call.DeadlineBefore)) {
    return false;
  }
  if (kind == "call") {
    call.Kind = EdgeKind::Call;
  } else if (kind == "handler") {
    call.Kind = EdgeKind::Handler;
  } else if (kind == "dispatch") {
    call.Kind = EdgeKind::Dispatch;
  } else {
    path.field("kind").report("expected \"call\", \"handler\" or \"dispatch\"");
    return false;
  }
  return true;
}

json::Value toJSON(const SummarySpawn &spawn) {
  return json::Object{{"function", spawn.Function},
                      {"callee", spawn.Callee},
                      {"work", spawn.Work},
                      {"where", spawn.Where},
                      {"boundedFromEntry", spawn.BoundedFromEntry},
                      {"repeatedHere", spawn.RepeatedHere},
                      {"taskRepeated", optional(spawn.TaskRepeated)},
                      {"deadlineBefore", spawn.DeadlineBefore}};
}

bool fromJSON(const json::Value &value, SummarySpawn &spawn, json::Path path) {
  json::ObjectMapper mapper(value, path);
  return mapper && mapper.map("function", spawn.Function) && mapper.map("callee", spawn.Callee) &&
         mapper.map("work", spawn.Work) && mapper.map("where", spawn.Where) &&
         mapper.map("boundedFromEntry", spawn.BoundedFromEntry) && mapper.map("repeatedHere", spawn.RepeatedHere) &&
         mapper.map("taskRepeated", spawn.TaskRepeated) && mapper.map("deadlineBefore", spawn.DeadlineBefore);
}

json::Value toJSON(const SummaryWait &wait) {
  return json::Object{{"function", wait.Function},
                      {"callee", wait.Callee},
                      {"database", wait.Database},
                      {"where", wait.Where},
                      {"turnedOffAt", wait.TurnedOffAt ? toJSON(*wait.TurnedOffAt) : json::Value(nullptr)}};
}

bool fromJSON(const json::Value &value, SummaryWait &wait, json::Path path) {
  json::ObjectMapper mapper(value, path);
  return mapper && mapper.map("function", wait.Function) && mapper.map("callee", wait.Callee) &&
         mapper.map("database", wait.Database) && mapper.map("where", wait.Where) &&
         mapper.map("turnedOffAt", wait.TurnedOffAt);
}

json::Value toJSON(const TranslationUnitSummary &summary) {
  return json::Object{{"translationUnit", summary.File}, {"enabledChecks", summary.EnabledChecks},
                      {"functions", summary.Functions},  {"calls", summary.Calls},
                      {"spawns", summary.Spawns},        {"waits", summary.Waits}};
}

bool fromJSON(const json::Value &value, TranslationUnitSummary &summary, json::Path path) {
  json::ObjectMapper mapper(value, path);
  return mapper && mapper.map("translationUnit", summary.File) &&
         mapper.map("enabledChecks", summary.EnabledChecks) && mapper.map("functions", summary.Functions) &&
         mapper.map("calls", summary.Calls) && mapper.map("spawns", summary.Spawns) &&
         mapper.map("waits", summary.Waits);
}

} // namespace spawnguard
