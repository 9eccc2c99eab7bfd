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

// A project's own queue, known only through queue-push-functions.
namespace mail {
void enqueue(int message);        // appends to the outbox another thread sends from
unsigned pending();               // how many messages wait in it
} // namespace mail

void relay_unbounded() {
  for (;;) {
    mail::enqueue(next_request());
  }
}

void relay_capped() {
  for (;;) {
    int message = next_request();
    if (mail::pending() < 1000) {
      mail::enqueue(message);
    }
  }
}
