// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "core/threads.h"

#include <ctime>

#ifdef Q_OS_LINUX
#include <pthread.h>
#endif

namespace Portent {

qint64 threadCpuMs()
{
    timespec now{};
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now) != 0) {
        return 0;
    }
    return qint64(now.tv_sec) * 1000 + now.tv_nsec / 1000000;
}

void nameCurrentThread(const char *name)
{
#ifdef Q_OS_LINUX
    pthread_setname_np(pthread_self(), name);
#else
    Q_UNUSED(name);
#endif
}

} // namespace Portent
