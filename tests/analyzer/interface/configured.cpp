// A project's own spawn function and its own permit, known only through .spawnguard.yaml.
namespace jobs {
void submit(void (*work)());      // starts work on a background thread
bool take_slot();                 // blocks until a slot is free
} // namespace jobs

int next_request();
void handle();

void serve_unbounded() {
  for (;;) {
    next_request();
    jobs::submit(handle);
  }
}

void serve_bounded() {
  for (;;) {
    next_request();
    jobs::take_slot();
    jobs::submit(handle);
  }
}
