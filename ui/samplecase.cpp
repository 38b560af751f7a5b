// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "samplecase.h"

#include "core/logging.h"
#include "store/casefile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
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

Expected<QString> prepareSampleCase()
{
    const QString dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    const QString copy = QDir(dataDir).filePath(QStringLiteral("sample.portent"));
    if (QFileInfo::exists(copy)) {
        // A copy an older build made may be in a case format this build no longer reads: it is
        // moved aside (never deleted: the user may have imported into it) and copied afresh.
        if (CaseFile::open(copy, CaseFile::Mode::ReadOnly)) {
            return copy;
        }
        const QString aside = copy + QStringLiteral(".unreadable");
        QFile::remove(aside);
        QFile::rename(copy, aside);
        qCWarning(lcUi) << "the sample case copy" << copy << "could not be opened; moved to"
                        << aside;
    }
    const QString bundled = findBundledSampleCase();
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
    qCInfo(lcUi) << "copied the sample case from" << bundled << "to" << copy;
    return copy;
}

} // namespace Portent
