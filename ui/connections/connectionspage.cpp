#include "connectionspage.h"

#include "connectioncard.h"

#include <QHash>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace Lookback::Ui {

ConnectionsPage::ConnectionsPage(SyncService *manager, QWidget *parent)
    : QWidget(parent)
    , m_manager(manager)
{
    auto *outer = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    auto *heading = new QLabel(tr("Connections"), this);
    QFont f = heading->font();
    f.setPointSizeF(f.pointSizeF() * 1.4);
    f.setBold(true);
    heading->setFont(f);
    auto *add = new QPushButton(tr("Add connection…"), this);
    add->setObjectName(QStringLiteral("addConnectionButton"));
    connect(add, &QPushButton::clicked, this, &ConnectionsPage::addConnectionRequested);
    top->addWidget(heading);
    top->addStretch();
    top->addWidget(add);
    outer->addLayout(top);

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *content = new QWidget(scroll);
    m_list = new QVBoxLayout(content);
    m_list->setSpacing(12);
    m_empty = new QLabel(tr("No mailbox connected yet.\nAdd a connection (IMAP, Gmail or Microsoft 365) to pull its history onto this computer."), content);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_list->addWidget(m_empty);
    m_list->addStretch();
    scroll->setWidget(content);
    outer->addWidget(scroll);

    connect(manager, &SyncService::connectionsChanged, this, &ConnectionsPage::rebuild);
    connect(manager, &SyncService::progressChanged, this, [this](const SyncProgress &p) {
        if (ConnectionCard *c = m_cards.value(p.connectionId))
            c->setProgress(p);
    });
    connect(manager, &SyncService::finished, this, [this](const SyncProgress &p) {
        if (ConnectionCard *c = m_cards.value(p.connectionId))
            c->setFinished(p);
    });
    rebuild();
}

void ConnectionsPage::rebuild()
{
    QSet<qint64> seen;
    int position = 0;
    const QVector<ConnectionRecord> all = m_manager->connections();
    QHash<qint64, QString> accounts;
    for (const ConnectionRecord &c : all)
        accounts.insert(c.id, c.username);
    for (const ConnectionRecord &c : all) {
        seen.insert(c.id);
        ConnectionCard *card = m_cards.value(c.id);
        if (!card) {
            card = new ConnectionCard(c, this);
            m_cards.insert(c.id, card);
            m_list->insertWidget(position, card);
            card->setProgress(m_manager->snapshot(c.id));
            const qint64 id = c.id;
            connect(card, &ConnectionCard::pauseRequested, m_manager, &SyncService::pause);
            connect(card, &ConnectionCard::resumeRequested, m_manager, &SyncService::resume);
            connect(card, &ConnectionCard::cancelRequested, m_manager, &SyncService::cancel);
            connect(card, &ConnectionCard::syncNowRequested, m_manager, &SyncService::syncNow);
            connect(card, &ConnectionCard::retryRequested, this, [this, id] {
                if (m_manager->isRunning(id)) {
                    m_manager->pause(id);
                    m_manager->resume(id);
                } else {
                    m_manager->syncNow(id);
                }
            });
            connect(card, &ConnectionCard::reconnectRequested, this, &ConnectionsPage::reconnectRequested);
            connect(card, &ConnectionCard::backfillMoreRequested, this, &ConnectionsPage::backfillMoreRequested);
            connect(card, &ConnectionCard::showLogRequested, this, &ConnectionsPage::showLogRequested);
            connect(card, &ConnectionCard::disconnectRequested, this, &ConnectionsPage::disconnectRequested);
            connect(card, &ConnectionCard::addSharedMailboxRequested, this, &ConnectionsPage::addSharedMailboxRequested);
        } else {
            card->setConnection(c);
        }
        if (c.parentId > 0)
            card->setParentAccount(accounts.value(c.parentId));
        ++position;
    }
    for (auto it = m_cards.begin(); it != m_cards.end();) {
        if (!seen.contains(it.key())) {
            it.value()->deleteLater();
            it = m_cards.erase(it);
        } else {
            ++it;
        }
    }
    m_empty->setVisible(m_cards.isEmpty());
}

} // namespace Lookback::Ui
