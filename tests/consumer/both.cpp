// One process, both runtimes: main.cpp compiled once for Boost.Asio
// (boost_part) and once for standalone Asio (standalone_part). Their
// spawnguard symbols live in different inline namespaces, so they link side
// by side, each with its own guard.
int boost_part();
int standalone_part();

int main() { return boost_part() != 0 || standalone_part() != 0 ? 1 : 0; }
