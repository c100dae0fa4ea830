// Planted, and allowed: its own folder, lower folders, fmt and the standard library.
#include "kneecheck/engine/engine.hpp"

#include <vector>

#include <fmt/format.h>

#include "engine/scoring.hpp"
#include "kneecheck/answers/flags.hpp"
#include "kneecheck/base/date.hpp"
