#pragma once

#include <QSqlDatabase>

namespace Lookback {

// Rolls back unless commit() was called: a page and its cursor are stored
// together or not at all, whichever way the function returns.
class SqlTransaction
{
public:
    explicit SqlTransaction(QSqlDatabase db) : m_db(db) { m_active = m_db.transaction(); }
    ~SqlTransaction()
    {
        if (m_active)
            m_db.rollback();
    }
    SqlTransaction(const SqlTransaction &) = delete;
    SqlTransaction &operator=(const SqlTransaction &) = delete;

    bool isActive() const { return m_active; }
    bool commit()
    {
        if (!m_active)
            return false;
        m_active = false;
        return m_db.commit();
    }

private:
    QSqlDatabase m_db;
    bool m_active = false;
};

} // namespace Lookback
