"""The 培训管理 (training) menu: one group of the people, plan and record ViewSets."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSetGroup

from lms.viewsets.complaint_rules import ComplaintRuleViewSet
from lms.viewsets.exemptions import ExemptionViewSet
from lms.viewsets.outside import OutsideRecordViewSet
from lms.viewsets.plans import PlanItemViewSet, TrainingPlanViewSet
from lms.viewsets.records import CompletionRecordViewSet
from lms.viewsets.sessions import OfflineSessionViewSet
from lms.viewsets.staff import PositionViewSet, StaffProfileViewSet
from lms.viewsets.units import OrgUnitViewSet


class TrainingGroup(ModelViewSetGroup):
    items = (
        OrgUnitViewSet,
        PositionViewSet,
        StaffProfileViewSet,
        TrainingPlanViewSet,
        PlanItemViewSet,
        OfflineSessionViewSet,
        CompletionRecordViewSet,
        ExemptionViewSet,
        OutsideRecordViewSet,
        ComplaintRuleViewSet,
    )
    menu_label = _("Training")
    menu_icon = "group"
    menu_name = "training"
    menu_order = 261  # after 阅卷 and 导入员工名册 (260), before 团队进度 (262)
