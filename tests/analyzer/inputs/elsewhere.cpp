// Not in the compile database: the lint must refuse it with exit 2.
int f() { return 0; }
