"""Demo question bank and quizzes: the bank from ``questions.py``, a final check on each demo
course, the annual knowledge test and an essay practice. Idempotent."""

from config.demo.questions import QUESTIONS
from quizzes.models import Choice, ClassificationCode, Question, Quiz, QuizDrawRule, QuizQuestion
from quizzes.services import category_by_path

ESSAY_CATEGORY = "案例简答"
LETTERS = "ABCDEF"
# A course's final check: mostly single choice, some multiple choice and true/false (the pool
# takes twice each quota).
MIX = [(Question.SINGLE, 6), (Question.MULTIPLE, 2), (Question.TRUE_FALSE, 2)]
ANNUAL_TEST = "2026年度消保知识测试"
ANNUAL_DRAWS = [
    ("消保知识", 4),
    ("投诉处理", 6),
    ("销售过程", 6),
    ("适老化服务", 2),
    ("反诈宣传", 1),
    ("典型案例", 1),
]


def _choices(data):
    if data["type"] == Question.TRUE_FALSE:
        return [
            Choice(text="对", is_correct=data["answer"] == "对"),
            Choice(text="错", is_correct=data["answer"] == "错"),
        ]
    return [
        Choice(text=text, is_correct=LETTERS[index] in data["answer"])
        for index, text in enumerate(data["choices"])
    ]


def demo_codes(keys):
    """The classification codes of ``keys`` (seeded by migration; a missing one is a data
    error of the demo, not something to skip)."""
    codes = list(ClassificationCode.objects.filter(code__in=keys))
    missing = set(keys) - {code.code for code in codes}
    if missing:
        raise ValueError(f"Unknown demo classification codes: {sorted(missing)}")
    return codes


def ensure_bank():
    """Every demo question, keyed by (category, stem); returns them in file order."""
    questions = []
    for data in QUESTIONS:
        path = ESSAY_CATEGORY if data["type"] == Question.ESSAY else data["category"]
        category = category_by_path(path, create=True)
        question = Question.objects.filter(category=category, stem=data["stem"]).first()
        if question is None:
            question = Question(
                type=data["type"],
                category=category,
                stem=data["stem"],
                explanation=data["explanation"],
                difficulty=data["difficulty"],
                partial_credit=data.get("partial_credit", False),
                status=Question.ACTIVE,
            )
            question.choices = _choices(data)
            question.classification_codes = demo_codes(data["codes"])
            question.save()
            question.tags.add(*data["tags"])
            question.save()
        elif data["codes"] and not question.classification_codes.exists():
            # A demo bank made before questions had codes: tag it once.
            question.classification_codes = demo_codes(data["codes"])
            question.save()
        question.demo_tags = set(data["tags"])
        questions.append(question)
    return questions


OLD_SUCCESS_TEXT = "恭喜通过！本课程已计入您的学习记录。"


def _quiz(title, **fields):
    quiz = Quiz.objects.filter(title=title).first()
    if quiz is not None:
        return quiz, False
    return Quiz(title=title, **fields), True


def course_quiz(course_title, topic_slugs, questions, count=10):
    """A final check on a course: a paper of ``count`` choice questions (fewer when the course's
    topics have fewer than twice that) drawn from a pool of twice as many sharing its topics, so
    a retake gets questions the learner has not seen. Correct answers show once the learner has
    passed or used every attempt."""
    matching = [q for q in questions if q.demo_tags & set(topic_slugs)]
    choice_questions = [q for q in matching if q.type != Question.ESSAY]
    count = min(count, len(choice_questions) // 2)
    quiz, created = _quiz(
        f"《{course_title}》结业测验",
        description="检验本课程要点：80 分及格，可作答 3 次，限时 15 分钟。",
        is_draft=False,
        shuffle_choices=True,
        pass_mark=80,
        max_attempts=3,
        time_limit_minutes=15,
        shuffle_questions=True,
        max_questions=count,
        review_policy=Quiz.REVIEW_WHEN_DONE,
        success_text="恭喜通过本课程的结业测验！",
        fail_text="未达到 80 分。请回看课程要点后再试。",
    )
    if not created and quiz.success_text == OLD_SUCCESS_TEXT:
        # Demo sites built before: the quiz said the course counted when it might not yet.
        quiz.success_text = "恭喜通过本课程的结业测验！"
        quiz.save(update_fields=["success_text"])
    if created:
        picked = []
        for kind, quota in MIX:
            picked += [q for q in matching if q.type == kind][: quota * 2]
        picked += [q for q in choice_questions if q not in picked]
        picked = picked[: count * 2]
        quiz.fixed_questions = [QuizQuestion(question=q) for q in picked]
        quiz.save()
    return quiz


def annual_test():
    quiz, created = _quiz(
        ANNUAL_TEST,
        description="每年一次的全员消保知识测试：从题库随机抽取 20 题，限时 30 分钟，仅可作答一次，80 分及格。",
        is_draft=False,
        listed=True,
        shuffle_questions=True,
        shuffle_choices=True,
        pass_mark=80,
        max_attempts=1,
        time_limit_minutes=30,
        review_policy=Quiz.REVIEW_AFTER_PASS,
        success_text="恭喜通过年度消保知识测试。",
        fail_text="未通过本次测试，请联系本机构消保专员安排补考。",
    )
    if created:
        quiz.draw_rules = [
            QuizDrawRule(category=category_by_path(path), count=count)
            for path, count in ANNUAL_DRAWS
        ]
        quiz.save()
    return quiz


def essay_practice(questions):
    quiz, created = _quiz(
        "案例简答练习",
        description="结合典型案例作答，由培训讲师批改后给出评语。",
        is_draft=False,
        listed=True,
        pass_mark=60,
        max_attempts=0,
        review_policy=Quiz.REVIEW_ALWAYS,
    )
    if created:
        essays = [q for q in questions if q.type == Question.ESSAY][:3]
        quiz.fixed_questions = [QuizQuestion(question=q) for q in essays]
        quiz.save()
    return quiz
