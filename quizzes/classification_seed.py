"""The code lists of JR/T 0169-2018 as shipped (``ClassificationCode`` rows with ``standard``):
names from the standard's published structure; the keys are this product's own (the dimension
and the position in the tree), not the standard's official numbers. Read by migration 0005 and
by ``seed_codes`` (idempotent)."""

#: (dimension, tree): each node is ``name`` or ``(name, [children])``.
TREES = [
    (
        "A",
        [
            (
                "前台业务渠道",
                [
                    "营业现场",
                    "自助机具",
                    (
                        "电子渠道",
                        ["网上银行", "电话银行", "移动客户端", "网络公众平台", "短信", "其他"],
                    ),
                    "第三方渠道",
                    "其他",
                ],
            ),
            "中、后台业务渠道",
        ],
    ),
    (
        "B",
        [
            "人民币储蓄",
            "贷款",
            ("银行卡", ["借记卡使用", "借记卡市场活动及增值服务", "借记卡盗刷"]),
            (
                "支付结算",
                [
                    "账户管理",
                    "资金汇划",
                    "票据",
                    "电子支付",
                    "非银行支付机构网络支付",
                    "汇兑业务",
                    "其他",
                ],
            ),
            "自营理财",
            "银行代理业务",
            "其他中间业务",
            "外汇",
            "贵金属",
            "国库",
            "人民币管理",
            "个人金融信息",
            "债务催收",
            "其他",
        ],
    ),
    (
        "C",
        [
            "服务态度及服务质量",
            "服务设施、设备、业务系统",
            "管理制度、业务规则与流程",
            "营销方式和手段",
            "信息披露",
            "自主选择权",
            "定价收费",
            "产品收益",
            "合同条款",
            "消费者资金安全",
            "消费者信息安全",
            "债务催收方式和手段",
        ],
    ),
]


def rows():
    """``(dimension, code, name, parent code or None, sort order)`` in tree order."""
    found = []

    def walk(dimension, nodes, prefix, parent):
        for number, node in enumerate(nodes, start=1):
            name, children = (node, []) if isinstance(node, str) else node
            code = f"{prefix}.{number}"
            found.append((dimension, code, name, parent, number))
            walk(dimension, children, code, code)

    for dimension, tree in TREES:
        walk(dimension, tree, dimension, None)
    return found


def seed_codes(model):
    """Create the standard's codes missing from ``model`` (the historical model in a
    migration); existing rows are left as the bank set them. Returns how many were added."""
    by_code = {}
    added = 0
    for dimension, code, name, parent, order in rows():
        row = model.objects.filter(code=code).first()
        if row is None:
            row = model.objects.create(
                dimension=dimension,
                code=code,
                name=name,
                parent=by_code.get(parent),
                standard=True,
                sort_order=order,
            )
            added += 1
        by_code[code] = row
    return added
