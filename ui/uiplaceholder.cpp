// replaced by the real UI
