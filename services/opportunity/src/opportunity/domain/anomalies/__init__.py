"""Anomaly flags on the sales process (seed 000 "操作异常", seed 001): rules over
stored facts only — a flag names its evidence and never edits data.

- stuck: an open opportunity longer in its stage than the stage's `max_days`
  (pipeline data) or than the team's p90 of completed stays in that stage
  (only with at least `stuck_min_sample` completed stays);
- month_end: the share of a rep's activities recorded in the last
  `month_end_days` calendar days of a month (Asia/Shanghai) above the median
  + k·MAD of the rep's own shares of the previous `history_months` months,
  and at least `month_end_min_share` and `month_end_min_count` so small
  numbers don't flag;
- backdating: more than `backdate_min_count` activities of a month recorded
  more than `backdate_hours` after the time they claim to have happened;
- follow_up_moved: a customer's planned follow-up moved more than 3 times
  (`Customer.follow_up_flagged`);
- evidence_failures: at least `evidence_min_failures` visits of a rep failing
  their evidence checks within the last `evidence_window_days` days.

The month-end and backdating rules read the activities a rep typed: an
imported conversation's recording time and its lag behind its own time are
the import's (the repository leaves them out).

Each candidate carries a key naming its occasion: (tenant, key) is unique, so
a rerun of the scan never doubles a flag.

One module per flag kind (stuck, month_end, backdating, follow_up_moved,
evidence_failures); what they share in flags, settings, stats and months;
what the manager is told in manager.
"""
