#include "archive/synclogdialog.h"

#include "archive/archivestore.h"
#include "archive/rowdelegate.h"
#include "archive/syncrunmodel.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace Lookback::Ui {

SyncLogDialog::SyncLogDialog(const QString &archivePath, qint64 connectionId, const QString &connectionName,
                             QWidget *parent)
    : QDialog(parent)
    , m_store(std::make_unique<ArchiveStore>(archivePath))
    , m_connectionId(connectionId)
    , m_model(new SyncRunModel(this))
    , m_table(new QTableView(this))
    , m_status(new QLabel(this))
{
    setWindowTitle(tr("Sync log — %1").arg(connectionName));
    auto *layout = new QVBoxLayout(this);

    m_table->setObjectName(QStringLiteral("syncRunTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setItemDelegate(new RowDelegate(m_table));
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(m_table, 1);

    m_status->setObjectName(QStringLiteral("syncLogStatus"));
    m_status->setForegroundRole(QPalette::PlaceholderText);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *refreshButton = buttons->addButton(tr("Refresh"), QDialogButtonBox::ActionRole);
    connect(refreshButton, &QPushButton::clicked, this, &SyncLogDialog::refresh);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    resize(860, 420);
    SyncError error;
    if (!m_store->open(&error)) {
        m_openError = error.message;
        m_store.reset();
    }
    refresh();
}

SyncLogDialog::~SyncLogDialog() = default;

void SyncLogDialog::refresh()
{
    if (!m_store) {
        m_model->setRuns({});
        m_status->setText(tr("The sync log cannot be read: %1").arg(m_openError));
        return;
    }
    const QVector<SyncRunRecord> runs = m_store->runs(m_connectionId);
    m_model->setRuns(runs);
    if (runs.isEmpty())
        m_status->setText(tr("No syncs yet."));
    else
        m_status->setText(tr("%Ln run(s), newest first.", nullptr, int(runs.size())));
}

} // namespace Lookback::Ui
