// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

namespace PortentCli {

// The process exit codes, documented in --help and the README. Higher is worse when several
// files in one command end differently; the command returns the worst.
enum class ExitCode {
    Ok = 0,
    Usage = 1,       // bad command line
    InputError = 2,  // a file could not be read or written, or a case or rule is invalid
    Partial = 3,     // the import finished but rejected some rows
    Interrupted = 4, // cancelled by Ctrl+C (SIGINT) or SIGTERM; the case is unchanged
};

inline int toInt(ExitCode code)
{
    return static_cast<int>(code);
}

inline ExitCode worse(ExitCode a, ExitCode b)
{
    // Interrupted outranks an input error: the run as a whole did not finish.
    const auto rank = [](ExitCode code) {
        switch (code) {
        case ExitCode::Ok:
            return 0;
        case ExitCode::Partial:
            return 1;
        case ExitCode::InputError:
            return 2;
        case ExitCode::Usage:
            return 3;
        case ExitCode::Interrupted:
            return 4;
        }
        return 0;
    };
    return rank(a) >= rank(b) ? a : b;
}

} // namespace PortentCli
