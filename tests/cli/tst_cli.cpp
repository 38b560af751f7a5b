// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <SQLiteCpp/SQLiteCpp.h>

#ifdef Q_OS_UNIX
#include <csignal>
#endif

namespace {

QStringList words(std::initializer_list<const char *> items)
{
    QStringList list;
    for (const char *item : items) {
        list.append(QString::fromUtf8(item));
    }
    return list;
}

struct Result
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// The (Timestamp, RemoteIP, RemotePort) of each beacon in a generator ground-truth file.
QSet<QByteArray> truthBeacons(const QString &path)
{
    QFile file(path);
    file.open(QIODevice::ReadOnly);
    QSet<QByteArray> keys;
    for (const QByteArray &line : file.readAll().split('\n')) {
        const QList<QByteArray> fields = line.split(',');
        if (fields.value(1) == "beacon") {
            keys.insert(fields[3] + ' ' + fields[4] + ' ' + fields[5]);
        }
    }
    return keys;
}

// The same key for each row of detect's CSV (Timestamp first, RemoteIP and RemotePort by name).
QSet<QByteArray> detectedKeys(const QByteArray &csv)
{
    QList<QByteArray> lines = csv.trimmed().split('\n');
    const QList<QByteArray> header = lines.takeFirst().trimmed().split(',');
    const qsizetype ip = header.indexOf("RemoteIP");
    const qsizetype port = header.indexOf("RemotePort");
    QSet<QByteArray> keys;
    for (const QByteArray &line : lines) {
        // Command lines are quoted and may hold commas; the wanted cells precede them or are
        // counted from the end, where no quoted cell follows.
        const QList<QByteArray> fields = line.trimmed().split(',');
        const qsizetype fromEnd = header.size() - ip;
        keys.insert(fields.first() + ' ' + fields[fields.size() - fromEnd] + ' '
                    + fields[fields.size() - (header.size() - port)]);
    }
    return keys;
}

} // namespace

class tst_Cli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void version();
    void help();
    void exitCodes_data();
    void exitCodes();
    void generateNamesTheBadOption_data();
    void generateNamesTheBadOption();
    void detectNamesTheConflict_data();
    void detectNamesTheConflict();
    void failedImportLeavesNoNewCase();
    void generateImportDetect();
    void reimportIsSkipped();
    void rejectedRowsArePartial();
    void upgradeOfAnEarlierCase();
    void removeTakesOutOneSource();
    void interruptStopsGenerate();

private:
    Result run(const QStringList &arguments);
    QString path(const QString &name) const { return m_dir.filePath(name); }

    QTemporaryDir m_dir;
};

Result tst_Cli::run(const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral(PORTENT_CLI_PATH), arguments);
    if (!process.waitForFinished(300'000)) {
        process.kill();
        process.waitForFinished();
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.readAllStandardOutput(),
            process.readAllStandardError()};
}

void tst_Cli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(QFileInfo::exists(QStringLiteral(PORTENT_CLI_PATH)));
    // A small export with its truth, shared by the cases below.
    const Result generated = run({QStringLiteral("generate"),
                                  path(QStringLiteral("g.csv")),
                                  QStringLiteral("--rows"),
                                  QStringLiteral("3000"),
                                  QStringLiteral("--seed"),
                                  QStringLiteral("5"),
                                  QStringLiteral("--truth"),
                                  path(QStringLiteral("truth.csv"))});
    QCOMPARE(generated.exitCode, 0);
    QFile notJson(path(QStringLiteral("rule.json")));
    QVERIFY(notJson.open(QIODevice::WriteOnly));
    notJson.write("{ this is not json");
}

void tst_Cli::version()
{
    const Result result = run({QStringLiteral("--version")});
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, QByteArray("portent-cli " PORTENT_VERSION "\n"));
}

void tst_Cli::help()
{
    const Result result = run({QStringLiteral("--help")});
    QCOMPARE(result.exitCode, 0);
    for (const char *expected : {"import CASE FILE",
                                 "sources CASE",
                                 "upgrade CASE",
                                 "remove CASE SOURCE",
                                 "detect CASE",
                                 "generate OUT",
                                 "Exit codes:",
                                 "3  partial",
                                 "4  interrupted"}) {
        QVERIFY2(result.out.contains(expected), expected);
    }
    const Result detectHelp = run({QStringLiteral("detect"), QStringLiteral("--help")});
    QCOMPARE(detectHelp.exitCode, 0);
    QVERIFY(detectHelp.out.contains("--window"));
}

void tst_Cli::exitCodes_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    // "@" stands for the test's temporary directory.
    QTest::newRow("no-arguments") << words({}) << 1;
    QTest::newRow("unknown-command") << words({"frobnicate"}) << 1;
    QTest::newRow("unknown-option") << words({"detect", "@/c.portent", "--bogus"}) << 1;
    QTest::newRow("detect-without-case") << words({"detect"}) << 1;
    QTest::newRow("import-without-files") << words({"import", "@/c.portent"}) << 1;
    QTest::newRow("window-typo") << words({"detect", "@/c.portent", "--window", "yesterday"}) << 1;
    QTest::newRow("window-reversed") << words(
        {"detect", "@/c.portent", "--window", "2024-03-14T00:00:00Z..2024-03-13T00:00:00Z"})
                                     << 1;
    QTest::newRow("generate-xml") << words({"generate", "@/x", "--format", "xml"}) << 1;
    QTest::newRow("generate-rows-not-a-number")
        << words({"generate", "@/x", "--rows", "many"}) << 1;
    QTest::newRow("utc-offset-typo")
        << words({"import", "@/c.portent", "@/g.csv", "--utc-offset", "2h"}) << 1;
    QTest::newRow("missing-case") << words({"detect", "@/missing.portent"}) << 2;
    QTest::newRow("sources-missing-case") << words({"sources", "@/missing.portent"}) << 2;
    QTest::newRow("missing-export") << words({"import", "@/new.portent", "@/missing.csv"}) << 2;
    QTest::newRow("rule-not-json")
        << words({"detect", "@/c.portent", "--rule", "@/rule.json"}) << 2;
    QTest::newRow("generate-into-missing-dir")
        << words({"generate", "@/no/such/dir/x.csv", "--rows", "10"}) << 2;
}

void tst_Cli::exitCodes()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    for (QString &argument : arguments) {
        argument.replace(QLatin1Char('@'), m_dir.path());
    }
    const Result result = run(arguments);
    QVERIFY2(result.exitCode == exitCode, result.err.constData());
    if (exitCode != 0) {
        QVERIFY2(!result.err.isEmpty(), "a failure says why on stderr");
    }
}

void tst_Cli::generateNamesTheBadOption_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("rows") << words({"--rows", "-5"}) << QByteArray("--rows cannot be \"-5\"");
    QTest::newRow("format") << words({"--format", "xml"})
                            << QByteArray("--format cannot be \"xml\"");
    QTest::newRow("span") << words({"--span-hours", "0"})
                          << QByteArray("--span-hours cannot be \"0\"");
    QTest::newRow("newest") << words({"--newest", "soon"})
                            << QByteArray("--newest cannot be \"soon\"");
}

void tst_Cli::generateNamesTheBadOption()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, message);
    const Result result
        = run(QStringList{QStringLiteral("generate"), path(QStringLiteral("bad.csv"))} + arguments);
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains(message), result.err.constData());
}

void tst_Cli::detectNamesTheConflict_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QByteArray>("message");
    // "@" stands for the test's temporary directory.
    QTest::newRow("seed-exact-and-window")
        << words({"--seed-exact", "--window", "all"}) << 1 << QByteArray("leave out --window");
    QTest::newRow("seed-exact-and-hours")
        << words({"--seed-exact", "--hours", "5"}) << 1 << QByteArray("--seed-exact uses");
    QTest::newRow("hours-and-all") << words({"--window", "all", "--hours", "5"}) << 1
                                   << QByteArray("--window all has no length");
    QTest::newRow("hours-and-absolute")
        << words({"--window", "2024-03-13T00:00:00Z..2024-03-14T00:00:00Z", "--hours", "5"}) << 1
        << QByteArray("has no length");
    QTest::newRow("window-with-offset")
        << words({"--window", "2024-03-13T00:00:00+02:00..2024-03-14T00:00:00Z"}) << 1
        << QByteArray("written with Z");
    QTest::newRow("window-reversed")
        << words({"--window", "2024-03-14T00:00:00Z..2024-03-13T00:00:00Z"}) << 1
        << QByteArray("starts after it ends");
    QTest::newRow("output-folder-missing")
        << words({"--output", "@/no/such/matches.csv"}) << 2 << QByteArray("the folder");
    QTest::newRow("rule-not-an-object")
        << words({"--rule", "@/array-rule.json"}) << 2 << QByteArray("not an object");
}

// Options that contradict each other, or a bad value, are refused before any work, naming the
// problem.
void tst_Cli::detectNamesTheConflict()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QByteArray, message);
    QFile arrayRule(path(QStringLiteral("array-rule.json")));
    QVERIFY(arrayRule.open(QIODevice::WriteOnly));
    arrayRule.write("[1]");
    arrayRule.close();
    for (QString &argument : arguments) {
        argument.replace(QLatin1Char('@'), m_dir.path());
    }
    const Result result
        = run(QStringList{QStringLiteral("detect"), path(QStringLiteral("c.portent"))} + arguments);
    QCOMPARE(result.exitCode, exitCode);
    QVERIFY2(result.err.contains(message), result.err.constData());
}

// An import that puts nothing into a case it created removes that case again; a case that was
// there before stays, whatever happens to the import.
void tst_Cli::failedImportLeavesNoNewCase()
{
    const QString binary = path(QStringLiteral("archive.csv"));
    QFile file(binary);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray("PK\x03\x04\x00\x00", 6));
    file.close();

    const QString fresh = path(QStringLiteral("never.portent"));
    const Result failed = run({QStringLiteral("import"), fresh, binary});
    QCOMPARE(failed.exitCode, 2);
    QVERIFY(failed.err.contains("binary data"));
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        QVERIFY2(!QFileInfo::exists(fresh + suffix), qPrintable(fresh + suffix));
    }

    const QString kept = path(QStringLiteral("kept.portent"));
    QCOMPARE(run({QStringLiteral("import"), kept, path(QStringLiteral("g.csv"))}).exitCode, 0);
    QCOMPARE(run({QStringLiteral("import"), kept, binary}).exitCode, 2);
    QVERIFY(QFileInfo::exists(kept));
    const Result sources = run({QStringLiteral("sources"), kept});
    QVERIFY(sources.out.contains("g.csv"));
}

// The whole command-line path: generate, import, detect in each format, as a script would.
void tst_Cli::generateImportDetect()
{
    const QString casePath = path(QStringLiteral("flow.portent"));
    const Result imported
        = run({QStringLiteral("import"), casePath, path(QStringLiteral("g.csv"))});
    QCOMPARE(imported.exitCode, 0);
    QVERIFY(imported.out.contains("3000 accepted, 0 rejected"));

    const Result sources = run({QStringLiteral("sources"), casePath});
    QCOMPARE(sources.exitCode, 0);
    QVERIFY(sources.out.contains("g.csv"));

    const QSet<QByteArray> beacons = truthBeacons(path(QStringLiteral("truth.csv")));
    QCOMPARE(beacons.size(), 12); // one per 250 rows
    const Result csv = run(
        {QStringLiteral("detect"), casePath, QStringLiteral("--format"), QStringLiteral("csv")});
    QCOMPARE(csv.exitCode, 0);
    QCOMPARE(detectedKeys(csv.out), beacons);
    QVERIFY(csv.err.contains("Window: "));
    QVERIFY(csv.err.contains("matches: 12"));

    const Result json = run(
        {QStringLiteral("detect"), casePath, QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(json.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(json.out).array().size(), 12);

    const QString outputPath = path(QStringLiteral("matches.csv"));
    const Result toFile
        = run({QStringLiteral("detect"), casePath, QStringLiteral("--output"), outputPath});
    QCOMPARE(toFile.exitCode, 0);
    QVERIFY(toFile.out.isEmpty());
    QFile output(outputPath);
    QVERIFY(output.open(QIODevice::ReadOnly));
    QCOMPARE(detectedKeys(output.readAll()), beacons);

    // The export ends in March 2024: the reference hunt's ago(24h) finds nothing in it.
    const Result seed = run({QStringLiteral("detect"),
                             casePath,
                             QStringLiteral("--seed-exact"),
                             QStringLiteral("--format"),
                             QStringLiteral("csv")});
    QCOMPARE(seed.exitCode, 0);
    QVERIFY(seed.err.contains("matches: 0"));

    const Result kql = run({QStringLiteral("detect"), QStringLiteral("--kql")});
    QCOMPARE(kql.exitCode, 0);
    QVERIFY(kql.out.contains("DeviceNetworkEvents"));
}

void tst_Cli::reimportIsSkipped()
{
    const QString casePath = path(QStringLiteral("twice.portent"));
    QCOMPARE(run({QStringLiteral("import"), casePath, path(QStringLiteral("g.csv"))}).exitCode, 0);
    const Result again = run({QStringLiteral("import"), casePath, path(QStringLiteral("g.csv"))});
    QCOMPARE(again.exitCode, 0);
    QVERIFY(again.out.contains("Skipped"));
}

// A case from the schema 3 release: detect refuses it and names the command that upgrades it;
// upgrade does, says so, and says nothing is left to do the second time; detect then runs.
void tst_Cli::upgradeOfAnEarlierCase()
{
    const QString casePath = path(QStringLiteral("schema3.portent"));
    QVERIFY(QFile::copy(QStringLiteral(PORTENT_TEST_DATA "/cases/schema3.portent"), casePath));
    QVERIFY(QFile::setPermissions(casePath, QFile::ReadOwner | QFile::WriteOwner));

    const Result refused = run({QStringLiteral("detect"), casePath});
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains("(schema 3). Upgrade it with portent-cli upgrade"),
             refused.err.constData());
    const Result upgraded = run({QStringLiteral("upgrade"), casePath});
    QCOMPARE(upgraded.exitCode, 0);
    QVERIFY2(upgraded.out.contains("upgraded from schema 3 to schema 4"), upgraded.out.constData());
    const Result again = run({QStringLiteral("upgrade"), casePath});
    QCOMPARE(again.exitCode, 0);
    QVERIFY2(again.out.contains("already at schema 4; nothing to do"), again.out.constData());
    QCOMPARE(
        run({QStringLiteral("detect"), casePath, QStringLiteral("--window"), QStringLiteral("all")})
            .exitCode,
        0);
    QCOMPARE(run({QStringLiteral("upgrade"), path(QStringLiteral("missing.portent"))}).exitCode, 2);

    // An empty file is no earlier case: refused, and left empty.
    const QString empty = path(QStringLiteral("empty.portent"));
    QFile emptyFile(empty);
    QVERIFY(emptyFile.open(QIODevice::WriteOnly));
    emptyFile.close();
    const Result emptyUpgrade = run({QStringLiteral("upgrade"), empty});
    QCOMPARE(emptyUpgrade.exitCode, 2);
    QVERIFY2(emptyUpgrade.err.contains("holds no case yet"), emptyUpgrade.err.constData());
    QCOMPARE(QFileInfo(empty).size(), 0);
    const Result emptyDetect = run({QStringLiteral("detect"), empty});
    QCOMPARE(emptyDetect.exitCode, 2);
    QVERIFY2(emptyDetect.err.contains("holds no case yet"), emptyDetect.err.constData());
}

// A source imported by mistake (or with rejected rows, before the file is fixed) comes out with
// its events; the other source and its events stay. A wrong id or a word instead of one is
// named.
void tst_Cli::removeTakesOutOneSource()
{
    const QString casePath = path(QStringLiteral("remove.portent"));
    const QString copy = path(QStringLiteral("g-copy.csv"));
    QVERIFY(QFile::copy(path(QStringLiteral("g.csv")), copy));
    QFile extra(copy);
    QVERIFY(extra.open(QIODevice::Append));
    extra.write("2024-03-14T00:00:00.0000000Z" + QByteArray(43, ',') + "\n");
    extra.close();
    QCOMPARE(
        run({QStringLiteral("import"), casePath, path(QStringLiteral("g.csv")), copy}).exitCode, 0);

    const Result removed = run({QStringLiteral("remove"), casePath, QStringLiteral("2")});
    QCOMPARE(removed.exitCode, 0);
    QVERIFY2(removed.out.contains("Removed source 2 (g-copy.csv, 3001 events)"),
             removed.out.constData());
    const Result sources = run({QStringLiteral("sources"), casePath});
    QVERIFY2(sources.out.contains(": 1 sources, 3000 events"), sources.out.constData());
    QVERIFY(!sources.out.contains("g-copy.csv"));
    {
        // The rows themselves, not only the sources' counts; and no endpoint left without events.
        SQLite::Database db(casePath.toStdString(), SQLite::OPEN_READONLY);
        QCOMPARE(db.execAndGet("SELECT count(*) FROM events").getInt(), 3000);
        QCOMPARE(db.execAndGet("SELECT count(*) FROM events WHERE source_id = 2").getInt(), 0);
        QCOMPARE(db.execAndGet("SELECT count(*) FROM endpoints WHERE event_count = 0").getInt(), 0);
        QCOMPARE(db.execAndGet("SELECT sum(event_count) FROM endpoints").getInt(),
                 db.execAndGet("SELECT count(*) FROM events WHERE remote_endpoint IS NOT NULL")
                     .getInt());
    }

    const Result missing = run({QStringLiteral("remove"), casePath, QStringLiteral("2")});
    QCOMPARE(missing.exitCode, 2);
    QVERIFY2(missing.err.contains("has no source 2"), missing.err.constData());
    QCOMPARE(run({QStringLiteral("remove"), casePath, QStringLiteral("first")}).exitCode, 1);
    QCOMPARE(
        run({QStringLiteral("remove"), path(QStringLiteral("none.portent")), QStringLiteral("1")})
            .exitCode,
        2);

    // Neither an empty file nor a case of an earlier schema is changed by a remove.
    const QString empty = path(QStringLiteral("empty-remove.portent"));
    QFile emptyFile(empty);
    QVERIFY(emptyFile.open(QIODevice::WriteOnly));
    emptyFile.close();
    const Result emptyRemove = run({QStringLiteral("remove"), empty, QStringLiteral("1")});
    QCOMPARE(emptyRemove.exitCode, 2);
    QVERIFY2(emptyRemove.err.contains("holds no case yet"), emptyRemove.err.constData());
    QCOMPARE(QFileInfo(empty).size(), 0);
    const QString earlier = path(QStringLiteral("schema3-remove.portent"));
    QVERIFY(QFile::copy(QStringLiteral(PORTENT_TEST_DATA "/cases/schema3.portent"), earlier));
    QVERIFY(QFile::setPermissions(earlier, QFile::ReadOwner | QFile::WriteOwner));
    const Result earlierRemove = run({QStringLiteral("remove"), earlier, QStringLiteral("1")});
    QCOMPARE(earlierRemove.exitCode, 2);
    QVERIFY2(earlierRemove.err.contains("Upgrade it first"), earlierRemove.err.constData());
    SQLite::Database stillOld(earlier.toStdString(), SQLite::OPEN_READONLY);
    QCOMPARE(stillOld.execAndGet("PRAGMA user_version").getInt(), 3);
}

// An export cut or edited by hand: one row with too few fields is rejected, the rest imported.
void tst_Cli::rejectedRowsArePartial()
{
    QFile source(path(QStringLiteral("g.csv")));
    QVERIFY(source.open(QIODevice::ReadOnly));
    const QString brokenPath = path(QStringLiteral("broken.csv"));
    QFile broken(brokenPath);
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write(source.readAll() + "2024-03-14T00:00:00.0000000Z,only,three\n");
    broken.close();
    const Result result
        = run({QStringLiteral("import"), path(QStringLiteral("partial.portent")), brokenPath});
    QCOMPARE(result.exitCode, 3);
    QVERIFY(result.out.contains("3000 accepted, 1 rejected"));
    QVERIFY2(result.out.contains("remove this one first: portent-cli remove"),
             result.out.constData());
}

void tst_Cli::interruptStopsGenerate()
{
#ifdef Q_OS_UNIX
    // A generation far too large to finish: Ctrl+C must stop it, remove the file and exit 4.
    const QString outPath = path(QStringLiteral("huge.csv"));
    QProcess process;
    process.start(QStringLiteral(PORTENT_CLI_PATH),
                  {QStringLiteral("generate"),
                   outPath,
                   QStringLiteral("--rows"),
                   QStringLiteral("1000000000")});
    QVERIFY(process.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(outPath).size() > 0, 30'000);
    ::kill(pid_t(process.processId()), SIGINT);
    QVERIFY(process.waitForFinished(60'000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 4);
    QVERIFY(!QFileInfo::exists(outPath));
#else
    QSKIP("Interrupts are sent with POSIX signals here.");
#endif
}

QTEST_GUILESS_MAIN(tst_Cli)
#include "tst_cli.moc"
