"""Question files for the import tests: the sample rows under Chinese or English headers, as
.xlsx or .csv bytes, and what a question looks like after an import."""

import csv
import io

from openpyxl import Workbook

from quizzes.models import Question, QuestionCategory

ZH = ["题型", "分类", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "解析", "难度", "标签"]
EN = ["type", "category", "stem", "option_a", "option_b", "option_c", "option_d", "answer",
      "explanation", "difficulty", "tags"]  # fmt: skip
ROWS = [
    ["单选", "消保知识/投诉处理", "投诉应先做什么？", "推诿", "安抚", "挂断", "", "B", "先安抚",
     "3", "投诉，基础"],
    ["多选", "消保知识/适当性", "销售理财要做到？", "风险测评", "双录", "承诺保本", "", "ab", "",
     "", "理财;双录 销售"],
    ["判断", "消保知识/投诉处理", "可以泄露客户信息。", "", "", "", "", "错", "不可以", "1", ""],
    ["简答", "消保知识", "简述投诉流程。", "", "", "", "", "", "受理、调查、回复", "5", "流程"],
]  # fmt: skip
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(rows, header=ZH):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, header=ZH, encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def snapshot(question):
    question.refresh_from_db()
    return {
        "type": question.type,
        "category": question.category.full_name,
        "stem": question.stem,
        "choices": [(c.text, c.is_correct) for c in question.choices.order_by("sort_order", "pk")],
        "explanation": question.explanation,
        "difficulty": question.difficulty,
        "tags": sorted(t.name for t in question.tags.all()),
    }


def bank_snapshot():
    return {q.pk: snapshot(q) for q in Question.objects.all()}


def assert_sample_imported():
    single = Question.objects.get(stem="投诉应先做什么？")
    assert snapshot(single) == {
        "type": "single",
        "category": "消保知识/投诉处理",
        "stem": "投诉应先做什么？",
        "choices": [("推诿", False), ("安抚", True), ("挂断", False)],
        "explanation": "先安抚",
        "difficulty": 3,
        "tags": ["基础", "投诉"],
    }
    multiple = snapshot(Question.objects.get(stem="销售理财要做到？"))
    assert multiple["choices"] == [("风险测评", True), ("双录", True), ("承诺保本", False)]
    assert multiple["difficulty"] == 2  # blank → default
    assert multiple["tags"] == sorted(["理财", "双录", "销售"])
    truefalse = snapshot(Question.objects.get(stem="可以泄露客户信息。"))
    assert truefalse["choices"] == [("对", False), ("错", True)]
    essay = snapshot(Question.objects.get(stem="简述投诉流程。"))
    assert essay["type"] == "essay" and essay["choices"] == []
    assert set(QuestionCategory.objects.values_list("full_name", flat=True)) == {
        "消保知识",
        "消保知识/投诉处理",
        "消保知识/适当性",
    }
