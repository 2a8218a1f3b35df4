#pragma once

#include "archive/records.h"
#include "sync/syncservice.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QVBoxLayout;

namespace Lookback::Ui {

class ConnectionCard;


// The Connections page: one live card per connection and the way to add one.
class ConnectionsPage : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionsPage(SyncService *service, QWidget *parent = nullptr);

    ConnectionCard *card(qint64 connectionId) const { return m_cards.value(connectionId); }
    QList<ConnectionCard *> cards() const { return m_cards.values(); }
    void rebuild();

signals:
    void addConnectionRequested();
    void reconnectRequested(qint64 connectionId);
    void backfillMoreRequested(qint64 connectionId);
    void showLogRequested(qint64 connectionId);
    void disconnectRequested(qint64 connectionId);
    void addSharedMailboxRequested(qint64 parentId);

private:
    SyncService *m_manager;
    QVBoxLayout *m_list = nullptr;
    QLabel *m_empty = nullptr;
    QHash<qint64, ConnectionCard *> m_cards;
};

} // namespace Lookback::Ui
