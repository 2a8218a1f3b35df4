// What every source copies from a message's header block into its record.
#pragma once

#include "archive/records.h"
#include "message/headers.h"

namespace Lookback {

// Message-ID, subject, first sender, To, Cc, Date:, In-Reply-To and
// References from parsed headers (Mime::parseHeaders) into `rec`; the rest of
// the record (ids, dates the provider gives, size, parts) is the source's.
void fillHeaderFields(MessageRecord *rec, const Mime::HeaderInfo &h);

} // namespace Lookback
