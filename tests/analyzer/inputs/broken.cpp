// A file that does not parse: the lint must exit 2 and name it.
int main() {
  return undeclared_name;
}
