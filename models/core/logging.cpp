// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "logging.h"

Q_LOGGING_CATEGORY(lcImport, "portent.import", QtWarningMsg)
Q_LOGGING_CATEGORY(lcStore, "portent.store", QtWarningMsg)
Q_LOGGING_CATEGORY(lcEngine, "portent.engine", QtWarningMsg)
Q_LOGGING_CATEGORY(lcGenerate, "portent.generate", QtWarningMsg)
Q_LOGGING_CATEGORY(lcCli, "portent.cli", QtWarningMsg)
Q_LOGGING_CATEGORY(lcUi, "portent.ui", QtWarningMsg)
