// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"
#include "detect/match.h"
#include "detect/rule.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace Portent {

// A match's value in one of the rule's projected columns (DetectionRule::effectiveOutputColumns),
// as text: times in ISO 8601 UTC with seven fractional digits, nulls empty.
QString matchCellText(const DetectionRule &rule, const Match &match, const QString &column);

// RFC 4180: a header row, CRLF line ends, fields with a comma, quote or line break quoted and
// quotes doubled. Cells are written as they are; a spreadsheet may read a command line starting
// with '=' as a formula, which is the reader's setting to make, not Portent's to rewrite.
QByteArray matchesToCsv(const DetectionRule &rule, const QList<Match> &matches);

// A JSON array of objects whose keys are the projected columns in the rule's order. Numbers are
// numbers, nulls are null, Timestamp is an ISO 8601 UTC string with seven fractional digits.
QByteArray matchesToJson(const DetectionRule &rule, const QList<Match> &matches);

// An aligned plain-text table for terminals; cells longer than maxCellWidth are cut with "...".
QString matchesToTextTable(const DetectionRule &rule,
                           const QList<Match> &matches,
                           int maxCellWidth = 40);

enum class MatchFileFormat { Csv, Json, Text };

// Writes atomically (a failed write leaves any existing file untouched).
Status writeMatchesFile(const QString &path,
                        MatchFileFormat format,
                        const DetectionRule &rule,
                        const QList<Match> &matches);

} // namespace Portent
