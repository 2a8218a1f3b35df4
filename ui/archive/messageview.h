#pragma once

#include "archive/records.h"

#include <QUrl>
#include <QWidget>

class QLabel;
class QPushButton;
class QStackedWidget;
class QTreeWidget;

namespace Lookback::Ui {

class SafeTextBrowser;

// The archive browser's reading pane: the header block (Subject, From, To,
// Cc, Date), the body (plain text, or the HTML part sanitized and shown by a
// SafeTextBrowser that loads nothing), and the attachments' details (their
// content is never stored) with a way to open the provider's copy.
// Thread: GUI. Owner: its parent widget.
class MessageView : public QWidget
{
    Q_OBJECT
public:
    explicit MessageView(QWidget *parent = nullptr);

    void showMessage(const MessageRecord &message, const ConnectionRecord &connection);
    void clear();
    qint64 messageId() const { return m_message.id; }

    // The provider's web page for a message: Gmail and Microsoft 365 have
    // one; a generic IMAP server has none (empty URL).
    static QUrl providerUrl(const MessageRecord &message, const ConnectionRecord &connection);

signals:
    // The user clicked an address in the header.
    void correspondentRequested(const QString &address);

protected:
    void changeEvent(QEvent *event) override;

private:
    void render();
    void showBody();
    void showAttachments();
    void openLink(const QUrl &url);
    QString addressLinks(const QString &formatted) const;

    MessageRecord m_message;
    ConnectionRecord m_connection;
    QUrl m_providerUrl;

    QStackedWidget *m_stack;
    QLabel *m_subject;
    QLabel *m_fromCaption, *m_from;
    QLabel *m_toCaption, *m_to;
    QLabel *m_ccCaption, *m_cc;
    QLabel *m_dateCaption, *m_date;
    QWidget *m_remoteNote;
    SafeTextBrowser *m_body;
    QWidget *m_attachmentBox;
    QLabel *m_attachmentTitle;
    QTreeWidget *m_attachments;
    QLabel *m_attachmentNote;
    QPushButton *m_openAtProvider;
};

} // namespace Lookback::Ui
