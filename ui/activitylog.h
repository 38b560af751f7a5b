// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

namespace Portent {

class ActivityModel;

// Collects every log message of the process for the Activity pane. installMessageHandler() is
// called once from main(); messages from any thread reach the model through a queued call.
class ActivityLog : public QObject
{
    Q_OBJECT

public:
    static ActivityLog *instance();
    static void installMessageHandler();

    ActivityModel *model() const { return m_model; }

private:
    explicit ActivityLog(QObject *parent = nullptr);

    ActivityModel *m_model;
};

} // namespace Portent
