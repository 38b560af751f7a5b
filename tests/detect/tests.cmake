# SPDX-FileCopyrightText: 2026 The Portent authors
# SPDX-License-Identifier: MIT
portent_add_test(tst_formula SOURCES detect/tst_formula.cpp)
portent_add_test(tst_engine SOURCES detect/tst_engine.cpp detect/casebuilder.h)
portent_add_test(tst_rule SOURCES detect/tst_rule.cpp)
portent_add_test(tst_export SOURCES detect/tst_export.cpp)
