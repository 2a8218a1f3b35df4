#include "logging.h"

Q_LOGGING_CATEGORY(lcArchive, "lookback.core.archive", QtWarningMsg)
Q_LOGGING_CATEGORY(lcImap, "lookback.core.imap", QtWarningMsg)
Q_LOGGING_CATEGORY(lcSync, "lookback.core.sync", QtWarningMsg)
Q_LOGGING_CATEGORY(lcSecrets, "lookback.core.secrets", QtWarningMsg)
Q_LOGGING_CATEGORY(lcMime, "lookback.core.mime", QtWarningMsg)
