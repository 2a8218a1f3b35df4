#include "archive/messageview.h"

#include "archive/browserformat.h"
#include "archive/safetextbrowser.h"
#include "message/htmlsanitizer.h"

#include <QDesktopServices>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMimeDatabase>
#include <QPushButton>
#include <QRegularExpression>
#include <QStackedWidget>
#include <QStyle>
#include <QToolTip>
#include <QTreeWidget>
#include <QUrlQuery>
#include <QVBoxLayout>

namespace Lookback::Ui {

namespace {

const char kAddressScheme[] = "lookback-address";

QLabel *caption(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setForegroundRole(QPalette::PlaceholderText);
    label->setAlignment(Qt::AlignRight | Qt::AlignTop);
    return label;
}

QLabel *value(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextFormat(Qt::RichText);
    label->setTextInteractionFlags(Qt::TextBrowserInteraction);
    label->setOpenExternalLinks(false);
    label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    return label;
}

// Plain text as HTML: escaped, white space kept, web addresses clickable.
QString plainTextHtml(const QString &text)
{
    static const QRegularExpression url(QStringLiteral("\\bhttps?://[^\\s<>\"]+"),
                                        QRegularExpression::CaseInsensitiveOption);
    QString html = QStringLiteral("<div style=\"white-space: pre-wrap\">");
    qsizetype last = 0;
    auto it = url.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        QString link = m.captured(0);
        // "see https://x.org/a." : the full stop ends the sentence, not the address.
        while (!link.isEmpty() && QStringLiteral(".,;:!?)]'").contains(link.back()))
            link.chop(1);
        html += text.mid(last, m.capturedStart() - last).toHtmlEscaped();
        const QString escaped = link.toHtmlEscaped();
        html += QStringLiteral("<a href=\"%1\">%1</a>").arg(escaped);
        last = m.capturedStart() + link.size();
    }
    html += text.mid(last).toHtmlEscaped();
    html += QLatin1String("</div>");
    return html;
}

bool isGmail(ProviderKind kind)
{
    return kind == ProviderKind::Gmail;
}

bool isMicrosoft(ProviderKind kind)
{
    return kind == ProviderKind::Microsoft;
}

} // namespace

MessageView::MessageView(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_stack);

    auto *placeholder = new QLabel(tr("Select a message to read it."), m_stack);
    placeholder->setObjectName(QStringLiteral("messagePlaceholder"));
    placeholder->setAlignment(Qt::AlignCenter);
    placeholder->setForegroundRole(QPalette::PlaceholderText);
    placeholder->setWordWrap(true);
    m_stack->addWidget(placeholder);

    auto *page = new QWidget(m_stack);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    m_stack->addWidget(page);

    // Header block
    auto *header = new QWidget(page);
    auto *grid = new QGridLayout(header);
    grid->setContentsMargins(8, 8, 8, 4);
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(2);
    m_subject = value(QStringLiteral("subjectLabel"), header);
    m_subject->setTextFormat(Qt::PlainText);
    QFont subjectFont = m_subject->font();
    subjectFont.setBold(true);
    subjectFont.setPointSizeF(subjectFont.pointSizeF() * 1.2);
    m_subject->setFont(subjectFont);
    grid->addWidget(m_subject, 0, 0, 1, 2);
    m_fromCaption = caption(tr("From:"), header);
    m_from = value(QStringLiteral("fromLabel"), header);
    m_toCaption = caption(tr("To:"), header);
    m_to = value(QStringLiteral("toLabel"), header);
    m_ccCaption = caption(tr("Cc:"), header);
    m_cc = value(QStringLiteral("ccLabel"), header);
    m_dateCaption = caption(tr("Date:"), header);
    m_date = value(QStringLiteral("dateLabel"), header);
    m_date->setTextFormat(Qt::PlainText);
    int row = 1;
    for (auto [cap, val] : {std::pair{m_fromCaption, m_from}, {m_toCaption, m_to}, {m_ccCaption, m_cc},
                            {m_dateCaption, m_date}}) {
        grid->addWidget(cap, row, 0);
        grid->addWidget(val, row, 1);
        ++row;
    }
    grid->setColumnStretch(1, 1);
    const QString addressTip = tr("Click an address to see every message exchanged with it.");
    for (QLabel *label : {m_from, m_to, m_cc}) {
        label->setToolTip(addressTip);
        connect(label, &QLabel::linkActivated, this, [this](const QString &link) {
            const QUrl url(link);
            if (url.scheme() == QLatin1String(kAddressScheme))
                emit correspondentRequested(url.path());
        });
    }
    layout->addWidget(header);

    // "Remote images were not loaded"
    auto *note = new QFrame(page);
    note->setObjectName(QStringLiteral("remoteContentNote"));
    note->setFrameShape(QFrame::StyledPanel);
    note->setBackgroundRole(QPalette::AlternateBase);
    note->setAutoFillBackground(true);
    auto *noteLayout = new QHBoxLayout(note);
    noteLayout->setContentsMargins(8, 4, 8, 4);
    auto *noteIcon = new QLabel(note);
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    noteIcon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxInformation).pixmap(iconSize, iconSize));
    auto *noteText = new QLabel(tr("Remote images were not loaded, so the sender cannot tell that you "
                                   "opened this message."), note);
    noteText->setWordWrap(true);
    noteText->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    noteLayout->addWidget(noteIcon, 0, Qt::AlignTop);
    noteLayout->addWidget(noteText, 1);
    m_remoteNote = note;
    m_remoteNote->hide();
    layout->addWidget(m_remoteNote);

    // Body
    m_body = new SafeTextBrowser(page);
    m_body->setObjectName(QStringLiteral("messageBody"));
    m_body->setFrameShape(QFrame::NoFrame);
    connect(m_body, &QTextBrowser::anchorClicked, this, &MessageView::openLink);
    connect(m_body, QOverload<const QUrl &>::of(&QTextBrowser::highlighted), this, [this](const QUrl &url) {
        // Where a link really goes, before the click.
        if (url.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(QCursor::pos(), url.toDisplayString(), m_body);
    });
    layout->addWidget(m_body, 1);

    // Attachments
    m_attachmentBox = new QWidget(page);
    m_attachmentBox->setObjectName(QStringLiteral("attachmentBox"));
    auto *attachmentLayout = new QVBoxLayout(m_attachmentBox);
    attachmentLayout->setContentsMargins(8, 4, 8, 8);
    m_attachmentTitle = new QLabel(m_attachmentBox);
    QFont titleFont = m_attachmentTitle->font();
    titleFont.setBold(true);
    m_attachmentTitle->setFont(titleFont);
    attachmentLayout->addWidget(m_attachmentTitle);
    m_attachments = new QTreeWidget(m_attachmentBox);
    m_attachments->setObjectName(QStringLiteral("attachmentList"));
    m_attachments->setHeaderLabels({tr("Name"), tr("Size"), tr("Type")});
    m_attachments->setRootIsDecorated(false);
    m_attachments->setUniformRowHeights(true);
    m_attachments->setSelectionMode(QAbstractItemView::NoSelection);
    m_attachments->setFocusPolicy(Qt::NoFocus);
    m_attachments->header()->setStretchLastSection(false);
    m_attachments->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_attachments->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_attachments->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    attachmentLayout->addWidget(m_attachments);
    auto *bottom = new QHBoxLayout;
    m_attachmentNote = new QLabel(m_attachmentBox);
    m_attachmentNote->setObjectName(QStringLiteral("attachmentNote"));
    m_attachmentNote->setWordWrap(true);
    m_attachmentNote->setForegroundRole(QPalette::PlaceholderText);
    m_attachmentNote->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_openAtProvider = new QPushButton(tr("Open at the provider"), m_attachmentBox);
    m_openAtProvider->setObjectName(QStringLiteral("openAtProviderButton"));
    connect(m_openAtProvider, &QPushButton::clicked, this, [this] {
        if (m_providerUrl.isValid())
            QDesktopServices::openUrl(m_providerUrl);
    });
    bottom->addWidget(m_attachmentNote, 1);
    bottom->addWidget(m_openAtProvider, 0, Qt::AlignTop);
    attachmentLayout->addLayout(bottom);
    layout->addWidget(m_attachmentBox);
    m_attachmentBox->hide();

    clear();
}

void MessageView::clear()
{
    m_message = MessageRecord();
    m_connection = ConnectionRecord();
    m_providerUrl = QUrl();
    m_body->clear();
    m_body->clearBlockedResources();
    m_stack->setCurrentIndex(0);
}

void MessageView::showMessage(const MessageRecord &message, const ConnectionRecord &connection)
{
    m_message = message;
    m_connection = connection;
    m_providerUrl = providerUrl(message, connection);
    render();
    m_stack->setCurrentIndex(1);
}

QString MessageView::addressLinks(const QString &formatted) const
{
    QStringList parts;
    for (const DisplayAddress &a : parseAddressList(formatted)) {
        if (a.email.isEmpty()) {
            parts << a.name.toHtmlEscaped();
            continue;
        }
        QUrl href;
        href.setScheme(QLatin1String(kAddressScheme));
        href.setPath(a.email);
        const QString link = QStringLiteral("<a href=\"%1\">%2</a>")
                                 .arg(href.toString(QUrl::FullyEncoded).toHtmlEscaped(), a.email.toHtmlEscaped());
        parts << (a.name.isEmpty() ? link : tr("%1 &lt;%2&gt;").arg(a.name.toHtmlEscaped(), link));
    }
    return parts.join(QLatin1String(", "));
}

void MessageView::render()
{
    const MessageRecord &m = m_message;
    m_subject->setText(m.subject.trimmed().isEmpty() ? tr("(no subject)") : m.subject);

    QString from = m.fromAddress;
    if (!m.fromName.isEmpty() && m.fromName.compare(m.fromAddress, Qt::CaseInsensitive) != 0) {
        // Rebuilt the way the archive formats addresses, so one parser reads both.
        QString name = m.fromName;
        name.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('"'), QLatin1String("\\\""));
        from = QStringLiteral("\"%1\" <%2>").arg(name, m.fromAddress);
    }
    // clear() first: QLabel ignores setText() with the text it already has,
    // and would keep link colours laid out for the previous palette.
    for (auto [label, text] : {std::pair{m_from, from}, {m_to, m.toText}, {m_cc, m.ccText}}) {
        label->clear();
        label->setText(addressLinks(text));
    }
    const bool hasCc = !m.ccText.trimmed().isEmpty();
    m_ccCaption->setVisible(hasCc);
    m_cc->setVisible(hasCc);
    const bool hasTo = !m.toText.trimmed().isEmpty();
    m_toCaption->setVisible(hasTo);
    m_to->setVisible(hasTo);
    m_date->setText(longDate(m.sentAt.isValid() ? m.sentAt : m.receivedAt));
    m_date->setToolTip(m.sentAt.isValid() && m.receivedAt.isValid()
                           ? tr("Received %1").arg(longDate(m.receivedAt))
                           : QString());
    showBody();
    showAttachments();
}

void MessageView::showBody()
{
    m_body->clearBlockedResources();
    // An explicit palette is only set for author-coloured HTML (below);
    // everything else follows the application's palette.
    m_body->setPalette(QPalette());
    if (!m_message.bodyHtml.trimmed().isEmpty()) {
        const SanitizedHtml clean = sanitizeHtml(m_message.bodyHtml);
        const bool darkPalette = palette().color(QPalette::Base).lightness() < 128;
        if (clean.setsColours && darkPalette) {
            // HTML that picks its own colours was written for a light page:
            // on a dark one its dark text would vanish. Show it on the
            // style's standard (light) palette instead, as a page of paper.
            m_body->setPalette(style()->standardPalette());
        }
        m_body->setHtml(clean.html);
        m_remoteNote->setVisible(clean.remoteContent);
    } else {
        m_body->setHtml(plainTextHtml(m_message.bodyText));
        m_remoteNote->hide();
    }
}

void MessageView::showAttachments()
{
    const QVector<AttachmentRecord> &list = m_message.attachments;
    m_attachments->clear();
    m_attachmentBox->setVisible(!list.isEmpty());
    if (list.isEmpty())
        return;
    m_attachmentTitle->setText(tr("Attachments (%Ln)", nullptr, int(list.size())));
    const QLocale locale;
    const QMimeDatabase mimeDb;
    const QIcon fallback = style()->standardIcon(QStyle::SP_FileIcon);
    for (const AttachmentRecord &a : list) {
        auto *item = new QTreeWidgetItem(m_attachments);
        item->setText(0, a.fileName.isEmpty() ? tr("(unnamed)") : a.fileName);
        item->setText(1, a.size > 0 ? locale.formattedDataSize(a.size) : tr("unknown"));
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
        item->setText(2, a.mimeType);
        const QMimeType type = mimeDb.mimeTypeForName(a.mimeType);
        item->setIcon(0, type.isValid() ? QIcon::fromTheme(type.iconName(), QIcon::fromTheme(type.genericIconName(), fallback))
                                        : fallback);
        item->setToolTip(0, a.fileName);
    }
    // As tall as its rows, up to five; then it scrolls.
    const int rows = int(qMin<qsizetype>(list.size(), 5));
    const int rowHeight = m_attachments->sizeHintForRow(0) > 0 ? m_attachments->sizeHintForRow(0)
                                                                : fontMetrics().height() + 6;
    m_attachments->setFixedHeight(m_attachments->header()->sizeHint().height() + rows * rowHeight
                                  + 2 * m_attachments->frameWidth() + 2);

    const bool hasWebCopy = m_providerUrl.isValid();
    m_openAtProvider->setEnabled(hasWebCopy);
    if (hasWebCopy) {
        m_attachmentNote->setText(tr("Lookback keeps only these details; the files themselves stay at "
                                     "your provider."));
        m_openAtProvider->setToolTip(tr("Open this message in your web browser, where its attachments can "
                                        "be downloaded."));
    } else {
        m_attachmentNote->setText(tr("Lookback keeps only these details; the files themselves stay on "
                                     "your mail server. Open the message in your usual mail program to get "
                                     "them."));
        m_openAtProvider->setToolTip(tr("Not available for IMAP: a generic IMAP server has no web address "
                                        "for a single message."));
    }
}

void MessageView::openLink(const QUrl &url)
{
    // Only on the user's click, and only for web and mail addresses: never
    // file:, data:, javascript: or a custom scheme a message made up.
    const QString scheme = url.scheme().toLower();
    if (scheme.isEmpty() && url.hasFragment()) {
        m_body->scrollToAnchor(url.fragment());
        return;
    }
    if (scheme == QLatin1String("http") || scheme == QLatin1String("https") || scheme == QLatin1String("mailto"))
        QDesktopServices::openUrl(url);
}

QUrl MessageView::providerUrl(const MessageRecord &message, const ConnectionRecord &connection)
{
    if (message.providerId.isEmpty())
        return QUrl();
    if (isGmail(connection.kind)) {
        // Gmail's web client opens a message by its API id (hex) under #all.
        QUrl url(QStringLiteral("https://mail.google.com/mail/"));
        if (!connection.username.isEmpty()) {
            QUrlQuery query;
            query.addQueryItem(QStringLiteral("authuser"), connection.username);
            url.setQuery(query);
        }
        url.setFragment(QStringLiteral("all/") + message.providerId);
        return url;
    }
    if (isMicrosoft(connection.kind)) {
        // Outlook on the web, as in Graph's message.webLink. Ids hold + / =,
        // so they are percent-encoded by hand.
        QUrl url(QStringLiteral("https://outlook.office365.com/owa/"));
        url.setQuery(QStringLiteral("ItemID=%1&exvsurl=1&viewmodel=ReadMessageItem")
                         .arg(QString::fromLatin1(QUrl::toPercentEncoding(message.providerId))),
                     QUrl::StrictMode);
        return url;
    }
    return QUrl(); // IMAP: no web address for one message
}

void MessageView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if ((event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        && m_stack->currentIndex() == 1)
        render(); // link colours, and the light-page decision, depend on the palette
}

} // namespace Lookback::Ui
