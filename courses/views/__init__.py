"""Views of the courses app. The learner pages are Wagtail pages (``courses.models``); what is
here serves the rest, e.g. the permission check on document downloads."""
