#include "logging.h"

Q_LOGGING_CATEGORY(lcArchive, "lookback.core.archive", QtWarningMsg)
Q_LOGGING_CATEGORY(lcImap, "lookback.core.imap", QtWarningMsg)
Q_LOGGING_CATEGORY(lcBackfill, "lookback.core.backfill", QtWarningMsg)
Q_LOGGING_CATEGORY(lcSecrets, "lookback.core.secrets", QtWarningMsg)
Q_LOGGING_CATEGORY(lcMime, "lookback.core.mime", QtWarningMsg)
