# SPDX-FileCopyrightText: 2026 The Portent authors
# SPDX-License-Identifier: MIT
target_sources(portentcore PRIVATE
    generate/generator.h generate/generator.cpp
    generate/seedclauses.h generate/seedclauses.cpp
    generate/catalog.h generate/catalog.cpp
    generate/rowwriter.h generate/rowwriter.cpp)
