"""Enterprise service: 服务专员 and 帮包, 走访 and coverage, 诉求 with working-day limits and escalation."""
