// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "ingest/sha256.h"

#include <QIODevice>

#ifdef PORTENT_HAVE_OPENSSL
#include <openssl/evp.h>
#else
#include <QCryptographicHash>
#endif

namespace Portent {

#ifdef PORTENT_HAVE_OPENSSL

struct Sha256::State
{
    struct ContextDeleter
    {
        void operator()(EVP_MD_CTX *context) const { EVP_MD_CTX_free(context); }
    };
    std::unique_ptr<EVP_MD_CTX, ContextDeleter> context{EVP_MD_CTX_new()};
};

Sha256::Sha256()
    : m_state(std::make_unique<State>())
{
    // Only allocation can fail here; a null context then makes every call below a no-op, and
    // the empty digest cannot match a real file's.
    if (m_state->context) {
        EVP_DigestInit_ex(m_state->context.get(), EVP_sha256(), nullptr);
    }
}

void Sha256::addData(QByteArrayView bytes)
{
    if (m_state->context) {
        EVP_DigestUpdate(m_state->context.get(), bytes.data(), size_t(bytes.size()));
    }
}

QByteArray Sha256::hexResult()
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!m_state->context || EVP_DigestFinal_ex(m_state->context.get(), digest, &length) != 1) {
        return {};
    }
    return QByteArray(reinterpret_cast<const char *>(digest), int(length)).toHex();
}

#else

struct Sha256::State
{
    QCryptographicHash hash{QCryptographicHash::Sha256};
};

Sha256::Sha256()
    : m_state(std::make_unique<State>())
{}

void Sha256::addData(QByteArrayView bytes)
{
    m_state->hash.addData(bytes);
}

QByteArray Sha256::hexResult()
{
    return m_state->hash.result().toHex();
}

#endif

Sha256::~Sha256() = default;

bool Sha256::addData(QIODevice &device)
{
    QByteArray buffer(1 << 20, Qt::Uninitialized);
    while (true) {
        const qint64 read = device.read(buffer.data(), buffer.size());
        if (read < 0) {
            return false;
        }
        if (read == 0) {
            return true;
        }
        addData(QByteArrayView(buffer.constData(), read));
    }
}

} // namespace Portent
