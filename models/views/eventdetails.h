// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"

#include <QList>
#include <QString>
#include <QVariant>
#include <QVariantMap>

namespace Portent {

struct EventField
{
    enum class Kind {
        Plain,
        Time, // 100 ns ticks since 1970 UTC, shown in the chosen time zone
        Json, // text holding JSON, shown indented
    };

    QString name;   // event_view column name, or as presented: the export's own field name
    QVariant value; // null when the source had no value
    Kind kind = Kind::Plain;
};

// Every field of one event, read with a single one-row query on event_view. Cheap enough for the
// GUI thread on a selection change (an indexed primary-key lookup), unlike anything that scans.
Expected<QList<EventField>> loadEventFields(const QString &casePath, qint64 eventId);

QVariantMap toVariantMap(const QList<EventField> &fields);

// The fields as a responder reads them: the modelled columns under the names Defender gives them
// (RemoteIP, InitiatingProcessFileName...), then every column Portent keeps without modelling it,
// then where the event came from. Internal ids and the octets (shown in the breakdown) are left
// out; empty fields are kept, since "empty" is itself evidence.
// `columns` is toVariantMap() of loadEventFields().
QList<EventField> presentedEventFields(const QVariantMap &columns);

} // namespace Portent
