# SPDX-FileCopyrightText: 2026 The Portent authors
# SPDX-License-Identifier: MIT
portent_add_test(tst_ipv4 SOURCES core/tst_ipv4.cpp)
