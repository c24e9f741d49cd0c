// libsystemc defines main() and calls sc_main(): every test executable links this file
// instead of gtest_main. CTest runs each test in its own process (gtest_discover_tests),
// because the SystemC kernel cannot be restarted within one.
#include <gtest/gtest.h>

#include <systemc>

int sc_main(int argc, char* argv[]) {
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
