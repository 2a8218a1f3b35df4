#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace Lookback::Ui {

// "Add shared mailbox…" under a Microsoft 365 connection: the mailbox's
// address (support@…) and a name for its card. It signs in as the parent, so
// nothing else is asked. The caller adds it (SyncService::addSharedMailbox);
// a refusal is shown with showError() and the dialog stays open.
//
// Thread: GUI. Owner: the caller (usually WA_DeleteOnClose).
class SharedMailboxDialog : public QDialog
{
    Q_OBJECT
public:
    SharedMailboxDialog(const QString &parentName, const QString &parentAddress, QWidget *parent = nullptr);

    QString address() const;
    QString name() const;
    void showError(const QString &message);

signals:
    // Add was pressed with a complete form; the dialog stays open until the
    // caller accept()s it or shows an error.
    void addRequested();

private:
    void updateButtons();

    QLineEdit *m_address = nullptr;
    QLineEdit *m_name = nullptr;
    QLabel *m_error = nullptr;
    QPushButton *m_add = nullptr;
    bool m_nameEdited = false;
};

} // namespace Lookback::Ui
