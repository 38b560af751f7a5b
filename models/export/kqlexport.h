// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "detect/rule.h"

#include <QString>

namespace Portent {

// The rule as a KQL query over DeviceNetworkEvents that selects the same events, so a responder
// can paste a rule tuned in Portent back into Defender or Sentinel advanced hunting. For the seed
// rule this is the reference hunt, clause for clause.
QString ruleToKql(const DetectionRule &rule);

// A KQL string literal: double quotes, with backslash and quote escaped.
QString kqlString(const QString &text);

} // namespace Portent
