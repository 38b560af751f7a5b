// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "samplecase.h"

#include "core/logging.h"
#include "store/casefile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QStringList>
#include <QTemporaryDir>

namespace Portent {

QString findBundledSampleCase()
{
    const QDir appDir(QCoreApplication::applicationDirPath());
    const QStringList candidates = {
        appDir.filePath(QStringLiteral("../sample/sample.portent")),
        appDir.filePath(QStringLiteral("../../sample/sample.portent")),
        appDir.filePath(QStringLiteral("../share/portent/sample.portent")),
        QStandardPaths::locate(QStandardPaths::GenericDataLocation,
                               QStringLiteral("portent/sample.portent")),
    };
    for (const QString &candidate : candidates) {
        if (!candidate.isEmpty() && QFileInfo(candidate).isFile()) {
            return QFileInfo(candidate).canonicalFilePath();
        }
    }
    return {};
}

namespace {

constexpr const char *SampleStampKey = "sample/bundleStamp";

// What makes one bundled sample differ from another: its case format and the export it was
// imported from (by SHA-256). Rebuilding the same sample changes neither, only file times.
// Read from a copy: an installed sample lies in a folder the user cannot write, where SQLite
// cannot make the -shm file a WAL case needs even to be read.
QString bundleStamp(const QString &bundled)
{
    const QTemporaryDir scratch;
    const QString probe = scratch.filePath(QStringLiteral("sample.portent"));
    if (!scratch.isValid() || !QFile::copy(bundled, probe)) {
        return {};
    }
    const auto sample = CaseFile::open(probe, CaseFile::Mode::ReadOnly);
    if (!sample) {
        return {};
    }
    QStringList stamp = {QString::number((*sample)->schemaVersion())};
    for (const SourceInfo &source : (*sample)->sources()) {
        stamp.append(source.sha256);
    }
    return stamp.join(QLatin1Char('|'));
}

// The copy the user works in is kept while it was made from the sample bundled now; one from
// another sample (a new release, another case format) is replaced.
bool copyIsStale(const QString &bundled)
{
    const QString stamp = bundleStamp(bundled);
    return !stamp.isEmpty() && QSettings().value(QLatin1String(SampleStampKey)).toString() != stamp;
}

// Renames the copy and its WAL files together, to the first free "sample.portent.old[.N]", so
// no earlier copy is ever overwritten and no stale WAL meets the fresh copy.
void setAside(const QString &copy)
{
    QString aside = copy + QStringLiteral(".old");
    for (int n = 2; QFileInfo::exists(aside); ++n) {
        aside = copy + QStringLiteral(".old.%1").arg(n);
    }
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        if (QFileInfo::exists(copy + suffix)) {
            QFile::rename(copy + suffix, aside + suffix);
        }
    }
    qCInfo(lcUi) << "the sample case copy" << copy << "was made from another sample; it is now"
                 << aside;
}

} // namespace

Expected<QString> prepareSampleCase()
{
    const QString dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    const QString copy = QDir(dataDir).filePath(QStringLiteral("sample.portent"));
    const QString bundled = findBundledSampleCase();
    if (QFileInfo::exists(copy)) {
        if (!copyIsStale(bundled)) {
            return copy;
        }
        setAside(copy); // never deleted: the user may have imported into it
    }
    if (bundled.isEmpty()) {
        return Error{QCoreApplication::translate("Portent",
                                                 "The sample case is not installed "
                                                 "(looked for sample.portent next to "
                                                 "\"%1\" and in share/portent). "
                                                 "Reinstall Portent or open a case.")
                         .arg(QCoreApplication::applicationDirPath())};
    }
    if (!QDir().mkpath(dataDir) || !QFile::copy(bundled, copy)) {
        return Error{QCoreApplication::translate("Portent",
                                                 "Could not copy the sample case to "
                                                 "\"%1\". Check that the folder is "
                                                 "writable.")
                         .arg(copy)};
    }
    // Installed files are read-only; the copy must accept imports.
    QFile::setPermissions(copy, QFile::permissions(copy) | QFileDevice::WriteOwner);
    QSettings().setValue(QLatin1String(SampleStampKey), bundleStamp(bundled));
    qCInfo(lcUi) << "copied the sample case from" << bundled << "to" << copy;
    return copy;
}

} // namespace Portent
