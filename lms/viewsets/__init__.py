"""The admin areas of lms, each a Wagtail ViewSet (or group) that owns its URLs, menu item and
permission checks, registered by ``lms.wagtail_hooks``: the training menu (units, staff and
positions, plans and items, offline sessions, completion records), the plan actions, the roster
import, the training reports with the evidence export, and team progress."""
