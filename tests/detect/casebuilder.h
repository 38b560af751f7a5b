// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "core/eventrecord.h"
#include "core/ticks.h"
#include "store/casefile.h"
#include "store/eventwriter.h"

#include <QList>
#include <QString>
#include <QTest>

namespace Portent::TestSupport {

// 2024-03-13T06:40:13Z (Unix time 1710312013 s), the newest event of most engine test cases.
constexpr qint64 Newest = 1'710'312'013LL * TicksPerSecond;

// A connection that the seed rule keeps unless a test changes one field: public, successful,
// started by a process that is not on the exclusion list, at the newest time.
inline EventRecord connection(const QByteArray &ip, std::optional<qint64> port)
{
    EventRecord record;
    record.sourceLine = 1;
    record.time = Newest;
    record.deviceName = "ws-042.corp.example";
    record.actionType = "ConnectionSuccess";
    record.remoteIp = ip;
    record.remotePort = port;
    record.remoteUrl = "c2.example.net";
    record.remoteIpType = "Public";
    record.processName = "updater.exe";
    record.processFolder = "c:\\users\\alice\\appdata\\local\\temp\\updater.exe";
    record.processCommandLine = "updater.exe /silent";
    record.processId = 4242;
    record.accountName = "alice";
    return record;
}

// Writes the records into a new case at path as one source; fails the calling test on error.
inline bool writeCase(const QString &path, const QList<EventRecord> &records)
{
    auto opened = CaseFile::open(path, CaseFile::Mode::CreateOrOpen);
    if (!opened) {
        qWarning().noquote() << opened.errorMessage();
        return false;
    }
    SourceInfo source;
    source.fileName = QStringLiteral("DeviceNetworkEvents.csv");
    source.filePath = QStringLiteral("/cases/DeviceNetworkEvents.csv");
    source.sha256 = QStringLiteral("%1").arg(records.size()) + path;
    source.format = QStringLiteral("defender-csv");
    auto writer = EventWriter::begin(**opened, source);
    if (!writer) {
        qWarning().noquote() << writer.errorMessage();
        return false;
    }
    qint64 line = 1;
    for (EventRecord record : records) {
        record.sourceLine = ++line;
        if (const Status added = (*writer)->add(record); !added) {
            qWarning().noquote() << added.errorMessage();
            return false;
        }
    }
    source.rowsAccepted = records.size();
    const Status committed = (*writer)->commit(source);
    if (!committed) {
        qWarning().noquote() << committed.errorMessage();
    }
    return bool(committed);
}

} // namespace Portent::TestSupport
