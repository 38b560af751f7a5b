// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"
#include "store/sourceinfo.h"

#include <QFuture>
#include <QList>
#include <QPromise>
#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>
#include <optional>

namespace Portent {

// What the user decides about an import; defaults detect everything from content.
struct ImportOptions
{
    DateOrder dateOrder = DateOrder::Unknown; // Unknown: decide from the whole column
    std::optional<int> utcOffsetMinutes;      // required when the export has [Local Time] columns
    bool force = false;                       // import even if the same content was imported
    qint64 chunkBytes = 1 << 20;              // read size; tests shrink it to cross boundaries
    // Set to true, from any thread, to stop the import. Unlike QFuture::cancel(), which makes
    // the future drop the report, this always lets the report through: a request that comes
    // after the commit has begun finds the import done, and the report says so.
    std::shared_ptr<std::atomic<bool>> cancel;
};

// One row that could not be read.
struct RejectedRow
{
    qint64 line = 0;
    QString field; // column name, or empty when the row as a whole is broken
    QString reason;
};

// What an import did, shown to the user and stored with the source.
struct ImportReport
{
    QString filePath;
    QString format;     // detected format id, e.g. "defender-csv"
    QString formatName; // for people, e.g. "Defender Advanced Hunting CSV"
    qint64 bytes = 0;
    qint64 rowsAccepted = 0;
    qint64 rowsRejected = 0;
    QList<RejectedRow> firstRejections; // the first 100, in file order
    DateOrder dateOrder = DateOrder::Unknown;
    QString dateOrderReason; // e.g. "day-first: 412 rows have a first number above 12"
    QString timeZoneNote;    // e.g. "UTC ([UTC] columns)" or "local time, offset +02:00 applied"
    QStringList warnings;
    qint64 sourceId = 0; // 0 when nothing was written
    bool skippedAsDuplicate = false;
    bool cancelled = false;      // stopped on request before its commit; the case is unchanged
    bool needsUtcOffset = false; // refused: [Local Time] columns and no offset was given
    qint64 elapsedMs = 0;
    QString error; // non-empty when the import failed as a whole; the case is unchanged

    QString toJson() const;
    static ImportReport fromJson(const QString &json);
    // Several lines for a terminal or a dialog.
    QString toText() const;
};

// Progress of a running import, reported through QPromise::setProgressValueAndText as bytes read;
// the text carries "rows=<n>" so the GUI can show rows per second.
class Importer
{
public:
    // Imports one file into the case on Qt's global thread pool. The import is one transaction:
    // cancel, failure or crash leaves the case exactly as it was.
    static QFuture<ImportReport>
    start(const QString &casePath, const QString &filePath, const ImportOptions &options = {});

    // The same import on the calling thread.
    static void run(QPromise<ImportReport> &promise,
                    const QString &casePath,
                    const QString &filePath,
                    const ImportOptions &options);

    static ImportReport
    importNow(const QString &casePath, const QString &filePath, const ImportOptions &options = {});
};

} // namespace Portent
