#include "recordheaders.h"

namespace Lookback {

void fillHeaderFields(MessageRecord *rec, const Mime::HeaderInfo &h)
{
    rec->messageId = h.messageId;
    rec->subject = h.subject;
    if (!h.from.isEmpty()) {
        rec->fromName = h.from.first().name;
        rec->fromAddress = h.from.first().email;
    }
    rec->toText = Mime::formatAddressList(h.to);
    rec->ccText = Mime::formatAddressList(h.cc);
    rec->sentAt = h.date;
    rec->inReplyTo = h.inReplyTo;
    rec->references = h.references;
}

} // namespace Lookback
