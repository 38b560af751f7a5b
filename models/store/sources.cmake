# SPDX-FileCopyrightText: 2026 The Portent authors
# SPDX-License-Identifier: MIT
target_sources(portentcore PRIVATE
    store/schema.h store/schema.cpp
    store/casefile.h store/casefile.cpp
    store/sourceinfo.h
    store/eventwriter.h store/eventwriter.cpp)
