"""Demo question bank for CP-LMS (消保培训题库演示数据).

Pure data, no logic. Questions are written from the shared domain fact sheet (FACTS.md) and
only use facts marked verified there (R1-R5 matching is phrased cautiously as industry
practice). Regulation names are given in words; article numbers are deliberately left out.
This is training demo content, not legal advice: check the official texts
(pbc.gov.cn / nfra.gov.cn) before real use.

Each question: type (single | multiple | truefalse | essay), category (a path listed in
CATEGORIES), stem, choices, answer (letters for single/multiple, "对"/"错" for truefalse, ""
for essay), explanation, difficulty (1-5), tags (topic slugs), codes (the JR/T 0169-2018 classification
codes the question trains for, keys as seeded: A channel, B business category, C complaint
reason; empty for questions about the standard as a whole), partial_credit (multiple only).
"""

CATEGORIES = [
    "消保知识",
    "消保知识/监管规定",
    "消保知识/八项基本权利",
    "投诉处理",
    "投诉处理/投诉分类",
    "销售过程",
    "销售过程/双录",
    "销售过程/适当性",
    "销售过程/营销宣传与搭售",
    "销售过程/代理保险",
    "适老化服务",
    "反诈宣传",
    "典型案例",
]

QUESTIONS = [
    # ---- 单选题 (single) ----
    {
        "type": "single",
        "category": "消保知识/监管规定",
        "stem": (
            "根据《中国人民银行金融消费者权益保护实施办法》，金融机构开展金融消费者权益保护专题"
            "培训的频次要求是："
        ),
        "choices": ["每季度至少一次", "每半年至少一次", "每年至少一次", "每两年至少一次"],
        "answer": "C",
        "explanation": (
            "《中国人民银行金融消费者权益保护实施办法》（人民银行令〔2020〕第5号）"
            "要求金融机构每年至少开展一次金融消费者权益保护专题培训；投诉多发、"
            "风险较高的岗位还应适当提高频次。"
        ),
        "difficulty": 1,
        "tags": ["consumer-rights"],
        "codes": [],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "消保知识/监管规定",
        "stem": (
            "关于消保专题培训的覆盖对象，《中国人民银行金融消费者权益保护实施办法》的要求是："
        ),
        "choices": [
            "只需覆盖柜员和大堂经理等一线人员",
            "全面覆盖中高级管理人员、基层业务人员和新入职人员",
            "只需在新员工入职时开展一次",
            "由网点负责人自行决定是否覆盖管理人员",
        ],
        "answer": "B",
        "explanation": (
            "实施办法要求培训对象全面覆盖中高级管理人员、基层业务人员和新入职人员，"
            "管理层和一线都不能缺；对投诉多发、风险较高的业务岗位还要适当提高培训频次。"
        ),
        "difficulty": 1,
        "tags": ["consumer-rights"],
        "codes": [],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "投诉处理",
        "stem": (
            "根据《银行业保险业消费投诉处理管理办法》（2020年），一般消费投诉应在多少日内处理完毕？"
        ),
        "choices": ["7日", "10日", "60日", "15日"],
        "answer": "D",
        "explanation": (
            "该办法规定投诉一般应在15日内办结；情况复杂的可以延长至30日；"
            "特别复杂的经审批可以再延长30日。"
        ),
        "difficulty": 1,
        "tags": ["complaint-classification"],
        "codes": ["C.1", "C.3"],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "投诉处理",
        "stem": ("根据《银行业保险业消费投诉处理管理办法》，情况复杂的投诉，处理时限可以延长至："),
        "choices": ["20日", "30日", "45日", "90日"],
        "answer": "B",
        "explanation": (
            "一般投诉15日内办结；情况复杂的可延长至30日；特别复杂的，经审批可在此基础上再延长30日。"
        ),
        "difficulty": 2,
        "tags": ["complaint-classification"],
        "codes": ["C.1", "C.3"],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "投诉处理",
        "stem": (
            "某投诉情况特别复杂，已延长至30日仍无法办结。根据《银行业保险业消费投诉处理管理办法"
            "》，经审批后最多可以再延长多少日？"
        ),
        "choices": ["30日", "15日", "60日", "不得再延长"],
        "answer": "A",
        "explanation": (
            "该办法设置了三档时限：15日办结；复杂的延长至30日；特别复杂的经审批再延长30日。"
            "因此再延长的上限是30日，而且必须履行审批程序。"
        ),
        "difficulty": 3,
        "tags": ["complaint-classification"],
        "codes": ["C.1", "C.3"],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "投诉处理",
        "stem": "关于营业场所的投诉接待区，《银行业保险业消费投诉处理管理办法》的要求是：",
        "choices": [
            "只需张贴投诉电话，无需其他设施",
            "为保护客户隐私，接待区禁止录音录像",
            "配备录音录像设备，记录并保存投诉接待处理过程",
            "只有客户主动要求时才进行记录",
        ],
        "answer": "C",
        "explanation": (
            "该办法要求机构设立投诉接待区，配备录音录像设备，记录并保存接待处理过程；"
            "同时指定高管分管投诉工作，并在官网、App和营业场所醒目位置公布投诉渠道。"
        ),
        "difficulty": 2,
        "tags": ["complaint-classification"],
        "codes": ["C.1", "C.3"],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "投诉处理",
        "stem": (
            "客户在网点提出投诉，第一位接待的员工应负责受理，或跟进、引导到相关人员处理，"
            "不得推诿。这项做法称为："
        ),
        "choices": ["首问责任制", "回避制度", "销售专区录音录像", "投资冷静期"],
        "answer": "A",
        "explanation": (
            "原银监会2012年关于完善客户投诉处理机制的通知要求网点严格落实首问责任制。"
            "该通知规定的处理时限已被2020年办法取代，但“首问负责”的做法沿用至今。"
            "回避制度是指与投诉事项有利害关系的人员不参与处理，与题意不同。"
        ),
        "difficulty": 1,
        "tags": ["complaint-classification"],
        "codes": ["C.1", "C.3"],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "投诉处理",
        "stem": (
            "客户对银行的投诉处理结果不满意，想向国家金融监督管理总局反映。"
            "可拨打的消费者投诉维权热线是："
        ),
        "choices": ["12363", "12315", "12378", "12345"],
        "answer": "C",
        "explanation": (
            "12378是原银保监会（现国家金融监督管理总局）的消费者投诉维权热线。"
            "12363是中国人民银行的金融消费权益保护咨询投诉电话；12315是市场监管部门的热线，"
            "12345是政务服务便民热线。"
        ),
        "difficulty": 1,
        "tags": ["complaint-classification"],
        "codes": ["C.1", "C.3"],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "投诉处理",
        "stem": "关于中国人民银行12363热线，下列说法正确的是：",
        "choices": [
            "是国家金融监督管理总局的投诉热线",
            "受理各类保险理赔纠纷，且无需先向机构投诉",
            "是反电信网络诈骗举报专线",
            "受理人民银行法定职责范围内的投诉，原则上应先向金融机构投诉",
        ],
        "answer": "D",
        "explanation": (
            "12363受理的是人民银行法定职责范围内的金融消费投诉，原则上消费者应先向金融机构投诉"
            "。国家金融监督管理总局的热线是12378。"
        ),
        "difficulty": 2,
        "tags": ["complaint-classification"],
        "codes": ["C.1", "C.3"],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "投诉处理/投诉分类",
        "stem": "JR/T 0169-2018《金融消费者投诉统计分类及编码 银行业金融机构》的发布机构是：",
        "choices": [
            "国家市场监督管理总局",
            "中国人民银行",
            "中国银行业协会",
            "国家金融监督管理总局",
        ],
        "answer": "B",
        "explanation": (
            "JR/T 0169-2018由中国人民银行于2018年9月4日发布并实施，是推荐性金融行业标准，"
            "归口全国金融标准化技术委员会（SAC/TC 180）。国家金融监督管理总局成立于2023年，"
            "晚于该标准的发布。"
        ),
        "difficulty": 2,
        "tags": ["complaint-classification"],
        "codes": [],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "投诉处理/投诉分类",
        "stem": "JR/T 0169-2018对金融消费者投诉进行分类和编码的三个维度是：",
        "choices": [
            "投诉来源、投诉等级、紧急程度",
            "客户年龄、客户等级、客户诉求",
            "业务办理渠道、业务类别、投诉原因",
            "产品风险、客户风险、销售渠道",
        ],
        "answer": "C",
        "explanation": (
            "该标准从业务办理渠道（A）、业务类别（B）、投诉原因（C）三个维度对投诉进行分类编码"
            "，用于投诉的统计、分析和报送。投诉来源、等级、紧急程度等是银行内部常见的附加字段，"
            "不是标准的三个维度。"
        ),
        "difficulty": 1,
        "tags": ["complaint-classification"],
        "codes": [],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "投诉处理/投诉分类",
        "stem": "按照JR/T 0169-2018的编码规则，中类中的“其他”统一编码为：",
        "choices": ["0", "9", "99", "999"],
        "answer": "C",
        "explanation": "该标准规定，中类中的“其他”编码为“99”，小类中的“其他”编码为“9”。",
        "difficulty": 4,
        "tags": ["complaint-classification"],
        "codes": [],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "投诉处理/投诉分类",
        "stem": (
            "客户用手机银行App转账时页面反复报错，于是投诉。按JR/T 0169-2018的“业务办理渠道”"
            "维度，应归入："
        ),
        "choices": [
            "前台业务渠道—营业现场",
            "前台业务渠道—电子渠道—移动客户端",
            "前台业务渠道—自助机具",
            "中、后台业务渠道",
        ],
        "answer": "B",
        "explanation": (
            "手机银行App属于前台业务渠道下“电子渠道”中的移动客户端。电子渠道还包括网上银行、"
            "电话银行、网络公众平台、短信等；营业现场、自助机具与电子渠道并列，"
            "同属前台业务渠道。"
        ),
        "difficulty": 2,
        "tags": ["complaint-classification"],
        "codes": ["A.1.3.3", "C.2"],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "投诉处理/投诉分类",
        "stem": (
            "客户投诉：柜员办理业务时态度冷淡，对其提问不耐烦。按JR/T 0169-2018的投诉原因维度，"
            "最恰当的归类是："
        ),
        "choices": [
            "因营销方式和手段引起的投诉",
            "因合同条款引起的投诉",
            "因定价收费引起的投诉",
            "因服务态度及服务质量引起的投诉",
        ],
        "answer": "D",
        "explanation": (
            "员工态度冷淡、不耐烦，属于“服务态度及服务质量”问题。这是标准12项投诉原因中的第一项。"
        ),
        "difficulty": 1,
        "tags": ["complaint-classification"],
        "codes": ["C.1"],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "投诉处理/投诉分类",
        "stem": (
            "客户投诉：催收人员多次在深夜致电，并使用威胁性语言。按投诉原因维度，最恰当的归类是："
        ),
        "choices": [
            "因产品收益引起的投诉",
            "因债务催收方式和手段引起的投诉",
            "因信息披露引起的投诉",
            "因服务设施、设备、业务系统引起的投诉",
        ],
        "answer": "B",
        "explanation": (
            "催收的时间、频率和话术不当，属于“债务催收方式和手段”。这是12项投诉原因中的最后一项。"
        ),
        "difficulty": 1,
        "tags": ["complaint-classification"],
        "codes": ["B.13", "C.12"],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "投诉处理/投诉分类",
        "stem": (
            "客户投诉：申请贷款时，客户经理称“必须购买指定保险才能放款”。按投诉原因维度，"
            "最恰当的归类是："
        ),
        "choices": [
            "因自主选择权引起的投诉",
            "因消费者信息安全引起的投诉",
            "因服务设施、设备、业务系统引起的投诉",
            "因产品收益引起的投诉",
        ],
        "answer": "A",
        "explanation": (
            "把购买保险作为放款条件，属于违背客户意愿的强制搭售，侵害的是消费者的自主选择权，"
            "应归入“自主选择权”原因。强制搭售也是监管规定明令禁止的行为。"
        ),
        "difficulty": 2,
        "tags": ["complaint-classification", "typical-cases"],
        "codes": ["B.2", "C.6"],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "投诉处理/投诉分类",
        "stem": (
            "客户投诉：陆续接到陌生公司的推销电话，对方能准确说出其在本行的账户信息。"
            "按投诉原因维度，最恰当的归类是："
        ),
        "choices": [
            "因定价收费引起的投诉",
            "因合同条款引起的投诉",
            "因消费者信息安全引起的投诉",
            "因产品收益引起的投诉",
        ],
        "answer": "C",
        "explanation": (
            "客户的账户信息疑似被泄露给第三方，属于“消费者信息安全”问题，"
            "对应金融消费者的信息安全权。"
        ),
        "difficulty": 2,
        "tags": ["complaint-classification"],
        "codes": ["B.12", "C.11"],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "消保知识/八项基本权利",
        "stem": (
            "某银行在格式合同中写入“因任何原因造成的损失，本行一概不承担责任”。"
            "这一做法主要侵犯了金融消费者的哪项权利？"
        ),
        "choices": ["受教育权", "财产安全权", "受尊重权", "公平交易权"],
        "answer": "D",
        "explanation": (
            "公平交易权要求金融机构不设不公平的交易条件，格式合同不得加重消费者责任，"
            "也不得排除消费者的权利。用格式条款免除自身一切责任，直接违背这一要求。"
        ),
        "difficulty": 2,
        "tags": ["consumer-rights"],
        "codes": ["C.9"],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "消保知识/八项基本权利",
        "stem": (
            "一位老年客户说话慢、口音重，柜员当众表现出不耐烦并出言嘲讽。"
            "这主要侵犯了客户的哪项权利？"
        ),
        "choices": ["受尊重权", "知情权", "自主选择权", "信息安全权"],
        "answer": "A",
        "explanation": (
            "受尊重权要求尊重消费者的人格尊严和民族风俗，不得因性别、年龄、民族等原因歧视消费者。"
        ),
        "difficulty": 1,
        "tags": ["consumer-rights", "elderly-services"],
        "codes": ["C.1"],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "消保知识/八项基本权利",
        "stem": (
            "理财经理推介产品时只讲预期收益，对产品风险轻描淡写、一带而过。"
            "这主要侵犯了客户的哪项权利？"
        ),
        "choices": ["知情权", "财产安全权", "受尊重权", "受教育权"],
        "answer": "A",
        "explanation": (
            "知情权要求机构用通俗易懂的语言及时、真实、准确、全面地披露信息，充分提示风险，"
            "不夸大收益，不掩饰风险。"
        ),
        "difficulty": 1,
        "tags": ["consumer-rights", "sales-process"],
        "codes": ["C.5"],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "销售过程/双录",
        "stem": (
            "根据《银行业金融机构销售专区录音录像管理暂行规定》，在营业场所销售下列哪类产品时，"
            "必须在销售专区内进行并对每笔销售同步录音录像？"
        ),
        "choices": ["仅限代销国债", "仅限实物贵金属", "仅限大额存单", "自有理财产品和代销产品"],
        "answer": "D",
        "explanation": (
            "该规定（银监办发〔2017〕110号）要求，在营业场所销售自有理财产品和代销产品，"
            "必须在销售专区内进行，并对每笔销售同步录音录像。代销国债、实物贵金属可由机构自行决"
            "定是否双录。"
        ),
        "difficulty": 2,
        "tags": ["sales-process"],
        "codes": ["C.4", "C.5"],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "销售过程/双录",
        "stem": "理财经理向客户推介一款代销产品，客户表示“不想被录音录像”。正确的做法是：",
        "choices": [
            "先完成销售，事后再补录",
            "请客户签字放弃双录后照常销售",
            "不得向其销售该产品",
            "改由员工在自助终端上代客户下单购买",
        ],
        "answer": "C",
        "explanation": (
            "专区双录须征得客户同意；客户不同意录音录像的，不得销售。员工在自助终端上代客操作购"
            "买属于严禁行为，不能用来绕开双录。"
        ),
        "difficulty": 2,
        "tags": ["sales-process"],
        "codes": ["C.4", "C.5"],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "销售过程/双录",
        "stem": (
            "理财经理为节省时间，在网点自助终端上替客户点选并购买理财产品。对这一做法的正确认识是："
        ),
        "choices": [
            "只要客户口头同意即可",
            "严禁，销售人员不得在自助终端上代客操作购买",
            "只要旁边有监控录像即可",
            "只对老年客户允许这样做",
        ],
        "answer": "B",
        "explanation": (
            "双录规定严禁销售人员在自助终端上代客操作购买。实施办法也禁止擅自代理消费者办理业务"
            "；适老化指导意见同样要求不违规代客操作。"
        ),
        "difficulty": 1,
        "tags": ["sales-process", "typical-cases"],
        "codes": ["C.4", "C.5"],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "销售过程/适当性",
        "stem": ("根据《商业银行理财产品销售管理办法》，商业银行对理财产品的风险评级至少应分为："),
        "choices": ["三级", "四级", "五级", "六级"],
        "answer": "C",
        "explanation": (
            "该办法要求理财产品风险评级至少分为五级，客户风险承受能力评估也至少分为五级，"
            "两者建立对应关系，并在销售系统中设置限制。"
        ),
        "difficulty": 1,
        "tags": ["sales-process"],
        "codes": ["B.5", "C.4", "C.5"],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "销售过程/适当性",
        "stem": "客户首次购买本行理财产品前，风险承受能力评估应当：",
        "choices": [
            "在本行网点进行",
            "由理财经理代客户填写问卷",
            "在购买后一个月内补做",
            "客户签署免责声明后即可免做",
        ],
        "answer": "A",
        "explanation": (
            "《商业银行理财产品销售管理办法》要求客户首次购买理财产品前，"
            "在本行网点进行风险承受能力评估，评估结果由客户签字确认后留存。"
        ),
        "difficulty": 2,
        "tags": ["sales-process"],
        "codes": ["B.5", "C.4", "C.5"],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "销售过程/适当性",
        "stem": (
            "根据《商业银行理财产品销售管理办法》，对多少岁（含）以上的客户进行风险承受能力评估"
            "时，应充分考虑其年龄和投资经验？"
        ),
        "choices": ["55岁", "60岁", "70岁", "65岁"],
        "answer": "D",
        "explanation": (
            "该办法要求对65岁（含）以上的客户进行风险承受能力评估时，充分考虑其年龄、"
            "投资经验等因素。"
        ),
        "difficulty": 2,
        "tags": ["sales-process", "elderly-services"],
        "codes": ["B.5", "C.4", "C.5"],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "销售过程/适当性",
        "stem": (
            "按行业常见的R1（谨慎型）至R5（激进型）分级做法，客户一般只能购买与自身风险等级相同"
            "或更低的产品。某客户评估结果对应R3，下列哪款产品超出了他的风险等级？"
        ),
        "choices": ["R1级产品", "R2级产品", "R3级产品", "R4级产品"],
        "answer": "D",
        "explanation": (
            "监管只要求产品和客户各至少分五级并建立对应关系，R1至R5是行业常见叫法，"
            "具体匹配规则以本行制度为准。按“同级或更低”的常见做法，R3客户可以购买R1至R3产品，"
            "R4产品超出其等级。"
        ),
        "difficulty": 3,
        "tags": ["sales-process"],
        "codes": ["B.5", "C.4", "C.5"],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "销售过程/适当性",
        "stem": "私募理财产品应为投资者设置不少于多长时间的投资冷静期？",
        "choices": ["24小时", "12小时", "48小时", "7天"],
        "answer": "A",
        "explanation": (
            "私募理财产品应设置不少于24小时的投资冷静期。冷静期内客户改变主意的，"
            "银行应全额退还款项。"
        ),
        "difficulty": 2,
        "tags": ["sales-process"],
        "codes": ["B.5", "C.4", "C.5"],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "销售过程/代理保险",
        "stem": "下列哪种情形属于代理保险销售中典型的“存单变保单”？",
        "choices": [
            "客户主动咨询分红险，员工讲清保险与存款的区别后，客户自愿投保",
            "客户要求续存定期，员工按客户意愿办理了定期存款",
            "客户来办定期存款，员工把分红型保险说成“收益更高的存款”，引导客户购买",
            "员工告知客户保险产品由保险公司承保，银行只是代理",
        ],
        "answer": "C",
        "explanation": (
            "“存单变保单”指把保险与存款、理财混为一谈，让本想存款的客户在不知情的情况下买了保险"
            "。监管要求代理保险时不得混淆保险与存款，不得把保险说成“银行推出”的产品，"
            "杜绝“存单变保单”。"
        ),
        "difficulty": 2,
        "tags": ["sales-process", "typical-cases"],
        "codes": ["B.6", "C.4", "C.6"],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "适老化服务",
        "stem": (
            "金融监管总局2024年11月发布的《关于进一步提升金融服务适老化水平的指导意见》，"
            "对老年人使用柜面人工服务的要求是："
        ),
        "choices": [
            "将老年客户优先分流到自助设备，以提升效率",
            "把柜面分流率纳入网点绩效考核",
            "老年人须先尝试手机App，无法办理时才可到柜面",
            "不得对老年人使用柜面人工服务设置分流率考核",
        ],
        "answer": "D",
        "explanation": (
            "该指导意见要求保留现金、存折、存单等服务方式，不强制老年人使用银行卡、"
            "App或自助设备，不违规代客操作，并明确不得对老年人使用柜面人工服务设置分流率考核。"
        ),
        "difficulty": 2,
        "tags": ["elderly-services"],
        "codes": ["A.1.1", "C.1"],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "反诈宣传",
        "stem": (
            "一位老年客户神色慌张，要求把大额存款汇给陌生账户，称“孙子在外地出事，急需用钱”。"
            "网点员工最恰当的做法是："
        ),
        "choices": [
            "客户是本人办理，资金自主，立即办理",
            "耐心劝阻，提示诈骗风险，并联系其家属核实",
            "建议客户改用手机银行自行转账，免得排队",
            "请客户签一份免责声明后照常办理",
        ],
        "answer": "B",
        "explanation": (
            "“孙子出事”是针对老年人的常见骗局。网点对老年人的异常取现、汇款应进行劝阻，"
            "并联系家属核实，不能简单一办了之，也不能让客户换个渠道绕开劝阻。"
        ),
        "difficulty": 1,
        "tags": ["anti-fraud", "elderly-services", "typical-cases"],
        "codes": ["A.1.1", "B.4.2", "C.10"],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "消保知识/监管规定",
        "stem": "原银保监会令2022年第9号《银行保险机构消费者权益保护管理办法》的施行日期是：",
        "choices": ["2020年11月1日", "2023年3月1日", "2018年9月4日", "2024年11月14日"],
        "answer": "B",
        "explanation": (
            "《银行保险机构消费者权益保护管理办法》自2023年3月1日起施行，"
            "现由国家金融监督管理总局负责。2020年11月1日是《中国人民银行金融消费者权益保护实施"
            "办法》的施行日期；2018年9月4日是JR/T 0169-2018的发布日期；2024年11月14日是适老化指"
            "导意见的发布日期。"
        ),
        "difficulty": 3,
        "tags": ["consumer-rights"],
        "codes": [],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "典型案例",
        "stem": "在原银保监会2020年第三季度银行业消费投诉情况通报中，投诉量占比最高的业务是：",
        "choices": ["信用卡业务", "个人贷款业务", "理财类业务", "代理保险业务"],
        "answer": "A",
        "explanation": (
            "该季度通报显示，信用卡业务投诉约占57%，个人贷款业务约占24%。"
            "信用卡和个人贷款是投诉高发领域，相关岗位的培训频次应适当提高。"
        ),
        "difficulty": 3,
        "tags": ["typical-cases", "complaint-classification"],
        "codes": [],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "典型案例",
        "stem": (
            "销售人员私售非本行产品（俗称“飞单”）以及误导销售等问题，是下列哪项制度出台的重要背景？"
        ),
        "choices": [
            "银行业金融机构销售专区录音录像（“双录”）",
            "投诉统计分类及编码标准",
            "首问责任制",
            "金融服务适老化指导意见",
        ],
        "answer": "A",
        "explanation": (
            "为治理“飞单”和误导销售，原银监会于2017年出台销售专区录音录像管理暂行规定，"
            "要求在销售专区对每笔理财产品和代销产品的销售同步录音录像，让销售行为可以回溯。"
        ),
        "difficulty": 2,
        "tags": ["typical-cases", "sales-process"],
        "codes": ["C.4", "C.5"],
        "partial_credit": False,
    },
    {
        "type": "single",
        "category": "销售过程/营销宣传与搭售",
        "stem": "下列理财产品宣传用语中，符合营销宣传规范的是：",
        "choices": [
            "本产品保本保收益，稳赚不赔",
            "本产品已经监管部门备案，等于有监管担保",
            "过往年化收益高达15%（无真实数据支撑）",
            "理财非存款，产品有风险，投资须谨慎",
        ],
        "answer": "D",
        "explanation": (
            "理财宣传不得明示或暗示保本、无风险、保收益，不得借监管审批或备案暗示有监管担保，"
            "也不得用不真实的数据夸大过往业绩或收益。“理财非存款，产品有风险，投资须谨慎”"
            "是理财宣传中规范要求标注的风险提示语（如2012年上海工商部门的规范）。"
        ),
        "difficulty": 1,
        "tags": ["sales-process"],
        "codes": ["C.4", "C.6"],
        "partial_credit": False,
    },
    # ---- 多选题 (multiple) ----
    {
        "type": "multiple",
        "category": "消保知识/监管规定",
        "stem": (
            "根据《中国人民银行金融消费者权益保护实施办法》，金融机构营销宣传中禁止的行为有："
        ),
        "choices": [
            "如实披露产品的风险等级",
            "明示或暗示保本、无风险、保收益",
            "用不真实的数据夸大过往业绩或收益",
            "借监管审批或备案，暗示产品有监管担保",
            "虚假、欺诈、隐瞒或引人误解的宣传",
        ],
        "answer": "BCDE",
        "explanation": (
            "实施办法列出的营销宣传禁止行为包括：虚假、欺诈、隐瞒或引人误解的宣传；"
            "用不真实数据夸大过往业绩或收益；借监管审批或备案暗示有监管担保；明示或暗示保本、"
            "无风险、保收益。如实披露风险等级是应尽的义务，不是禁止行为。"
        ),
        "difficulty": 2,
        "tags": ["sales-process", "consumer-rights"],
        "codes": [],
        "partial_credit": True,
    },
    {
        "type": "multiple",
        "category": "消保知识/监管规定",
        "stem": "根据《中国人民银行金融消费者权益保护实施办法》，金融机构不得实施的行为有：",
        "choices": [
            "按消费者本人真实意愿办理业务",
            "擅自代理消费者办理业务",
            "擅自修改消费者的业务指令",
            "强制搭售其他产品或服务",
        ],
        "answer": "BCD",
        "explanation": (
            "实施办法明确：不得擅自代理消费者办理业务，不得擅自修改业务指令，不得强制搭售。"
            "按消费者真实意愿办理业务正是合规做法。"
        ),
        "difficulty": 2,
        "tags": ["consumer-rights", "sales-process"],
        "codes": [],
        "partial_credit": False,
    },
    {
        "type": "multiple",
        "category": "消保知识/监管规定",
        "stem": (
            "关于金融机构的消保专题培训，下列说法符合《中国人民银行金融消费者权益保护实施办法》"
            "的有："
        ),
        "choices": [
            "每年至少开展一次",
            "中高级管理人员工作繁忙，可以不参加",
            "培训对象覆盖中高级管理人员、基层业务人员和新入职人员",
            "投诉多发、风险较高的业务岗位应适当提高培训频次",
            "新员工入职满一年后才需要参加",
        ],
        "answer": "ACD",
        "explanation": (
            "实施办法要求每年至少开展一次专题培训，培训对象全面覆盖中高级管理人员、"
            "基层业务人员和新入职人员，投诉多发、风险较高的岗位适当提高频次。"
            "管理人员和新员工都不能排除在外。"
        ),
        "difficulty": 2,
        "tags": ["consumer-rights"],
        "codes": [],
        "partial_credit": False,
    },
    {
        "type": "multiple",
        "category": "投诉处理",
        "stem": "下列属于《银行业保险业消费投诉处理管理办法》对银行保险机构要求的有：",
        "choices": [
            "指定高级管理人员分管投诉处理工作",
            "在官网、App和营业场所醒目位置公布投诉渠道",
            "在合同中写明投诉电话",
            "本机构已掌握的材料，仍可要求投诉人重复提供",
            "建立回避制度，并做好溯源整改和责任追究",
        ],
        "answer": "ABCE",
        "explanation": (
            "该办法要求指定高管分管投诉；公布投诉渠道并在合同中写明投诉电话；建立回避、"
            "溯源整改、责任追究等制度。该办法还规定，机构已经掌握的材料不得要求投诉人再次提供。"
        ),
        "difficulty": 3,
        "tags": ["complaint-classification"],
        "codes": ["C.1", "C.3"],
        "partial_credit": True,
    },
    {
        "type": "multiple",
        "category": "投诉处理/投诉分类",
        "stem": "按JR/T 0169-2018的业务办理渠道维度，下列属于“前台业务渠道—电子渠道”的有：",
        "choices": ["网上银行", "电话银行", "营业现场", "移动客户端", "短信"],
        "answer": "ABDE",
        "explanation": (
            "电子渠道包括网上银行、电话银行、移动客户端、网络公众平台、短信和其他。"
            "营业现场与电子渠道、自助机具、第三方渠道并列，同属前台业务渠道，不属于电子渠道。"
        ),
        "difficulty": 2,
        "tags": ["complaint-classification"],
        "codes": ["A.1.3"],
        "partial_credit": False,
    },
    {
        "type": "multiple",
        "category": "投诉处理/投诉分类",
        "stem": (
            "客户投诉：银行委托的外部催收机构对其暴力催收，还把欠款情况告诉了他的家人。"
            "按投诉原因维度，这一投诉涉及的原因有："
        ),
        "choices": [
            "因债务催收方式和手段引起的投诉",
            "因产品收益引起的投诉",
            "因消费者信息安全引起的投诉",
            "因定价收费引起的投诉",
        ],
        "answer": "AC",
        "explanation": (
            "暴力催收属于“债务催收方式和手段”问题；向家人泄露客户的欠款信息属于“消费者信息安全”"
            "问题。银行对委外机构负有管理责任，不能以“外包”为由推卸。"
        ),
        "difficulty": 3,
        "tags": ["complaint-classification", "typical-cases"],
        "codes": ["B.13", "C.11", "C.12"],
        "partial_credit": False,
    },
    {
        "type": "multiple",
        "category": "投诉处理/投诉分类",
        "stem": "下列属于JR/T 0169-2018投诉原因维度所列项目的有：",
        "choices": ["营销方式和手段", "信息披露", "客户年龄", "合同条款", "投诉来源"],
        "answer": "ABD",
        "explanation": (
            "投诉原因共12项：服务态度及服务质量；服务设施、设备、业务系统；管理制度、"
            "业务规则与流程；营销方式和手段；信息披露；自主选择权；定价收费；产品收益；"
            "合同条款；消费者资金安全；消费者信息安全；债务催收方式和手段。“投诉来源”"
            "是银行内部常见的附加字段，“客户年龄”不属于分类维度。"
        ),
        "difficulty": 2,
        "tags": ["complaint-classification"],
        "codes": [],
        "partial_credit": True,
    },
    {
        "type": "multiple",
        "category": "消保知识/八项基本权利",
        "stem": "下列属于金融消费者八项基本权利的有：",
        "choices": ["优先受偿权", "财产安全权", "依法求偿权", "受尊重权", "信息安全权"],
        "answer": "BCDE",
        "explanation": (
            "八项基本权利（国办发〔2015〕81号）是：财产安全权、知情权、自主选择权、公平交易权、"
            "依法求偿权、受教育权、受尊重权、信息安全权。“优先受偿权”不在其中。"
        ),
        "difficulty": 1,
        "tags": ["consumer-rights"],
        "codes": [],
        "partial_credit": False,
    },
    {
        "type": "multiple",
        "category": "消保知识/八项基本权利",
        "stem": (
            "理财经理向客户隐瞒产品风险，又在客户明确拒绝的情况下，把一份保险与理财产品捆绑销售"
            "。这一行为侵犯了客户的："
        ),
        "choices": ["知情权", "自主选择权", "受教育权", "依法求偿权"],
        "answer": "AB",
        "explanation": (
            "隐瞒风险侵犯知情权，因为机构应充分提示风险，不得掩饰风险。违背客户意愿捆绑销售侵犯"
            "自主选择权，因为不得强买强卖、违背意愿搭售。受教育权针对金融知识普及，"
            "依法求偿权针对投诉和求偿渠道，与本情形无直接关系。"
        ),
        "difficulty": 2,
        "tags": ["consumer-rights", "sales-process"],
        "codes": ["C.5", "C.6"],
        "partial_credit": False,
    },
    {
        "type": "multiple",
        "category": "销售过程/双录",
        "stem": "根据销售专区录音录像的规定，下列哪些环节需要录音录像？",
        "choices": [
            "客户在大堂取号排队等候的全过程",
            "营销推介",
            "风险和关键信息提示",
            "消费者确认和反馈",
        ],
        "answer": "BCD",
        "explanation": (
            "专区双录要录下营销推介、风险和关键信息提示、消费者确认和反馈等环节，"
            "让销售过程可以回溯。排队等候不属于销售环节。"
        ),
        "difficulty": 2,
        "tags": ["sales-process"],
        "codes": ["C.4", "C.5"],
        "partial_credit": False,
    },
    {
        "type": "multiple",
        "category": "销售过程/双录",
        "stem": "关于销售专区“双录”，下列说法正确的有：",
        "choices": [
            "代销国债、实物贵金属可由机构自行决定是否双录",
            "录音录像须征得客户同意",
            "客户拒绝录音录像的，可以先销售、后补录",
            "严禁销售人员在自助终端上代客操作购买",
        ],
        "answer": "ABD",
        "explanation": (
            "自有理财和代销产品须在专区每笔双录；代销国债、实物贵金属由机构自行决定是否双录。"
            "双录须征得客户同意，客户不同意的不得销售，不存在“先卖后补”。"
            "销售人员严禁在自助终端上代客操作购买。"
        ),
        "difficulty": 3,
        "tags": ["sales-process"],
        "codes": ["C.4", "C.5"],
        "partial_credit": True,
    },
    {
        "type": "multiple",
        "category": "销售过程/适当性",
        "stem": "根据《商业银行理财产品销售管理办法》，关于适当性管理，下列说法正确的有：",
        "choices": [
            "客户风险承受能力至少分为五级",
            "产品风险评级与客户风险承受能力建立对应关系，并在销售系统中设置限制",
            "风险承受能力评估结果由客户签字确认后留存",
            "为提高效率，可由理财经理代客户填写评估问卷并代签",
        ],
        "answer": "ABC",
        "explanation": (
            "该办法要求产品风险和客户风险承受能力各至少分五级并建立对应关系，"
            "在销售系统中设置限制；评估结果由客户签字确认后留存。代客户填写问卷、"
            "代签名会让评估失真，也构成擅自代理客户办理业务。"
        ),
        "difficulty": 2,
        "tags": ["sales-process"],
        "codes": ["B.5", "C.4", "C.5"],
        "partial_credit": False,
    },
    {
        "type": "multiple",
        "category": "销售过程/代理保险",
        "stem": "银行代理销售保险时，下列属于禁止行为的有：",
        "choices": [
            "把保险产品说成是“银行推出”的产品",
            "向客户承诺分红或固定收益",
            "以“产品即将停售”为由催促客户购买",
            "向客户讲清保险与存款、理财的区别",
            "用赠品诱导客户购买",
        ],
        "answer": "ABCE",
        "explanation": (
            "代理保险不得混淆保险与存款、理财，不得把保险说成银行推出的产品，杜绝“存单变保单”；"
            "不得承诺分红或固定收益；不得用赠品、“即将停售”等方式诱导购买。讲清保险与存款、"
            "理财的区别是应尽的义务。"
        ),
        "difficulty": 2,
        "tags": ["sales-process", "typical-cases"],
        "codes": ["B.6", "C.4", "C.6"],
        "partial_credit": True,
    },
    {
        "type": "multiple",
        "category": "销售过程/营销宣传与搭售",
        "stem": "下列属于《银行保险机构消费者权益保护管理办法》明确禁止的行为有：",
        "choices": [
            "强制捆绑或搭售产品",
            "按协议约定收取已公示的费用",
            "单方开通收费服务",
            "从贷款本金中预先扣除利息",
            "在协议约定之外变相收费",
        ],
        "answer": "ACDE",
        "explanation": (
            "该办法禁止强制捆绑或搭售、单方开通收费服务、从贷款本金中预扣利息、"
            "在协议外变相收费。按协议约定收取已公示的费用属于正常收费。"
        ),
        "difficulty": 3,
        "tags": ["sales-process", "consumer-rights"],
        "codes": ["C.4", "C.6"],
        "partial_credit": False,
    },
    {
        "type": "multiple",
        "category": "典型案例",
        "stem": (
            "某客户申请经营贷，客户经理称“必须买一份保险‘增信’才能放款”，客户无奈购买。"
            "对此案例，下列认识正确的有："
        ),
        "choices": [
            "属于正常的风险缓释措施，无需整改",
            "违反了不得强制搭售的规定",
            "只要把购买保险写进借款合同，就合规了",
            "侵犯了消费者的自主选择权",
        ],
        "answer": "BD",
        "explanation": (
            "以“增信”名义强制搭售保险是典型违规案例。监管规定禁止强制搭售，"
            "强制搭售也侵犯自主选择权。把不合理的条件写进合同并不能使其合规，"
            "反而可能触及公平交易权。"
        ),
        "difficulty": 2,
        "tags": ["typical-cases", "sales-process", "consumer-rights"],
        "codes": ["B.2", "C.6"],
        "partial_credit": False,
    },
    {
        "type": "multiple",
        "category": "适老化服务",
        "stem": (
            "根据金融监管总局2024年发布的《关于进一步提升金融服务适老化水平的指导意见》，"
            "下列做法符合要求的有："
        ),
        "choices": [
            "对老年人柜面业务设置分流率考核，以推广自助设备",
            "保留现金、存折、存单等服务方式",
            "不强制老年人使用银行卡、App或自助设备",
            "为降低成本，停办老年人的存折业务",
            "不违规代客操作",
        ],
        "answer": "BCE",
        "explanation": (
            "该指导意见要求保留现金、存折、存单等传统服务方式，不强制老年人使用银行卡、"
            "App或自助设备，不违规代客操作，不得对老年人使用柜面人工服务设置分流率考核。"
        ),
        "difficulty": 2,
        "tags": ["elderly-services"],
        "codes": ["A.1.2", "C.1"],
        "partial_credit": True,
    },
    {
        "type": "multiple",
        "category": "反诈宣传",
        "stem": "下列属于网点常见的反诈防范做法的有：",
        "choices": [
            "客户说明是熟人后，允许其把银行卡长期交给他人使用",
            "开户时开展尽职调查",
            "告知客户出租、出借、出售账户的法律责任，并请其签署承诺书",
            "对新开账户进行回访",
            "对老年人的异常取现、汇款进行劝阻，并联系家属核实",
        ],
        "answer": "BCDE",
        "explanation": (
            "网点常见的反诈做法包括：开户尽职调查；告知出租、出借、出售账户的法律责任并签承诺书"
            "；新开户回访；对老年人异常取现或汇款进行劝阻并联系家属核实。"
            "把银行卡交给他人使用属于出借账户，可能被诈骗分子利用，客户也要承担法律责任。"
        ),
        "difficulty": 2,
        "tags": ["anti-fraud"],
        "codes": ["C.10"],
        "partial_credit": False,
    },
    # ---- 判断题 (truefalse) ----
    {
        "type": "truefalse",
        "category": "投诉处理/投诉分类",
        "stem": (
            "JR/T 0169-2018中，业务办理渠道维度首先分为“前台业务渠道”和“中、后台业务渠道”两大类。"
        ),
        "choices": [],
        "answer": "对",
        "explanation": (
            "业务办理渠道维度先分为前台业务渠道和中、后台业务渠道。前台业务渠道下再分营业现场、"
            "自助机具、电子渠道、第三方渠道和其他。"
        ),
        "difficulty": 2,
        "tags": ["complaint-classification"],
        "codes": [],
        "partial_credit": False,
    },
    {
        "type": "truefalse",
        "category": "投诉处理/投诉分类",
        "stem": "JR/T 0169-2018是强制性国家标准，所有银行业金融机构都必须执行。",
        "choices": [],
        "answer": "错",
        "explanation": (
            "JR/T 0169-2018是中国人民银行发布的推荐性金融行业标准（代号JR/T），不是强制性国家标准。"
        ),
        "difficulty": 2,
        "tags": ["complaint-classification"],
        "codes": [],
        "partial_credit": False,
    },
    {
        "type": "truefalse",
        "category": "销售过程/双录",
        "stem": "客户不同意录音录像的，银行不得向其销售须在销售专区双录的理财产品或代销产品。",
        "choices": [],
        "answer": "对",
        "explanation": "专区双录须征得客户同意；客户不同意录音录像的，不能销售。",
        "difficulty": 1,
        "tags": ["sales-process"],
        "codes": ["C.4", "C.5"],
        "partial_credit": False,
    },
    {
        "type": "truefalse",
        "category": "适老化服务",
        "stem": "只要老年客户当面同意，柜员就可以在自助终端上代其操作购买理财产品。",
        "choices": [],
        "answer": "错",
        "explanation": (
            "双录规定严禁销售人员在自助终端上代客操作购买；适老化指导意见要求不违规代客操作。"
            "客户同意也不能免除这些禁止性要求。正确做法是耐心指导客户本人操作，"
            "或引导其到柜面或销售专区办理。"
        ),
        "difficulty": 1,
        "tags": ["elderly-services", "sales-process"],
        "codes": ["A.1.2", "C.1"],
        "partial_credit": False,
    },
    {
        "type": "truefalse",
        "category": "销售过程/适当性",
        "stem": "私募理财产品的投资冷静期内，客户改变主意的，银行应全额退还其投资款项。",
        "choices": [],
        "answer": "对",
        "explanation": (
            "私募理财产品设置不少于24小时的投资冷静期，冷静期内客户反悔的，银行应全额退款。"
        ),
        "difficulty": 2,
        "tags": ["sales-process"],
        "codes": ["B.5", "C.4", "C.5"],
        "partial_credit": False,
    },
    {
        "type": "truefalse",
        "category": "销售过程/适当性",
        "stem": "客户急于购买理财产品时，可以先完成购买，再在事后补做风险承受能力评估。",
        "choices": [],
        "answer": "错",
        "explanation": (
            "《商业银行理财产品销售管理办法》要求客户首次购买前在本行网点完成风险承受能力评估，"
            "评估结果由客户签字确认。先买后评违背适当性管理要求。"
        ),
        "difficulty": 1,
        "tags": ["sales-process"],
        "codes": ["B.5", "C.4", "C.5"],
        "partial_credit": False,
    },
    {
        "type": "truefalse",
        "category": "投诉处理",
        "stem": (
            "《银行业保险业消费投诉处理管理办法》要求在投诉接待区配备录音录像设备，"
            "记录并保存接待处理过程。"
        ),
        "choices": [],
        "answer": "对",
        "explanation": (
            "该办法要求机构设立投诉接待区，配备录音录像设备，记录并保存接待处理过程，以便事后核查。"
        ),
        "difficulty": 1,
        "tags": ["complaint-classification"],
        "codes": ["C.1", "C.3"],
        "partial_credit": False,
    },
    {
        "type": "truefalse",
        "category": "投诉处理",
        "stem": (
            "根据《银行业保险业消费投诉处理管理办法》，所有投诉无论多复杂，都必须在15日内办结，"
            "一律不得延长。"
        ),
        "choices": [],
        "answer": "错",
        "explanation": (
            "一般投诉15日内办结；情况复杂的可以延长至30日；特别复杂的经审批可以再延长30日。"
        ),
        "difficulty": 2,
        "tags": ["complaint-classification"],
        "codes": ["C.1", "C.3"],
        "partial_credit": False,
    },
    {
        "type": "truefalse",
        "category": "销售过程/代理保险",
        "stem": "银行代理销售保险时，不得把保险产品说成是“银行推出”的产品。",
        "choices": [],
        "answer": "对",
        "explanation": (
            "代理保险不得混淆保险与存款、理财，不得把保险说成银行推出的产品，以杜绝“存单变保单”。"
        ),
        "difficulty": 1,
        "tags": ["sales-process"],
        "codes": ["B.6", "C.4", "C.6"],
        "partial_credit": False,
    },
    {
        "type": "truefalse",
        "category": "适老化服务",
        "stem": "为提高自助设备使用率，网点可以对老年人使用柜面人工服务设置分流率考核。",
        "choices": [],
        "answer": "错",
        "explanation": (
            "2024年的适老化指导意见明确，不得对老年人使用柜面人工服务设置分流率考核，"
            "也不得强制老年人使用银行卡、App或自助设备。"
        ),
        "difficulty": 1,
        "tags": ["elderly-services"],
        "codes": ["A.1.2", "C.1"],
        "partial_credit": False,
    },
    {
        "type": "truefalse",
        "category": "反诈宣传",
        "stem": (
            "开户时告知客户出租、出借、出售账户的法律责任，并请客户签署承诺书，"
            "是网点常见的反诈做法。"
        ),
        "choices": [],
        "answer": "对",
        "explanation": (
            "开户尽职调查、告知出租出借出售账户的法律责任并签承诺书、新开户回访，"
            "都是网点常见的反诈做法。"
        ),
        "difficulty": 1,
        "tags": ["anti-fraud"],
        "codes": ["B.4.1", "C.10"],
        "partial_credit": False,
    },
    {
        "type": "truefalse",
        "category": "销售过程/营销宣传与搭售",
        "stem": "产品已在监管部门备案的，营销宣传时就可以说“本产品经监管审批，有监管担保”。",
        "choices": [],
        "answer": "错",
        "explanation": (
            "借监管审批或备案暗示产品有监管担保，是营销宣传中明令禁止的行为。"
            "备案不代表监管为产品的收益或本金提供任何担保。"
        ),
        "difficulty": 2,
        "tags": ["sales-process"],
        "codes": ["C.4", "C.6"],
        "partial_credit": False,
    },
    {
        "type": "truefalse",
        "category": "投诉处理",
        "stem": (
            "人民银行12363热线受理人民银行法定职责范围内的投诉，原则上消费者应先向金融机构投诉。"
        ),
        "choices": [],
        "answer": "对",
        "explanation": (
            "12363受理人民银行法定职责范围内的金融消费投诉，原则上应先向金融机构投诉。"
            "对银行保险机构的投诉，也可拨打金融监管总局的12378热线。"
        ),
        "difficulty": 2,
        "tags": ["complaint-classification"],
        "codes": ["C.1", "C.3"],
        "partial_credit": False,
    },
    {
        "type": "truefalse",
        "category": "消保知识/监管规定",
        "stem": (
            "《中国人民银行金融消费者权益保护实施办法》只要求对新入职人员开展消保培训，"
            "中高级管理人员可以不参加。"
        ),
        "choices": [],
        "answer": "错",
        "explanation": (
            "实施办法要求消保专题培训全面覆盖中高级管理人员、基层业务人员和新入职人员，"
            "每年至少开展一次。"
        ),
        "difficulty": 1,
        "tags": ["consumer-rights"],
        "codes": [],
        "partial_credit": False,
    },
    # ---- 简答题（案例分析） (essay) ----
    {
        "type": "essay",
        "category": "适老化服务",
        "stem": (
            "案例：一位70多岁的老人来网点缴费，大堂里排着队。老人对柜员说：“我眼神不好，"
            "那个机器我不会弄，你帮我在自助机上操作一下吧，密码我告诉你。”"
            "请说明柜员应当如何处理，并说明依据。"
        ),
        "choices": [],
        "answer": "",
        "explanation": (
            "参考要点：① 不能接过客户的卡和密码在自助设备上代客操作。适老化指导意见要求不违规代"
            "客操作；实施办法也禁止擅自代理消费者办理业务。同时要提醒老人密码不能告诉任何人。"
            "② 不能强制老人使用自助设备，也不能以“柜面要排队”为由拒绝人工服务。"
            "指导意见要求不强制老年人使用银行卡、App或自助设备，不得对老年人柜面服务设置分流率"
            "考核。③ 可以由大堂经理在旁边耐心指导，由老人本人操作；老人仍不愿意或确有困难的，"
            "引导其到柜面办理，网点设有优先或爱心窗口的，可优先安排。④ 全程使用通俗语言，"
            "尊重老人，保障其受尊重权和自主选择权。"
        ),
        "difficulty": 3,
        "tags": ["elderly-services", "typical-cases"],
        "codes": ["A.1.2", "C.1"],
        "partial_credit": False,
    },
    {
        "type": "essay",
        "category": "销售过程/代理保险",
        "stem": (
            "案例：一位老年客户到柜台续存5万元定期存款。理财经理上前推荐：“有款产品比存款划算，"
            "每年分红肯定比利息高，而且下个月就停售了。”客户没听清楚就签了字，"
            "事后发现买的是分红型保险，要求退保并投诉。请指出理财经理的违规之处，"
            "并说明正确的做法。"
        ),
        "choices": [],
        "answer": "",
        "explanation": (
            "参考要点：① 存单变保单：把保险说成“比存款划算”的产品，混淆了保险与存款，"
            "违反代理保险不得混淆保险与存款、理财的规定。② 承诺分红：“分红肯定比利息高”"
            "属于承诺分红或固定收益，违反代理保险要求，也触犯营销宣传中不得明示或暗示保本、"
            "保收益的禁止性规定。③ “下个月就停售”属于用停售诱导购买，是明令禁止的做法。"
            "④ 侵犯了客户的知情权和自主选择权；面对老年客户更应审慎，充分考虑其年龄和实际需求。"
            "正确做法：尊重客户存款意愿；确需介绍保险时，说明产品由保险公司承保，"
            "讲清与存款的区别、费用和风险，不承诺收益；按规定履行各项销售程序。投诉应登记受理，"
            "按时限处理，并溯源整改。"
        ),
        "difficulty": 4,
        "tags": ["sales-process", "typical-cases", "elderly-services"],
        "codes": ["B.6", "C.4", "C.6"],
        "partial_credit": False,
    },
    {
        "type": "essay",
        "category": "投诉处理/投诉分类",
        "stem": (
            "案例：客户通过本行手机银行App购买了一款理财产品，提前赎回时才发现要扣较高的赎回费"
            "，而购买页面和理财经理事先都没有说明这项费用。客户来网点投诉，情绪激动。请说明："
            "（1）按JR/T 0169-2018，这笔投诉在“业务办理渠道”和“投诉原因”两个维度上应如何归类；"
            "（2）网点应如何接待和处理。"
        ),
        "choices": [],
        "answer": "",
        "explanation": (
            "参考要点：（1）渠道：交易发生在手机银行App上，属于前台业务渠道—电子渠道—移动客户端"
            "（客户虽然到网点投诉，但应按业务办理渠道归类）。原因：核心问题是费用事先没有告知，"
            "主要归入“因信息披露引起的投诉”；如客户主要是对收费标准本身有异议，可考虑“定价收费”"
            "。（2）处理：落实首问责任制，不推诿；引导客户到投诉接待区，"
            "接待过程录音录像并保存；安抚情绪，登记诉求；本行已掌握的交易记录、"
            "产品资料等不要求客户重复提供；与投诉事项有利害关系的人员应回避；一般15日内办结，"
            "复杂的可延长至30日，特别复杂的经审批再延长30日；告知客户对结果不满意时，"
            "可通过12378等渠道反映；事后溯源整改，完善产品信息披露。"
        ),
        "difficulty": 5,
        "tags": ["complaint-classification", "typical-cases"],
        "codes": ["A.1.3.3", "B.5", "C.5", "C.7"],
        "partial_credit": False,
    },
    {
        "type": "essay",
        "category": "反诈宣传",
        "stem": (
            "案例：一位老年客户一早来到网点，要求把10万元定期存款提前支取并汇往外地一个陌生账户"
            "。他神情紧张，边打电话边说“孙子出事了，对方说不能告诉家里人”。"
            "请说明网点员工应如何处置。"
        ),
        "choices": [],
        "answer": "",
        "explanation": (
            "参考要点：① 识别风险：“孙子出事”“不能告诉家人”、边打电话边办理、"
            "向陌生账户大额汇款，都是针对老年人诈骗的典型特征。② 劝阻：耐心询问汇款用途，"
            "用通俗语言讲解此类骗局，说明一旦汇出很难追回；劝客户先挂断可疑电话。③ 核实："
            "联系客户家属，当面或电话核实“孙子”情况，必要时按行内流程报告网点负责人，"
            "并按规定联系公安机关。④ 全程保持尊重，避免与客户争执，做好记录。"
            "⑤ 平时配合开展反诈宣传，开户时告知出租、出借、出售账户的法律责任，"
            "为老年客户多做风险提示。"
        ),
        "difficulty": 3,
        "tags": ["anti-fraud", "elderly-services", "typical-cases"],
        "codes": ["A.1.1", "B.4.2", "C.10"],
        "partial_credit": False,
    },
    {
        "type": "essay",
        "category": "销售过程/双录",
        "stem": (
            "案例：一位客户在销售专区要购买一款代销产品，但不愿意录音录像，说：“我很赶时间，"
            "你们别录了，或者你直接在旁边的自助机上帮我买一下。”请说明理财经理应如何回应和处理"
            "。"
        ),
        "choices": [],
        "answer": "",
        "explanation": (
            "参考要点：① 向客户说明：按销售专区录音录像的规定，在营业场所销售代销产品须在专区内"
            "每笔同步录音录像，这样销售过程可以回溯，也能保护客户自身权益。"
            "② 双录须征得客户同意；客户坚持不同意的，不能销售该产品，也不能先卖后补录。"
            "③ 严禁在自助终端上代客操作购买，不能用这种方式绕开双录。④ 同时按适当性要求，"
            "确认客户已完成风险承受能力评估，且产品风险等级与其相匹配。⑤ 可以与客户另约时间办理"
            "；整个过程礼貌耐心，尊重客户的选择。"
        ),
        "difficulty": 3,
        "tags": ["sales-process", "typical-cases"],
        "codes": ["C.4", "C.5"],
        "partial_credit": False,
    },
]
