// The whole run: options, compilation database, configuration, translation
// units in parallel, then de-duplication, baseline and output. Returns the
// exit status (0 no findings, 1 findings, 2 could not do the job).
#pragma once

namespace spawnguard {

enum ExitStatus : int { NoFindings = 0, Findings = 1, CouldNotRun = 2 };

int runDriver(int argc, const char **argv);

} // namespace spawnguard
