# SPDX-FileCopyrightText: 2026 The Portent authors
# SPDX-License-Identifier: MIT
portent_add_test(tst_matchtablemodel SOURCES ui/tst_matchtablemodel.cpp ui/matchfixtures.h)
portent_add_test(tst_beacongroups SOURCES ui/tst_beacongroups.cpp ui/matchfixtures.h)
portent_add_test(tst_breakdown SOURCES ui/tst_breakdown.cpp ui/matchfixtures.h)
portent_add_test(tst_viewhelpers SOURCES ui/tst_viewhelpers.cpp ui/matchfixtures.h)
portent_add_test(tst_importcontroller SOURCES ui/tst_importcontroller.cpp LIBS portentui)
portent_add_test(tst_mainwindow SOURCES ui/tst_mainwindow.cpp LIBS portentui)
portent_add_test(tst_workbench SOURCES ui/tst_workbench.cpp LIBS portentui)

# The GUI-stall benchmark: built, not run by ctest (timing is not a unit test).
qt_add_executable(bench_guistall ui/bench_guistall.cpp)
target_link_libraries(bench_guistall PRIVATE portentui portentcore portent_settings Qt6::Test)
