// A private D-Bus session bus + gnome-keyring-daemon (Secret Service) for this test
// process and its children.
#pragma once

#include <QMap>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <memory>

class QProcess;

namespace Lookback::Test {

class KeyringSession
{
public:
    KeyringSession();
    ~KeyringSession(); // kills the daemons it started, restores DBUS_SESSION_BUS_ADDRESS
    KeyringSession(const KeyringSession &) = delete;
    KeyringSession &operator=(const KeyringSession &) = delete;

    // Temporary HOME and XDG_RUNTIME_DIR, `dbus-daemon --session --nofork` on a socket in
    // the temporary folder, `gnome-keyring-daemon --foreground --unlock
    // --components=secrets` (password on stdin), then waits (10 s) until
    // org.freedesktop.secrets is owned on that bus. Sets DBUS_SESSION_BUS_ADDRESS in this
    // process, so QtKeychain used in-process talks to this keyring.
    //
    // In-process QtKeychain/libsecret keep their session-bus connection for the whole
    // process: start ONE KeyringSession per test process (e.g. in initTestCase) and keep
    // it until cleanupTestCase. start() also switches off GLib's "exit when the session
    // bus goes away" for that connection, so destroying the session does not SIGTERM
    // the test process.
    bool start(QString *error);
    void stop();
    bool isRunning() const;

    QString busAddress() const;
    QString homeDir() const;
    QString password() const; // the keyring's unlock password

    // System environment + DBUS_SESSION_BUS_ADDRESS, HOME and XDG_RUNTIME_DIR of this
    // session, for child processes (lookback-cli, secret-tool).
    QProcessEnvironment environment() const;

    // `secret-tool lookup NAME VALUE` in this session; empty when nothing matches.
    QString lookup(const QString &attributeName, const QString &attributeValue) const;
    // Same with several attributes (all must match).
    QString lookup(const QMap<QString, QString> &attributes) const;
    // `secret-tool store --label=LABEL attrs...` with the secret on stdin.
    bool store(const QMap<QString, QString> &attributes, const QString &secret, QString *error = nullptr,
               const QString &label = QStringLiteral("lookback test")) const;

    // Every secret value stored in the session's keyrings: items come from the Secret
    // Service's SearchItems({}) (busctl), each item's value from `secret-tool search
    // --all --unlock` on its attributes. Without busctl: items with the xdg:schema of
    // QtKeychain, secret-tool and GNOME only.
    QStringList dumpAllSecrets() const;
    // Same, each entry as "attr=value,attr=value,...: secret" (for diagnostics).
    QStringList dumpAllItems() const;

private:
    bool runTool(const QString &program, const QStringList &args, const QByteArray &input, QByteArray *out,
                 QString *error) const;
    bool waitForSecretsOwner(QString *error) const;
    QList<QPair<QMap<QString, QString>, QString>> items() const;
    QList<QPair<QMap<QString, QString>, QString>> itemsViaSecretTool() const;

    QString m_root;
    QString m_address;
    QString m_password;
    QByteArray m_previousAddress;
    bool m_hadPreviousAddress = false;
    bool m_addressSet = false;
    std::unique_ptr<QProcess> m_bus;
    std::unique_ptr<QProcess> m_keyring;
};

} // namespace Lookback::Test
