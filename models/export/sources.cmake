# SPDX-FileCopyrightText: 2026 The Portent authors
# SPDX-License-Identifier: MIT
target_sources(portentcore PRIVATE
    export/matchexport.h export/matchexport.cpp
    export/kqlexport.h export/kqlexport.cpp)
