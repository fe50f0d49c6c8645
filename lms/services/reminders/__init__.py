"""Reminders: ``daily`` decides who is reminded of what today, ``delivery`` stores and sends
(in-app, then through ``channels``: email, 企业微信), ``digest`` is the officers' weekly summary,
``manual`` a manager's one-tap chase, ``messages`` the texts, ``notifications`` the learner's
inbox."""
