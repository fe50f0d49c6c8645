"""Demo classification drill (投诉分类练习): invented complaint cases, each keyed on the three
dimensions of JR/T 0169-2018 with the seeded codes (``quizzes.classification_seed``). No real
persons or personal data: every case is made up from the kinds of complaint the domain facts
describe. Idempotent (questions keyed by category and text, the quiz by title)."""

from quizzes.models import ClassificationCode, Question, Quiz, QuizQuestion
from quizzes.services import category_by_path

DRILL_TITLE = "投诉分类练习"
DRILL_CATEGORY = "投诉分类练习"
DRILL_POINTS = 3  # one point per dimension
DRILL_PAPER = 10  # cases per attempt, drawn from all of them

#: (case, channel A, business B, reason C, explanation)
CASES = [
    (
        "客户到网点支取一笔定期存款，柜员办理时多次催促客户“快点签字”，并对客户的提问不予理睬。"
        "客户当场要求投诉该柜员。",
        "A.1.1",
        "B.1",
        "C.1",
        "在营业现场办理的储蓄业务；客户不满的是柜员的服务态度。",
    ),
    (
        "客户在本行一台自助取款机取款后不久，借记卡在卡未离身的情况下于异地被连续取现。"
        "经排查，该自助机具曾被不法分子加装侧录装置。",
        "A.1.2",
        "B.3.3",
        "C.10",
        "业务发生在自助机具；借记卡被盗刷；原因是消费者资金安全受到侵害。",
    ),
    (
        "理财经理在网点向一位老年客户推介本行自营理财产品时，口头称“这款和存款一样保本，"
        "收益还更高”。产品到期出现亏损，客户投诉被误导。",
        "A.1.1",
        "B.5",
        "C.4",
        "明示或暗示保本、无风险属于营销宣传禁止行为，原因归入营销方式和手段。",
    ),
    (
        "客户通过手机银行购买了一款本行自营理财产品，到期实际收益明显低于其预期，"
        "客户认为银行应补足差额。",
        "A.1.3.3",
        "B.5",
        "C.8",
        "渠道是移动客户端；客户不满的是产品的实际收益，归入产品收益。",
    ),
    (
        "客户在网点申请个人住房贷款，客户经理告知必须同时购买本行指定的一款保险产品，"
        "否则不予放款。客户认为这是强制搭售。",
        "A.1.1",
        "B.2",
        "C.6",
        "强制搭售剥夺了客户选择的权利，原因归入自主选择权；业务类别是贷款。",
    ),
    (
        "客户提前归还个人消费贷款时被收取一笔违约金。客户称签约时没有人向其说明合同中的"
        "提前还款条款，认为条款不公平。",
        "A.1.1",
        "B.2",
        "C.9",
        "争议在贷款合同的提前还款条款，归入合同条款。",
    ),
    (
        "客户的个人贷款逾期后，催收人员多次在夜间给客户的亲友打电话，告知其欠款情况，"
        "客户投诉催收方式不当。",
        "A.2",
        "B.13",
        "C.12",
        "催收由中、后台开展；业务类别是债务催收；原因是债务催收方式和手段。",
    ),
    (
        "客户通过网上银行向他行账户转账，页面反复提示“系统繁忙”，账户已被扣款但收款方迟迟未到账。",
        "A.1.3.1",
        "B.4.2",
        "C.2",
        "渠道是网上银行；跨行转账属资金汇划；问题出在业务系统。",
    ),
    (
        "客户查看账户明细时发现，多年来每年都被扣收一笔小额账户管理费，客户称开户时从未"
        "被告知会收取该费用。",
        "A.2",
        "B.4.1",
        "C.7",
        "费用由后台按年扣收；业务是账户管理；客户不满的是收费，归入定价收费。",
    ),
    (
        "客户的借记卡丢失，拨打本行客服电话要求挂失，排队等候二十多分钟仍无人接听，"
        "客户非常着急，随后投诉。",
        "A.1.3.2",
        "B.3.1",
        "C.1",
        "渠道是电话银行；挂失属借记卡使用；原因是服务质量。",
    ),
    (
        "客户在本行微信公众号参加“绑定借记卡送礼品”活动并达到条件，却被告知礼品已发完。"
        "活动页面并未写明礼品数量有限。",
        "A.1.3.4",
        "B.3.2",
        "C.5",
        "渠道是网络公众平台；借记卡市场活动；活动规则未充分告知，归入信息披露。",
    ),
    (
        "客户在某第三方支付平台绑定了本行借记卡，某日收到一笔本人未操作的快捷支付扣款"
        "短信，要求银行协助追回资金。",
        "A.1.4",
        "B.4.5",
        "C.10",
        "交易经由第三方渠道，属非银行支付机构网络支付；原因是资金安全。",
    ),
    (
        "客户接到一个陌生机构的推销电话，对方能准确说出客户在本行的贷款金额和还款日，"
        "客户怀疑本行泄露了其个人信息。",
        "A.2",
        "B.12",
        "C.11",
        "信息由中、后台保管；业务类别是个人金融信息；原因是消费者信息安全。",
    ),
    (
        "客户到网点兑换一张严重残缺的人民币纸币，被告知需按规定送鉴定、等待较长时间，"
        "客户认为兑换规定和流程过于繁琐。",
        "A.1.1",
        "B.11",
        "C.3",
        "残损币兑换属人民币管理；客户不满的是规定和流程本身。",
    ),
    (
        "客户在网点用人民币兑换外币现钞，事后发现实际使用的汇率与他行相比差距较大，"
        "认为银行收费过高。",
        "A.1.1",
        "B.8",
        "C.7",
        "外币兑换属外汇业务；不满的是价格，归入定价收费。",
    ),
    (
        "客户通过手机银行购买了一款实物贵金属产品，准备卖回时才知道要收取较高的回购手续费，"
        "而产品页面上没有说明。",
        "A.1.3.3",
        "B.9",
        "C.5",
        "渠道是移动客户端；业务是贵金属；费用未事先披露，归入信息披露。",
    ),
    (
        "客户在网点办理业务时，工作人员向其推荐一款代销的保险产品，并称“这就是一种存款，"
        "随时可以取”。客户后来发现退保有损失。",
        "A.1.1",
        "B.6",
        "C.4",
        "代销保险属银行代理业务；把保险说成存款属误导性营销。",
    ),
    (
        "客户到网点办理定期存款，工作人员称只有同时开通指定的增值服务并购买一款基金，"
        "存款利率才能上浮。",
        "A.1.1",
        "B.1",
        "C.6",
        "把存款与其他产品捆绑，限制了客户的选择，归入自主选择权。",
    ),
    (
        "客户发现自己的账户在本人不知情的情况下被开通了收费的短信通知服务，每月被扣费，"
        "客户从未申请过该服务。",
        "A.1.3.5",
        "B.7",
        "C.6",
        "短信通知是其他中间业务；单方开通收费服务，侵犯的是客户的自主选择权。",
    ),
    (
        "客户在网点的自助存款机存入现金，机器显示故障并吞入现金，但账户未入账，"
        "客户等候许久才有人处理。",
        "A.1.2",
        "B.1",
        "C.2",
        "业务在自助机具上办理；存款属人民币储蓄；原因是设备故障。",
    ),
    (
        "客户通过网上银行缴纳税款，账户已扣款，但税务部门显示未缴，客户担心被认定为逾期。",
        "A.1.3.1",
        "B.10",
        "C.2",
        "代缴税款属国库业务；问题出在业务系统。",
    ),
    (
        "客户通过手机银行申请一笔消费贷款，申请页面只展示了很低的“日利率”，没有展示年化利率，"
        "客户放款后才发现实际成本较高。",
        "A.1.3.3",
        "B.2",
        "C.5",
        "贷款的真实成本未清楚展示，归入信息披露。",
    ),
    (
        "客户到网点办理存款时，发现无障碍通道被杂物堵住，叫号机也无法使用，行动不便的客户"
        "只能在门口等候。",
        "A.1.1",
        "B.1",
        "C.2",
        "营业现场的服务设施、设备有问题。",
    ),
    (
        "客户到网点要求打印本人的账户流水，工作人员要求其重新提供身份证明以外的多份材料，"
        "而这些材料本行早已留存。客户认为流程不合理。",
        "A.1.1",
        "B.4.1",
        "C.3",
        "打印流水属账户管理；客户不满的是业务规则与流程。",
    ),
]


def ensure_drill_questions():
    """The drill's questions in ``CASES`` order (created once, keyed by category and text)."""
    category = category_by_path(DRILL_CATEGORY, create=True)
    codes = ClassificationCode.objects.in_bulk(
        {code for case in CASES for code in case[1:4]}, field_name="code"
    )
    questions = []
    for stem, channel, business, reason, explanation in CASES:
        question = Question.objects.filter(category=category, stem=stem).first()
        if question is None:
            question = Question(
                type=Question.CLASSIFY,
                category=category,
                stem=stem,
                explanation=explanation,
                points=DRILL_POINTS,
                key_channel=codes[channel],
                key_business=codes[business],
                key_reason=codes[reason],
                status=Question.ACTIVE,
            )
            question.full_clean()
            question.save()
            question.tags.add("投诉分类")
            question.save()
        questions.append(question)
    return questions


def classification_drill():
    """The drill quiz: ``DRILL_PAPER`` cases drawn at random from all of them, unlimited
    attempts, answers and explanations shown after each submission."""
    quiz = Quiz.objects.filter(title=DRILL_TITLE).first()
    if quiz is not None:
        return quiz
    questions = ensure_drill_questions()
    quiz = Quiz(
        title=DRILL_TITLE,
        description="阅读投诉案例，按业务办理渠道、业务类别、投诉原因三个维度各选一个代码"
        "（JR/T 0169-2018）。每题 3 分，每个维度 1 分。每次随机抽取 10 个案例，可反复练习。",
        is_draft=False,
        listed=True,
        shuffle_questions=True,
        max_questions=DRILL_PAPER,
        pass_mark=60,
        max_attempts=0,
        review_policy=Quiz.REVIEW_ALWAYS,
        success_text="分类准确！继续保持。",
        fail_text="请对照解析，看看哪个维度选错了，再练一次。",
    )
    quiz.fixed_questions = [QuizQuestion(question=q) for q in questions]
    quiz.save()
    return quiz
