# SPDX-FileCopyrightText: 2026 The Portent authors
# SPDX-License-Identifier: MIT
portent_add_test(tst_generator SOURCES generate/tst_generator.cpp)
target_compile_definitions(tst_generator PRIVATE
    PORTENT_SAMPLE_DIR="${PROJECT_SOURCE_DIR}/resources/sample")
