# SPDX-FileCopyrightText: 2026 The Portent authors
# SPDX-License-Identifier: MIT
