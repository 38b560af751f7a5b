# SPDX-FileCopyrightText: 2026 The Portent authors
# SPDX-License-Identifier: MIT
target_sources(portentcore PRIVATE
    detect/formula.h detect/formula.cpp
    detect/rule.h detect/rule.cpp
    detect/match.h
    detect/engine.h detect/engine.cpp)
