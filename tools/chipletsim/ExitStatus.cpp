#include "ExitStatus.h"

#include <systemc>

#include "common/Errors.h"

namespace chipletsim {

int runGuarded(const std::function<int()>& command, std::ostream& err) {
  const char* bug = "chipletsim: internal error (a bug, please report it): ";
  try {
    return command();
  } catch (const ConfigError& e) {
    err << e.what() << std::endl;
    return kExitBadInput;
  } catch (const sc_core::sc_report& e) {
    err << bug << "SystemC: " << e.what() << std::endl;
  } catch (const std::exception& e) {
    err << bug << e.what() << std::endl;
  } catch (...) {
    err << bug << "unknown exception" << std::endl;
  }
  return kExitInternal;
}

}  // namespace chipletsim
