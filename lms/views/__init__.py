"""The learner's and the managers' own pages (thin: they call ``lms.services``): accounts (the
reference site's login), lockout (its answer to a locked-out number, for django-axes), learner
(我的学习, notifications, attestations, offline check-in), certificates, transcripts, team
(团队进度 on the phone) and the SVG charts they draw."""
