#pragma once

#include <QByteArray>
#include <QPair>
#include <QString>
#include <QVector>

// Parameters of Content-Type and Content-Disposition (RFC 2045, RFC 2231) and the
// attachment file names they carry. Thread-safe free functions for hostile input,
// like all of core/message (see charset.h for the charset policy).
namespace Lookback::Mime {

// The parameters of a Content-Type or Content-Disposition header value, after
// its leading "type/subtype" or disposition token: names lower-cased, values
// unquoted but otherwise raw (ready for attachmentFileName).
QVector<QPair<QByteArray, QByteArray>> parseHeaderParameters(const QByteArray &headerValue);

// The display filename of an attachment from Content-Disposition and
// Content-Type parameters as BODYSTRUCTURE reports them (names case-insensitive,
// values raw). The disposition's filename wins over the type's name; within each,
// the RFC 2231 form (filename*=utf-8''..., continuations filename*0*, filename*1
// ...) wins over the plain one; plain values may hold RFC 2047 encoded-words or
// raw 8-bit text. Directory parts ("C:\dir\x.txt", "../x") and control characters
// are removed, since the name is shown and may later be used to save the file.
// Empty if there is no name.
QString attachmentFileName(const QVector<QPair<QByteArray, QByteArray>> &dispositionParams,
                           const QVector<QPair<QByteArray, QByteArray>> &typeParams);

// The file name an attached message (message/rfc822) without a file name of its
// own is listed under: its decoded subject, with '/' and '\' turned into '-' and
// made safe like attachmentFileName(), plus ".eml". Empty if the subject is.
QString attachedMessageFileName(const QString &decodedSubject);

} // namespace Lookback::Mime
