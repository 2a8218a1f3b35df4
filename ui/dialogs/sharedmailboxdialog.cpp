#include "sharedmailboxdialog.h"

#include "dialoglayout.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace Lookback::Ui {

SharedMailboxDialog::SharedMailboxDialog(const QString &parentName, const QString &parentAddress, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Add shared mailbox"));
    auto *layout = new QVBoxLayout(this);
    auto *text = new QLabel(tr("A mailbox someone shares with %1, such as a team's support address. Lookback reads "
                               "it with the sign-in of “%2”, so there is nothing more to sign in to; its owner must "
                               "have shared Inbox and Sent Items with you.")
                                .arg(parentAddress, parentName),
                            this);
    text->setObjectName(QStringLiteral("sharedExplanation"));
    text->setTextFormat(Qt::PlainText);
    text->setWordWrap(true);
    layout->addWidget(text);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_address = new QLineEdit(this);
    m_address->setObjectName(QStringLiteral("sharedAddressEdit"));
    m_address->setPlaceholderText(tr("support@example.com"));
    m_address->setAccessibleName(tr("Shared mailbox address"));
    form->addRow(tr("Add&ress:"), m_address);
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("sharedNameEdit"));
    m_name->setAccessibleName(tr("Connection name"));
    form->addRow(tr("&Name:"), m_name);
    layout->addLayout(form);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("sharedError"));
    m_error->setTextFormat(Qt::PlainText);
    m_error->setWordWrap(true);
    QPalette p = m_error->palette();
    p.setColor(QPalette::WindowText, QColor(0xb7, 0x1c, 0x1c));
    m_error->setPalette(p);
    m_error->hide();
    layout->addWidget(m_error);
    layout->addStretch(1);
    auto *buttons = new QDialogButtonBox(this);
    m_add = buttons->addButton(tr("&Add"), QDialogButtonBox::AcceptRole);
    m_add->setObjectName(QStringLiteral("sharedAddButton"));
    m_add->setDefault(true);
    buttons->addButton(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));
    layout->addWidget(buttons);
    connect(m_add, &QPushButton::clicked, this, [this] {
        if (!m_add->isEnabled())
            return;
        m_error->hide();
        emit addRequested();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QLineEdit::textEdited, this, [this](const QString &t) { m_nameEdited = !t.trimmed().isEmpty(); });
    connect(m_address, &QLineEdit::textChanged, this, [this](const QString &t) {
        if (!m_nameEdited)
            m_name->setText(t.trimmed());
        updateButtons();
    });
    connect(m_name, &QLineEdit::textChanged, this, &SharedMailboxDialog::updateButtons);
    setMinimumWidth(460);
    updateButtons();
}

QString SharedMailboxDialog::address() const
{
    return m_address->text().trimmed();
}

QString SharedMailboxDialog::name() const
{
    return m_name->text().trimmed();
}

void SharedMailboxDialog::showError(const QString &message)
{
    m_error->setText(message);
    m_error->show();
    QTimer::singleShot(0, this, [this] { growToFit(this); });
}

void SharedMailboxDialog::updateButtons()
{
    const QString a = address();
    m_add->setEnabled(a.indexOf(QLatin1Char('@')) > 0 && !a.endsWith(QLatin1Char('@')) && !name().isEmpty());
}

} // namespace Lookback::Ui
