"""What a learner does outside courses and quizzes, and what they see: ``home`` (我的学习: what is
due, done and earned), ``attestations`` (read and confirm), ``offline`` (sessions and QR
check-in) and ``attendance`` (a session's paper sign-in sheet)."""
