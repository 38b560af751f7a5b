// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>

#include <optional>

namespace Portent {

// One accepted row of a source, mapped onto the fields Portent models. Text stays UTF-8 bytes so
// the importer never converts to QString on the hot path; the writer interns repeating strings.
// An empty QByteArray means the source had no value (or no such column).
struct EventRecord
{
    // Empties every field. textStorage keeps its memory (unless it is shared), so that a record
    // reused for the next row (see BatchWriter) costs no allocation.
    void clear();

    qint64 sourceLine = 0; // 1-based line of the record's first line in the file

    std::optional<qint64> time;    // ticks UTC (see ticks.h)
    std::optional<qint64> timeAlt; // the other day/month reading when the text was ambiguous

    QByteArray deviceName;
    QByteArray actionType;
    QByteArray remoteIp;
    std::optional<qint64> remotePort;
    QByteArray remoteUrl;
    QByteArray localIp;
    std::optional<qint64> localPort;
    QByteArray protocol;
    QByteArray localIpType;
    QByteArray remoteIpType;
    QByteArray processName;
    QByteArray processFolder;
    QByteArray processCommandLine;
    std::optional<qint64> processId;
    QByteArray accountName;
    QByteArray accountDomain;
    QByteArray reportId;

    // Every non-empty source column Portent does not model, so that nothing in the file is lost,
    // as two JSON object texts ("" when empty): the columns whose values repeat from row to row
    // (hashes, version info, SIDs), which the writer stores once per distinct text, and those that
    // vary per row (creation times, parent ids), stored with the event. Together they are the
    // `extra` column of event_view.
    QByteArray extraShared;
    QByteArray extraRow;
    // When not 0, the importer's name for the text of extraShared: within one import, records
    // with the same key have the same extraShared, so the writer looks the key up instead of
    // hashing and comparing a text that averages a kilobyte in a Defender export.
    quint64 extraSharedKey = 0;

    // The importer's mapper writes all of a row's text (but the shared extras) into this one
    // buffer and sets the fields above to refer to it (QByteArray::fromRawData): no allocation
    // and no reference count per field, and the writing thread reads the row's text in one
    // piece. Such fields are not NUL-terminated, and are valid only while this buffer holds the
    // row: copying such a field gives another view, not a copy, so anything kept beyond the
    // record's use must be a deep copy (QByteArray(field.constData(), field.size())). Other
    // producers (tests) may set the fields directly and leave this empty.
    QByteArray textStorage;
};

} // namespace Portent
