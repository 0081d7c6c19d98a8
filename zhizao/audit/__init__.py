"""The audit log: every change to data, who made it and when."""
