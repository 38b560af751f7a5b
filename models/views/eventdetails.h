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
    QString name;   // event_view column name
    QVariant value; // null when the source had no value
};

// Every field of one event, read with a single one-row query on event_view. Cheap enough for the
// GUI thread on a selection change (an indexed primary-key lookup), unlike anything that scans.
Expected<QList<EventField>> loadEventFields(const QString &casePath, qint64 eventId);

QVariantMap toVariantMap(const QList<EventField> &fields);

} // namespace Portent
