// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "samplecase.h"

#include "core/logging.h"
#include "store/casefile.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

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

// Identifies one build's bundled sample: a new build brings a new one.
QString bundleStamp(const QString &bundled)
{
    const QFileInfo info(bundled);
    return QStringLiteral("%1|%2|%3")
        .arg(info.canonicalFilePath())
        .arg(info.size())
        .arg(info.lastModified().toMSecsSinceEpoch());
}

// The copy the user works in is kept while it comes from the bundle installed now and this
// build can read it; a copy from an earlier build or in a case format no longer read is not.
bool copyIsStale(const QString &copy, const QString &bundled)
{
    if (!CaseFile::open(copy, CaseFile::Mode::ReadOnly)) {
        return true;
    }
    return !bundled.isEmpty()
           && QSettings().value(QLatin1String(SampleStampKey)).toString() != bundleStamp(bundled);
}

} // namespace

Expected<QString> prepareSampleCase()
{
    const QString dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    const QString copy = QDir(dataDir).filePath(QStringLiteral("sample.portent"));
    const QString bundled = findBundledSampleCase();
    if (QFileInfo::exists(copy)) {
        if (!copyIsStale(copy, bundled)) {
            return copy;
        }
        // Moved aside, never deleted: the user may have imported into it.
        const QString aside = copy + QStringLiteral(".old");
        QFile::remove(aside);
        QFile::rename(copy, aside);
        qCInfo(lcUi) << "the sample case copy" << copy << "was replaced; the old one is" << aside;
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
