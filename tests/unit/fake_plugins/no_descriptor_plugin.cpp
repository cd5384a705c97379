// A fake plugin, for the plugin host's error path only: a shared library that
// forgot ATOMIXTEST_PLUGIN.
extern "C" int atomixtest_something_else() {
    return 42;
}
