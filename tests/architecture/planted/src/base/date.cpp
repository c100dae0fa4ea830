// Planted: base/ reaching up to cli/, which check_layers.sh must report.
#include "kneecheck/base/date.hpp"

#include <string>

#include "kneecheck/cli/cli.hpp"
