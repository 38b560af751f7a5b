// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include "ingest/sha256.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QTest>

using namespace Portent;

// The digest identifies an imported file, so it must be SHA-256 exactly, whichever library the
// build found.
class tst_Sha256 : public QObject
{
    Q_OBJECT

private slots:
    void knownVectors_data();
    void knownVectors();
    void deviceAndPiecesAgreeWithQt();
};

void tst_Sha256::knownVectors_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("digest");

    // FIPS 180-2 appendix B.1 and the digest of no bytes at all.
    QTest::newRow("abc") << QByteArray("abc")
                         << QByteArray("ba7816bf8f01cfea414140de5dae2223"
                                       "b00361a396177a9cb410ff61f20015ad");
    QTest::newRow("empty") << QByteArray()
                           << QByteArray("e3b0c44298fc1c149afbf4c8996fb924"
                                         "27ae41e4649b934ca495991b7852b855");
}

void tst_Sha256::knownVectors()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, digest);
    Sha256 hash;
    hash.addData(input);
    QCOMPARE(hash.hexResult(), digest);
}

// An export streamed in uneven pieces, and the same bytes read from a device, give Qt's digest.
void tst_Sha256::deviceAndPiecesAgreeWithQt()
{
    QByteArray content;
    for (int i = 0; i < 300'000; ++i) {
        content.append(char('a' + i % 26));
    }
    const QByteArray expected
        = QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex();

    Sha256 pieces;
    for (qsizetype offset = 0; offset < content.size(); offset += 4097) {
        pieces.addData(QByteArrayView(content).sliced(offset).first(
            std::min<qsizetype>(4097, content.size() - offset)));
    }
    QCOMPARE(pieces.hexResult(), expected);

    QBuffer device(&content);
    QVERIFY(device.open(QIODevice::ReadOnly));
    Sha256 whole;
    QVERIFY(whole.addData(device));
    QCOMPARE(whole.hexResult(), expected);
}

QTEST_GUILESS_MAIN(tst_Sha256)
#include "tst_sha256.moc"
