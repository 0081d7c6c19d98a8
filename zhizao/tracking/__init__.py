"""Tracking (动态监测 and 督查督办): observations against plan targets, task reports against deadlines,
alerts, monthly bulletins (督查通报) and ledgers (台账)."""
