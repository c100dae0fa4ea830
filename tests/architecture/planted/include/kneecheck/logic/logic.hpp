// Planted: logic/ using SQLite, which only history/ may use.
#pragma once

#include <sqlite3.h>
#include <nlohmann/json.hpp>
