#pragma once

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>

namespace Lookback {

// A write transaction that rolls back unless commit() was called: a page and
// its cursor are stored together or not at all, whichever way the function
// returns.
//
// BEGIN IMMEDIATE takes the write lock first, waiting on the connection's busy
// timeout while another writer (another thread or process) holds it. A plain
// BEGIN would read first and then fail at once with "database is locked" when
// it tries to upgrade to writing after another writer committed.
class SqlTransaction
{
public:
    explicit SqlTransaction(QSqlDatabase db)
        : m_db(db)
    {
        QSqlQuery q(m_db);
        m_active = q.exec(QStringLiteral("BEGIN IMMEDIATE"));
        if (!m_active)
            m_error = q.lastError().text();
    }
    ~SqlTransaction()
    {
        if (m_active)
            QSqlQuery(m_db).exec(QStringLiteral("ROLLBACK"));
    }
    SqlTransaction(const SqlTransaction &) = delete;
    SqlTransaction &operator=(const SqlTransaction &) = delete;

    bool isActive() const { return m_active; }
    // Why BEGIN or COMMIT failed, in SQLite's words.
    QString errorText() const { return m_error; }
    bool commit()
    {
        if (!m_active)
            return false;
        QSqlQuery q(m_db);
        if (!q.exec(QStringLiteral("COMMIT"))) {
            m_error = q.lastError().text();
            return false; // still active: the destructor rolls back
        }
        m_active = false;
        return true;
    }

private:
    QSqlDatabase m_db;
    QString m_error;
    bool m_active = false;
};

} // namespace Lookback
