"""StreamField blocks of a micro-lesson (LessonPage.body)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("Heading")
        template = "courses/blocks/heading.html"
        form_classname = "title"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=pgettext_lazy("lesson block", "Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=200,
        required=False,
        help_text=_("Describe the image for screen readers; leave empty to use the image title."),
    )
    caption = blocks.CharBlock(label=_("Caption"), max_length=200, required=False)

    class Meta:
        icon = "image"
        label = pgettext_lazy("lesson block", "Image")
        template = "courses/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    """A video either uploaded as an MP4 document or embedded from a video platform."""

    file = DocumentChooserBlock(
        label=_("Video file (MP4)"),
        required=False,
        help_text=_("Upload an MP4 file to the documents library, or give an embed URL below."),
    )
    embed = EmbedBlock(label=_("Embed URL"), required=False)
    caption = blocks.CharBlock(label=_("Caption"), max_length=200, required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"

    def clean(self, value):
        # Checked before the embed URL is resolved, which would fetch it from the provider.
        has_file, has_embed = bool(value.get("file")), bool(value.get("embed"))
        if has_file == has_embed:
            message = _("Choose either an MP4 file or an embed URL, not both and not neither.")
            raise StructBlockValidationError(block_errors={"file": ValidationError(message)})
        value = super().clean(value)
        if has_file and not value["file"].file.name.lower().endswith(".mp4"):
            raise StructBlockValidationError(
                block_errors={"file": ValidationError(_("The video file must be an MP4 file."))}
            )
        return value


class CaseStudyBlock(blocks.StructBlock):
    """A typical case told in the four parts trainers use: 背景 / 经过 / 分析 / 启示."""

    title = blocks.CharBlock(label=_("Case title"), max_length=120)
    background = blocks.TextBlock(label=_("Background"))
    process = blocks.TextBlock(label=_("What happened"))
    analysis = blocks.TextBlock(label=_("Analysis"))
    lessons = blocks.TextBlock(label=_("Lessons learned"))

    class Meta:
        icon = "doc-full"
        label = _("Case study")
        template = "courses/blocks/case_study.html"


class KeyPointsBlock(blocks.ListBlock):
    def __init__(self, **kwargs):
        super().__init__(blocks.CharBlock(label=_("Key point"), max_length=300), **kwargs)

    class Meta:
        icon = "list-ul"
        label = _("Key points")
        template = "courses/blocks/key_points.html"
        min_num = 1


class RegulationBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Regulation"), max_length=200)
    article = blocks.CharBlock(label=_("Article or chapter"), max_length=100, required=False)
    text = blocks.TextBlock(label=_("What it says"))
    source = blocks.CharBlock(label=_("Document number"), max_length=100, required=False)

    class Meta:
        icon = "openquote"
        label = _("Regulation citation")
        template = "courses/blocks/regulation.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[("info", _("Note")), ("tip", _("Tip")), ("warning", _("Warning"))],
        default="info",
    )
    text = blocks.TextBlock(label=pgettext_lazy("lesson block", "Text"))

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "courses/blocks/callout.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=pgettext_lazy("lesson block", "Document"))
    label = blocks.CharBlock(
        label=_("Link text"), max_length=120, required=False, help_text=_("Defaults to the title.")
    )

    class Meta:
        icon = "doc-full-inverse"
        label = _("Downloadable document")
        template = "courses/blocks/document.html"


class LessonStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Rich text"),
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        template="courses/blocks/paragraph.html",
    )
    image = ImageBlock()
    video = VideoBlock()
    case_study = CaseStudyBlock()
    key_points = KeyPointsBlock()
    regulation = RegulationBlock()
    callout = CalloutBlock()
    document = DocumentBlock()
