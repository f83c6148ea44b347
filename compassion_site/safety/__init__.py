"""The crisis furniture: helplines, the banner and the disclaimer, and the help card that crisis searches show."""
