// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <optional>

namespace Portent {

// The importer reports progress as bytes read, with "rows=<n>" as the progress text.
std::optional<qint64> rowsFromProgressText(const QString &text);

// "12.4 of 80.0 MB · 152,300 rows · 48,100 rows/s"
QString formatImportProgress(qint64 bytesDone, qint64 bytesTotal, qint64 rows, qint64 elapsedMs);

// Text after a tab-separated copy: cells with tabs or line breaks get them replaced by spaces so
// every row stays one line in a spreadsheet.
QString tsvCell(const QString &text);

} // namespace Portent
