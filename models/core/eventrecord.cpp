// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "core/eventrecord.h"

#include "core/bytes.h"

namespace Portent {

void EventRecord::clear()
{
    sourceLine = 0;
    extraSharedKey = 0;
    time.reset();
    timeAlt.reset();
    remotePort.reset();
    localPort.reset();
    processId.reset();
    for (QByteArray *text : {&deviceName,
                             &actionType,
                             &remoteIp,
                             &remoteUrl,
                             &localIp,
                             &protocol,
                             &localIpType,
                             &remoteIpType,
                             &processName,
                             &processFolder,
                             &processCommandLine,
                             &accountName,
                             &accountDomain,
                             &reportId,
                             &extraShared,
                             &extraRow,
                             &textStorage}) {
        clearKeepingCapacity(*text);
    }
}

} // namespace Portent
