// libsystemc defines main() and calls sc_main(): every test executable links this file
// instead of gtest_main. CTest runs each test in its own process (gtest_discover_tests),
// because the SystemC kernel cannot be restarted within one.
#include <gtest/gtest.h>

#include <cstdlib>
#include <systemc>

int sc_main(int argc, char* argv[]) {
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}

// Silences the kernel's banner (libsystemc's main() would print it before sc_main).
int main(int argc, char* argv[]) {
  ::setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 0);
  return sc_core::sc_elab_and_sim(argc, argv);
}
