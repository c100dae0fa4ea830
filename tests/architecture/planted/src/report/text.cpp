// Planted: report/ reading a private header of engine/.
#include "kneecheck/engine/engine.hpp"
#include "engine/scoring.hpp"
