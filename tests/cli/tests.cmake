# SPDX-FileCopyrightText: 2026 The Portent authors
# SPDX-License-Identifier: MIT
portent_add_test(tst_cli SOURCES cli/tst_cli.cpp)
target_compile_definitions(tst_cli PRIVATE PORTENT_CLI_PATH="$<TARGET_FILE:portent-cli>")
add_dependencies(tst_cli portent-cli)
