// Paths the tests need: the shared real-mail corpus, the lookback-cli and
// lookback-test-browser binaries.
#pragma once

#include <QDir>
#include <QFileInfo>
#include <QString>
#include <QtGlobal>

namespace Lookback::Test {

// The folder holding the shared corpus archives (*.tar.xz).
// The environment variable LOOKBACK_CORPUS_DIR wins over the build-time default
// LOOKBACK_DEFAULT_CORPUS_DIR (../shared/corpus next to the source tree).
inline QString corpusDir()
{
    const QString fromEnv = qEnvironmentVariable("LOOKBACK_CORPUS_DIR");
    if (!fromEnv.isEmpty())
        return QDir::cleanPath(fromEnv);
#ifdef LOOKBACK_DEFAULT_CORPUS_DIR
    return QDir::cleanPath(QStringLiteral(LOOKBACK_DEFAULT_CORPUS_DIR));
#else
    return QString();
#endif
}

// Absolute path of one archive of the corpus, e.g. "cygwin-patches.tar.xz".
inline QString corpusArchivePath(const QString &archiveName)
{
    return QDir(corpusDir()).filePath(archiveName);
}

// True when corpusDir() exists and holds at least one *.tar.xz archive. Otherwise
// *whyNot names the folder looked at and the variable that overrides it (use it as
// the QSKIP message).
inline bool corpusAvailable(QString *whyNot)
{
    const QString dir = corpusDir();
    QString reason;
    if (dir.isEmpty()) {
        reason = QStringLiteral("no corpus folder configured: set LOOKBACK_CORPUS_DIR to the folder "
                                "holding cygwin-patches.tar.xz etc.");
    } else if (!QFileInfo(dir).isDir()) {
        reason = QStringLiteral("corpus folder %1 does not exist: set LOOKBACK_CORPUS_DIR to the folder "
                                "holding cygwin-patches.tar.xz etc.").arg(dir);
    } else if (QDir(dir).entryList({QStringLiteral("*.tar.xz")}, QDir::Files).isEmpty()) {
        reason = QStringLiteral("corpus folder %1 holds no *.tar.xz archive: set LOOKBACK_CORPUS_DIR to the "
                                "folder holding cygwin-patches.tar.xz etc.").arg(dir);
    }
    if (whyNot)
        *whyNot = reason;
    return reason.isEmpty();
}

// Like corpusAvailable(), but for one named archive.
inline bool corpusArchiveAvailable(const QString &archiveName, QString *whyNot)
{
    if (!corpusAvailable(whyNot))
        return false;
    const QString path = corpusArchivePath(archiveName);
    if (!QFileInfo(path).isFile()) {
        if (whyNot)
            *whyNot = QStringLiteral("corpus archive %1 not found (corpus folder from LOOKBACK_CORPUS_DIR or "
                                     "the build default: %2)").arg(path, corpusDir());
        return false;
    }
    if (whyNot)
        whyNot->clear();
    return true;
}

// The lookback-cli binary built alongside the tests. LOOKBACK_CLI_PATH in the
// environment wins over the build-time path.
inline QString cliPath()
{
    const QString fromEnv = qEnvironmentVariable("LOOKBACK_CLI_PATH");
    if (!fromEnv.isEmpty())
        return fromEnv;
#ifdef LOOKBACK_CLI_PATH
    return QStringLiteral(LOOKBACK_CLI_PATH);
#else
    return QString();
#endif
}

// The lookback-test-browser binary built alongside the tests (what tests set
// as $BROWSER for lookback-cli). LOOKBACK_TEST_BROWSER_PATH in the environment
// wins over the build-time path.
inline QString testBrowserPath()
{
    const QString fromEnv = qEnvironmentVariable("LOOKBACK_TEST_BROWSER_PATH");
    if (!fromEnv.isEmpty())
        return fromEnv;
#ifdef LOOKBACK_TEST_BROWSER_PATH
    return QStringLiteral(LOOKBACK_TEST_BROWSER_PATH);
#else
    return QString();
#endif
}

// The project's source tree (for test data checked into the repository).
inline QString sourceDir()
{
#ifdef LOOKBACK_SOURCE_DIR
    return QStringLiteral(LOOKBACK_SOURCE_DIR);
#else
    return QString();
#endif
}

} // namespace Lookback::Test
