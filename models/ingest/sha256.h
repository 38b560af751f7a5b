// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

class QIODevice;

namespace Portent {

// SHA-256 of a source's bytes, which identifies a file already imported. OpenSSL's libcrypto is
// used when the build found it: QCryptographicHash in Qt 6.4 runs the RFC reference code, a byte
// at a time, and measured at about a quarter of a large CSV import's parsing time (some 200 MB/s),
// where libcrypto uses the CPU's SHA instructions. Both give the same digest.
class Sha256
{
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;

    void addData(QByteArrayView bytes);
    // Reads the device to its end.
    bool addData(QIODevice &device);
    // Lower-case hexadecimal digest; the object cannot take more data afterwards.
    QByteArray hexResult();

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace Portent
