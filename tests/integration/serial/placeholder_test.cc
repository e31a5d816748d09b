// Serial integration tests live in this folder; see CMakeLists.txt.
#include <gtest/gtest.h>
