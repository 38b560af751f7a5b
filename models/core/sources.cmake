# SPDX-FileCopyrightText: 2026 The Portent authors
# SPDX-License-Identifier: MIT
target_sources(portentcore PRIVATE
    core/expected.h
    core/logging.h core/logging.cpp
    core/ipv4.h core/ipv4.cpp
    core/ticks.h core/ticks.cpp
    core/eventrecord.h core/eventrecord.cpp
    core/bytes.h core/bytes.cpp
    core/bytekey.h core/bytekey.cpp
    core/threads.h core/threads.cpp)
