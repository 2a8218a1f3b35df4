#pragma once

#include <QString>

namespace Lookback {

// The names under which both programs keep their archive and settings, so
// the desktop program and lookback-cli see the same connections.
void applyApplicationIdentity();

} // namespace Lookback
