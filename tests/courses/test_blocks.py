"""Every lesson block renders, and the video block refuses an ambiguous value."""

import re

import pytest
from django.core.files.base import ContentFile
from wagtail.blocks import StructBlockValidationError
from wagtail.documents import get_document_model
from wagtail.rich_text import RichText

from courses.blocks import VideoBlock
from tests.factories import make_image, make_lesson


def make_document(title, name, data=b"%PDF-1.4\n"):
    document = get_document_model()(title=title)
    document.file.save(name, ContentFile(data), save=True)
    return document


@pytest.mark.django_db
def test_every_block_renders(learner_client, course):
    image = make_image("双录专区示意图")
    video = make_document("双录流程演示", "demo.mp4", b"\x00\x00\x00\x18ftypmp42")
    pdf = make_document("适当性评估表", "form.pdf")
    body = [
        ("heading", "三个维度"),
        ("paragraph", RichText("<p>投诉按<b>渠道</b>分类。</p>")),
        ("image", {"image": image, "alt_text": "销售专区", "caption": "专区布局"}),
        ("video", {"file": video, "embed": None, "caption": "演示视频"}),
        (
            "case_study",
            {
                "title": "存单变保单",
                "background": "客户来存款",
                "process": "被推荐保险",
                "analysis": "混淆产品",
                "lessons": "讲清产品性质",
            },
        ),
        ("key_points", ["不得承诺保本", "不得强制搭售"]),
        (
            "regulation",
            {
                "title": "《实施办法》",
                "article": "第十五条",
                "text": "不得强制搭售",
                "source": "令〔2020〕第5号",
            },
        ),
        ("callout", {"kind": "warning", "text": "客户不同意录音录像的，不得销售"}),
        ("document", {"document": pdf, "label": "下载评估表"}),
    ]
    lesson = make_lesson(course, "全部版块", "all-blocks", body=body)
    html = learner_client.get(lesson.url).content.decode()

    assert '<h2 class="b-heading">三个维度</h2>' in html
    assert "投诉按<b>渠道</b>分类。" in html
    img = re.search(r"<img[^>]*srcset=\"[^\"]+\"[^>]*>", html).group(0)
    assert ".webp 360w" in img and ".webp 720w" in img
    assert 'loading="lazy"' in img and 'alt="销售专区"' in img and "sizes=" in img
    assert "<figcaption>专区布局</figcaption>" in html
    assert f'<video controls preload="none" playsinline src="{video.url}"' in html
    for part in ("存单变保单", "客户来存款", "被推荐保险", "混淆产品", "讲清产品性质"):
        assert part in html
    assert "<li>不得承诺保本</li><li>不得强制搭售</li>" in html
    assert '<blockquote class="b-reg">' in html and "第十五条" in html
    assert 'class="b-callout b-callout-warning"' in html
    assert f'<a href="{pdf.url}" download>下载评估表</a>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("with_file,with_embed", [(False, False), (True, True)])
def test_video_needs_exactly_one_source(with_file, with_embed):
    block = VideoBlock()
    value = block.to_python(
        {
            "file": make_document("v", "v.mp4").pk if with_file else None,
            "embed": "https://v.example.invalid/1" if with_embed else "",
            "caption": "",
        }
    )
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert "file" in error.value.block_errors


@pytest.mark.django_db
def test_video_file_must_be_mp4():
    block = VideoBlock()
    value = block.to_python({"file": make_document("v", "v.pdf").pk, "embed": "", "caption": ""})
    with pytest.raises(StructBlockValidationError):
        block.clean(value)
