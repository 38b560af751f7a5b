// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "activitylog.h"

#include "views/activitymodel.h"

#include <QCoreApplication>
#include <QMetaObject>
#include <QPointer>

namespace Portent {

namespace {

QtMessageHandler s_previousHandler = nullptr;

void handleMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (s_previousHandler) {
        s_previousHandler(type, context, message);
    }
    ActivityLog *log = ActivityLog::instance();
    if (!log) {
        return;
    }
    ActivityEntry entry{QDateTime::currentDateTime(),
                        QString::fromUtf8(context.category ? context.category : "default"),
                        type,
                        message};
    // Queued even on the GUI thread: a message logged while a view is mid-update must not
    // re-enter the model.
    QMetaObject::invokeMethod(
        log, [log, entry] { log->model()->append(entry); }, Qt::QueuedConnection);
}

} // namespace

ActivityLog::ActivityLog(QObject *parent)
    : QObject(parent)
    , m_model(new ActivityModel(2000, this))
{}

ActivityLog *ActivityLog::instance()
{
    // Owned by the application object, so it dies before Qt tears down.
    static QPointer<ActivityLog> s_log;
    if (!s_log && QCoreApplication::instance()) {
        s_log = new ActivityLog(QCoreApplication::instance());
    }
    return s_log;
}

void ActivityLog::installMessageHandler()
{
    instance();
    s_previousHandler = qInstallMessageHandler(handleMessage);
}

} // namespace Portent
