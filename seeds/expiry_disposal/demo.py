"""Demo data for the near-expiry template: master data, batches, a year of stock moves and sales.

Deterministic for a seed and a day, so a demo looks the same for everyone that day. What
it makes, in the order the records must be written (what others point at first):

- 6 categories, each with its own warning thresholds; 12 suppliers, some with a
  near-expiry return clause; 205 SKUs; 6 warehouses in 3 regions plus one near-expiry
  virtual warehouse per region (each warehouse names its region's department, so its
  batches, moves and sales belong to that region); donees; employees;
- 20,000 batches over every level (green, yellow, red, expired, some sold out), their
  shelf life, cost and category taken from the SKU;
- the stock moves that brought each batch to its quantity on hand: inbound, sales over
  the last twelve months with each category's seasons, customer returns, transfers of red
  batches into the region's virtual warehouse, disposals, scrap, returns to suppliers,
  conversions; the batches' quantities on hand are kept by these moves (the ledger);
- a sales line for every sale (the velocity the predicted-unsold rule reads; written
  before the moves, so the batches are checked with it);
- a year of finished disposal orders of every kind, as the disposal flow leaves them:
  yellow promotions and bundles (with their bundle SKUs), red clearance transfers into the
  virtual warehouse, staff purchases with their employee orders, donations, supplier
  returns, conversions and scrap, each with its moves and its journal entries (recovery
  and loss). Orders are numbered by the form when written, so the journal names them by
  the number the demo day gives them (``_disposal_no``).

Records name each other by title (a SKU by its name, a batch by its number): the bulk path
resolves titles to ids. ``GS_DEMO_BATCHES`` makes fewer batches (the tests use a few
hundred); everything else follows from them.
"""

from __future__ import annotations

import os
import random
from datetime import date, datetime, time, timedelta

BATCHES = 20_000
HISTORY_DAYS = 365

#: code, name, red below %, yellow up to %, handling note
CATEGORIES = [
    ("FRESH", "生鲜", 50, 75, "每日巡检, 黄牌即促销, 红牌当日处置"),
    ("DAIRY", "乳品", 40, 70, "冷链商品, 红牌优先捐赠食物银行"),
    ("SNACK", "休闲零食", 30, 60, "黄牌组合销售, 红牌临期专区"),
    ("DRINK", "饮料", 25, 55, "旺季前调拨, 红牌社区团购"),
    ("CHEM", "日化", 20, 45, "效期长, 到期前退供应商"),
    ("OTC", "非处方药", 35, 65, "严禁过期销售, 到期前退供应商或报废"),
]
#: category code -> ABC class, kg CO2e avoided per kg not scrapped, conversion yield %
#: (the factors and their sources: seeds/README.md, "Green figures")
GREEN = {
    "FRESH": ("A", "2.500", 60),
    "DAIRY": ("A", "3.200", 70),
    "SNACK": ("B", "2.100", 50),
    "DRINK": ("B", "0.600", 30),
    "CHEM": ("C", "1.800", 0),
    "OTC": ("C", "4.000", 0),
}
#: past disposals: method -> the stock move it made (None: it moved no stock itself)
METHODS = {
    "clearance": "transfer_out",
    "employee": "sale",
    "donation": "disposal",
    "scrap": "scrap",
    "supplier_return": "return",
    "conversion": "conversion",
    "promotion": None,
    "bundle": None,
}
#: the journal's accounts for a disposal's recovery and loss (as the flow posts them)
RECOVERY_DEBIT = {
    "supplier_return": "2202 应付账款",
    "conversion": "1403 原材料",
    "employee": "1221 其他应收款-员工内购",
}
LOSS_DEBIT = {
    "donation": "6711 营业外支出-公益性捐赠",
    "scrap": "6711 营业外支出-存货报废损失",
    "clearance": "6701 资产减值损失-存货跌价",
}
SUMMARY = {
    "donation": "临期品定向捐赠",
    "scrap": "临期品报废",
    "supplier_return": "临期品退供应商",
    "conversion": "临期品原料转化",
    "employee": "临期品员工内购",
    "clearance": "临期品专区折价",
}
#: category code -> (brands, [(product, spec, unit, shelf days, unit cost)])
PRODUCTS = {
    "FRESH": (
        ["盒马", "百果园", "正大", "思念", "桃李"],
        [
            ("全麦吐司", "400g", "bag", 7, 6.5),
            ("鲜鸡蛋", "30枚", "box", 30, 18.0),
            ("冷鲜鸡胸", "500g", "box", 7, 12.0),
            ("鲜切水果盒", "350g", "box", 3, 9.0),
            ("即食沙拉", "220g", "box", 4, 8.5),
            ("嫩豆腐", "400g", "box", 10, 2.8),
            ("鲜肉水饺", "1kg", "bag", 180, 16.0),
            ("冷藏三明治", "150g", "pcs", 5, 5.5),
        ],
    ),
    "DAIRY": (
        ["光明", "伊利", "蒙牛", "君乐宝", "三元"],
        [
            ("纯牛奶", "250ml×24", "case", 180, 42.0),
            ("纯牛奶", "1L", "bottle", 21, 9.5),
            ("原味酸奶", "200g", "bottle", 21, 4.2),
            ("低脂牛奶", "1L", "bottle", 21, 10.5),
            ("奶酪片", "10片", "bag", 90, 16.0),
            ("巴氏鲜奶", "950ml", "bottle", 7, 11.0),
            ("儿童成长奶", "200ml×12", "case", 180, 36.0),
            ("风味发酵乳", "100g×8", "box", 28, 13.0),
        ],
    ),
    "SNACK": (
        ["乐事", "三只松鼠", "良品铺子", "奥利奥", "旺旺"],
        [
            ("薯片", "70g", "bag", 270, 4.6),
            ("每日坚果", "25g×30", "box", 180, 55.0),
            ("夹心饼干", "200g", "box", 365, 6.8),
            ("海苔", "40g", "bag", 240, 7.5),
            ("蛋黄派", "12枚", "box", 120, 9.9),
            ("牛肉干", "100g", "bag", 270, 19.0),
            ("雪饼", "150g", "bag", 300, 5.2),
            ("凤梨酥", "8枚", "box", 150, 22.0),
        ],
    ),
    "DRINK": (
        ["农夫山泉", "康师傅", "统一", "元气森林", "王老吉"],
        [
            ("饮用水", "550ml×24", "case", 540, 16.0),
            ("冰红茶", "500ml", "bottle", 270, 2.1),
            ("橙汁", "1L", "bottle", 180, 8.8),
            ("气泡水", "480ml", "bottle", 270, 3.3),
            ("凉茶", "310ml×6", "case", 365, 15.0),
            ("咖啡饮料", "268ml", "bottle", 270, 4.0),
            ("运动饮料", "600ml", "bottle", 360, 3.9),
            ("乳酸菌饮品", "100ml×5", "case", 45, 6.0),
        ],
    ),
    "CHEM": (
        ["立白", "蓝月亮", "舒肤佳", "高露洁", "维达"],
        [
            ("洗衣液", "2kg", "bottle", 1095, 22.0),
            ("洗洁精", "1.2kg", "bottle", 1095, 9.5),
            ("沐浴露", "720ml", "bottle", 1095, 26.0),
            ("牙膏", "180g", "pcs", 1095, 8.9),
            ("湿巾", "80抽", "bag", 730, 6.0),
        ],
    ),
    "OTC": (
        ["999", "白云山", "云南白药", "同仁堂"],
        [
            ("感冒灵颗粒", "10g×9袋", "box", 730, 11.0),
            ("板蓝根颗粒", "10g×20袋", "box", 730, 9.0),
            ("创可贴", "100片", "box", 1095, 12.0),
            ("维生素C片", "100片", "bottle", 730, 15.0),
            ("止咳糖浆", "120ml", "bottle", 540, 18.0),
        ],
    ),
}
#: how much a category sells in each month, January first (summer drinks, festive snacks)
SEASONS = {
    "FRESH": [1.1, 1.3, 1.0, 0.9, 0.9, 1.0, 1.0, 1.0, 1.0, 1.1, 1.0, 1.1],
    "DAIRY": [1.3, 1.5, 1.0, 0.9, 0.9, 0.8, 0.8, 0.8, 1.0, 1.1, 1.0, 1.2],
    "SNACK": [1.5, 1.8, 0.9, 0.8, 0.9, 0.9, 1.0, 1.0, 1.3, 1.2, 1.0, 1.3],
    "DRINK": [0.6, 0.7, 0.8, 1.0, 1.3, 1.7, 1.9, 1.8, 1.2, 0.9, 0.7, 0.6],
    "CHEM": [1.1, 1.2, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.3, 1.2],
    "OTC": [1.6, 1.4, 1.1, 0.9, 0.8, 0.7, 0.7, 0.7, 0.9, 1.1, 1.4, 1.6],
}
SUPPLIERS = [
    ("SUP-01", "光明乳业", True, 30),
    ("SUP-02", "伊利集团", True, 20),
    ("SUP-03", "蒙牛乳业", False, None),
    ("SUP-04", "康师傅控股", True, 60),
    ("SUP-05", "农夫山泉", False, None),
    ("SUP-06", "统一企业", True, 45),
    ("SUP-07", "三只松鼠", True, 30),
    ("SUP-08", "良品铺子", False, None),
    ("SUP-09", "立白集团", True, 90),
    ("SUP-10", "广药白云山", True, 120),
    ("SUP-11", "桃李面包", False, None),
    ("SUP-12", "正大食品", True, 10),
]
#: region code, its department (as the demo organisation names it), warehouses
REGIONS = [
    (
        "east",
        "华东大区",
        [("SH-DC", "上海配送中心", "dc"), ("HZ-ST", "杭州门店仓", "store")],
    ),
    (
        "south",
        "华南大区",
        [("GZ-DC", "广州配送中心", "dc"), ("SZ-ST", "深圳门店仓", "store")],
    ),
    (
        "north",
        "华北大区",
        [("BJ-DC", "北京配送中心", "dc"), ("TJ-ST", "天津门店仓", "store")],
    ),
]
VIRTUAL = {"east": "华东临期品虚拟仓", "south": "华南临期品虚拟仓", "north": "华北临期品虚拟仓"}
DONEES = [
    ("上海市慈善基金会", "charity"),
    ("广州食物银行", "food_bank"),
    ("北京绿色食物银行", "food_bank"),
    ("杭州市西湖区社区服务中心", "community"),
    ("深圳市南山区阳光小学", "school"),
]
CHANNELS = ["store", "online", "wholesale", "group_buy"]
#: the demo organisation's people (``app.auth.demo_org``) as the template's records name them
MANAGERS = {"east": "wang.clerk", "south": "li.clerk", "north": "zhang.clerk"}
EMPLOYEES = [
    ("王仓管", "华东大区", "wang.clerk"),
    ("李仓管", "华南大区", "li.clerk"),
    ("张仓管", "华北大区", "zhang.clerk"),
    ("周总监", "华东大区", "zhou.director"),
    ("吴员工", "综合部", "wu.staff"),
    ("钱财务", "财务部", "qian.finance"),
]


def generate(today: date, seed: int = 7, batches: int | None = None) -> dict[str, list[dict]]:
    """The demo records by form key, in the order they are to be written; ``batches``
    (else ``GS_DEMO_BATCHES``, else 20,000) batches."""
    batches = batches or int(os.environ.get("GS_DEMO_BATCHES") or BATCHES)
    rng = random.Random(seed)
    skus = _skus(rng)
    warehouses = _warehouses()
    stock, moves, sales, disposals = _batches(rng, today, skus, warehouses, batches)
    bundles = [d.pop("_bundle") for d in disposals if "_bundle" in d]
    orders = [d.pop("_orders") for d in disposals if "_orders" in d]
    return {
        "category": [
            {
                "code": c,
                "name": n,
                "red_pct": r,
                "yellow_pct": y,
                "handling": h,
                "abc_class": GREEN[c][0],
                "co2e_per_kg": GREEN[c][1],
                "conversion_pct": GREEN[c][2],
            }
            for c, n, r, y, h in CATEGORIES
        ],
        "supplier": [
            {
                "code": code,
                "name": name,
                "return_clause": clause,
                "return_days": days,
                "contract_terms": f"临期 {days} 天前可协商退货" if clause else "不接受退货",
            }
            for code, name, clause, days in SUPPLIERS
        ],
        "sku": [{k: v for k, v in s.items() if not k.startswith("_")} for s in skus + bundles],
        "warehouse": warehouses,
        "donee": [
            {"name": name, "kind": kind, "valid_until": (today + timedelta(days=365)).isoformat()}
            for name, kind in DONEES
        ],
        "employee": [
            {
                "employee_no": f"E{n:04d}",
                "name": name,
                "department": dept,
                "account": account,
                "purchase_quota": "2000.00",
            }
            for n, (name, dept, account) in enumerate(EMPLOYEES, start=1)
        ],
        "batch": stock,
        "sales_line": sales,  # before the moves: the batches they post to are rechecked
        "stock_move": moves,  # with the sales velocity known
        "disposal": disposals,
        "journal": _journal(today, disposals),
        "employee_order": [order for batch in orders for order in batch],
        "alerts": _alert_history(random.Random(seed + 1), today, disposals),
    }


def _skus(rng: random.Random) -> list[dict]:
    skus = []
    suppliers = [name for _, name, _, _ in SUPPLIERS]
    categories = {code: name for code, name, *_ in CATEGORIES}
    for code, (brands, products) in PRODUCTS.items():
        for b, brand in enumerate(brands):
            for p, (product, spec, unit, shelf_days, cost) in enumerate(products):
                unit_cost = round(cost * rng.uniform(0.85, 1.2), 2)
                skus.append(
                    {
                        "sku_code": f"{code}-{b + 1}{p + 1:02d}",
                        "name": f"{brand} {product} {spec}",
                        "category": categories[code],
                        "spec": spec,
                        "unit": unit,
                        "shelf_days": shelf_days,
                        "unit_cost": f"{unit_cost:.2f}",
                        "list_price": f"{unit_cost * rng.uniform(1.3, 1.8):.2f}",
                        "weight_kg": f"{rng.uniform(0.05, 12):.3f}",
                        "barcode": f"69{rng.randrange(10**10, 10**11)}",
                        "supplier": rng.choice(suppliers),
                        "bundle_ok": code in ("SNACK", "DRINK", "DAIRY"),
                        "_category": code,
                        "_cost": unit_cost,
                    }
                )
    return skus


def _warehouses() -> list[dict]:
    rows = []
    for region, department, houses in REGIONS:
        for code, name, kind in [*houses, (f"{region.upper()}-NX", VIRTUAL[region], "virtual")]:
            rows.append(
                {
                    "code": code,
                    "name": name,
                    "region": region,
                    "kind": kind,
                    "department": department,
                    "manager": MANAGERS[region],
                }
            )
    return rows


def _seasonal_day(rng: random.Random, first: date, last: date, season: list[float]) -> date:
    """A day between first and last, the busier months more likely."""
    span = (last - first).days
    for _ in range(8):
        day = first + timedelta(days=rng.randint(0, span))
        if rng.random() * 1.9 < season[day.month - 1]:
            return day
    return day


def _batches(rng: random.Random, today: date, skus: list[dict], warehouses: list[dict], count: int):
    """Batches, and the moves, sales lines and disposal orders of their past."""
    physical = [w for w in warehouses if w["kind"] != "virtual"]
    virtual = {w["region"]: w["name"] for w in warehouses if w["kind"] == "virtual"}
    donees = [name for name, _ in DONEES]
    stock, moves, sales, disposals = [], [], [], []
    since = today - timedelta(days=HISTORY_DAYS)

    def move(batch_no: str, kind: str, qty: int, day: date, counterpart: str = "") -> None:
        moves.append(
            {
                "batch": batch_no,
                "kind": kind,
                "qty": qty,
                "moved_on": day.isoformat(),
                "counterpart": counterpart,
            }
        )

    for n in range(count):
        sku = skus[n % len(skus)]
        house = physical[(n // len(skus) + n) % len(physical)]
        shelf = sku["shelf_days"]
        # remaining share of shelf life from -8 % (expired) to 100 %, more of it fresh: about
        # half the batches green, a fifth each yellow and red, one in twenty expired
        remaining = 1.0 - 1.08 * rng.random() ** 1.6
        produced = today - timedelta(days=round(shelf * (1 - remaining)))
        expiry = produced + timedelta(days=shelf)
        arrived = min(today, produced + timedelta(days=rng.randint(0, max(1, shelf // 20))))
        batch_no = f"{sku['sku_code']}-{house['code']}-{n:05d}"
        received = rng.choice([24, 48, 60, 96, 120, 240, 480, 960])
        row = {
            "sku": sku["name"],
            "batch_no": batch_no,
            "warehouse": house["name"],
            "location": f"{rng.choice('ABCDEF')}-{rng.randint(1, 30):02d}-{rng.randint(1, 6)}",
            "produced": produced.isoformat(),
            "inbound_date": arrived.isoformat(),
        }
        if rng.random() < 0.03:  # a clerk corrected the shelf life printed on this batch
            row["shelf_days"] = max(1, shelf - rng.randint(1, max(1, shelf // 10)))
            expiry = produced + timedelta(days=row["shelf_days"])
        stock.append(row)
        move(batch_no, "inbound", received, arrived, sku["supplier"])
        held = received
        # sales from the later of arrival and a year ago, until expiry or today
        first, last = max(arrived, since), min(today, expiry - timedelta(days=1))
        end = max(arrived, last)  # the last day anything happened to the batch
        season = SEASONS[sku["_category"]]
        if first <= last:
            sold_share = rng.uniform(0.0, 0.95) * min(1.0, (last - arrived).days / max(1, shelf))
            for _ in range(rng.randint(1, 4)):
                qty = int(received * sold_share / 2.5 * rng.uniform(0.5, 1.5))
                if 0 < qty <= held:
                    day = _seasonal_day(rng, first, last, season)
                    channel = rng.choice(CHANNELS)
                    move(batch_no, "sale", qty, day, channel)
                    held -= qty
                    price = sku["_cost"] * rng.uniform(1.2, 1.7)
                    sales.append(
                        {
                            "sold_on": day.isoformat(),
                            "sku": sku["name"],
                            "warehouse": house["name"],
                            "channel": channel,
                            "qty": qty,
                            "unit_price": f"{price:.2f}",
                        }
                    )
            if held > 12 and rng.random() < 0.04:  # a customer brought some back
                back = rng.randint(1, 6)
                move(batch_no, "return_in", back, end, "门店退货")
                held += back
        if 0.3 < remaining < 0.6 and held >= 20 and rng.random() < 0.08:
            day = first + timedelta(days=rng.randint(0, max(0, (end - first).days)))
            _promote(rng, disposals, row, sku, skus, held, remaining, day, today)
        day = first + timedelta(days=rng.randint(0, max(0, (end - first).days)))
        held = _dispose(rng, move, disposals, row, sku, held, remaining, day, donees, today)
        if 0.05 < remaining < 0.2 and held > 0 and rng.random() < 0.3:
            _to_virtual(move, stock, disposals, row, sku, held, virtual[house["region"]], end)
            held = 0
        if rng.random() < 0.06 and held > 0:  # sold out before the demo day
            move(batch_no, "sale", held, end, "store")
    moves.sort(key=lambda m: (m["moved_on"], m["kind"] not in ("inbound", "transfer_in")))
    return stock, moves, sales, disposals


def _disposal_no(today: date, index: int) -> str:
    """The number the disposal form gives the index-th order written on the demo day."""
    return f"DSP-{today:%Y%m%d}-{index + 1:04d}"


def _order(batch, sku, method, qty, day, unit_price, level) -> dict:
    """A done disposal order; its cost, loss and green figures are the form's formulas."""
    return {
        "batch": batch["batch_no"],
        "method": method,
        "level": level,
        "qty": qty,
        "status": "done",
        "unit_price": f"{unit_price:.2f}",
        "recovered_amount": f"{qty * unit_price:.2f}",
        "handled_on": day.isoformat(),
        "_cost": sku["_cost"],
    }


def _promote(rng, disposals, batch, sku, skus, held, remaining, day, today) -> None:
    """A yellow batch's promotion suggestion or bundle, confirmed by sales (no stock moved:
    the promoted units sell through the ordinary sales)."""
    daily = round(held / max(1, sku["shelf_days"]) * rng.uniform(0.3, 1.2), 2)
    days = max(1, round(sku["shelf_days"] * remaining))
    sellable = min(held, daily * days)
    discount = round(10 + (held - sellable) / held * 40)
    price = float(sku["list_price"]) * (100 - discount) / 100
    yellow = sum(1 for d in disposals if d["level"] == "yellow")
    method = "bundle" if yellow % 3 == 1 else "promotion"
    order = _order(batch, sku, method, held, day, price, "yellow")
    order.update(
        daily_sales=f"{daily:.2f}",
        days_to_sell=days,
        discount=discount,
        recovered_amount=f"{sellable * price:.2f}",
    )
    if method == "bundle":
        partner = rng.choice([s for s in skus if s["_category"] == sku["_category"]])
        code = f"BND-{len(disposals) + 1:05d}"
        name = f"{sku['name']} + {partner['name']} 组合装"
        order.update(bundle_partner=partner["name"], bundle_code=code, bundle_name=f"{name} {code}")
        order["_bundle"] = {
            "sku_code": code,
            "name": f"{name} {code}",
            "category": sku["category"],
            "unit": "box",
            "shelf_days": sku["shelf_days"],
            "unit_cost": sku["unit_cost"],
            "list_price": f"{price:.2f}",
            "supplier": sku["supplier"],
            "bundle_ok": True,
        }
    disposals.append(order)


def _dispose(rng, move, disposals, batch, sku, held, remaining, day, donees, today) -> int:
    """Some red and expired batches were disposed of in part; returns what is left."""
    if remaining > 0.15 or held < 10 or rng.random() > 0.3:
        return held
    # each in turn, so that even a small demo has every kind
    method = ["donation", "employee", "scrap", "supplier_return", "conversion"][len(disposals) % 5]
    qty = max(1, held // rng.randint(2, 4))
    number = _disposal_no(today, len(disposals))
    cost = sku["_cost"]
    unit_price = {
        "employee": cost * rng.uniform(0.5, 0.9),
        "supplier_return": cost * rng.uniform(0.3, 0.8),
        "conversion": cost * rng.uniform(0.1, 0.3),
    }.get(method, 0.0)
    level = "expired" if remaining <= 0 else "red"
    order = _order(batch, sku, method, qty, day, unit_price, level)
    counterpart = {"donation": "定向捐赠", "supplier_return": "退供应商"}.get(method, "原料转化")
    if method == "donation":
        order["donee"] = rng.choice(donees)
    elif method == "scrap":
        order["reason"] = "包装破损或临近到期, 不宜销售"
    elif method == "supplier_return":
        order["purchase_order"] = f"PO-{day:%Y%m}-{rng.randint(1, 999):03d}"
        order["negotiation"] = "按合同临期退货条款, 供应商按折让价收回"
    if method == "employee":
        order["_orders"] = []
        left = qty
        while left > 0:
            take = min(left, rng.randint(1, 12))
            employee = rng.choice(EMPLOYEES)[0]
            order["_orders"].append(
                {"disposal": number, "employee": employee, "qty": take, "_price": unit_price}
            )
            move(batch["batch_no"], "sale", take, day, "员工内购")
            left -= take
        for line in order["_orders"]:
            line["unit_price"] = f"{line.pop('_price'):.2f}"
    else:
        move(batch["batch_no"], METHODS[method], qty, day, counterpart)
    disposals.append(order)
    return held - qty


def _to_virtual(move, stock, disposals, batch, sku, qty, virtual, day) -> None:
    """A red batch moved into the region's near-expiry virtual warehouse and listed in the
    clearance zone at a discount."""
    moved_no = f"{batch['batch_no']}-NX"
    stock.append({**batch, "batch_no": moved_no, "warehouse": virtual, "location": "NX-01"})
    move(batch["batch_no"], "transfer_out", qty, day, virtual)
    move(moved_no, "transfer_in", qty, day, batch["warehouse"])
    price = float(sku["list_price"]) * 0.5
    order = _order(batch, sku, "clearance", qty, day, price, "red")
    order.update(target_warehouse=virtual, discount=50, valid_until=day.isoformat())
    disposals.append(order)


def _journal(today: date, disposals: list[dict]) -> list[dict]:
    """The finance postings of the past disposals, as the disposal flow makes them: the
    recovery (debit by method, credit stock) and the loss (cost less recovery)."""
    entries = []
    for index, order in enumerate(disposals):
        cost = round(order.pop("_cost") * 100) * order["qty"] / 100
        method = order["method"]
        if method in ("promotion", "bundle"):
            continue
        recovered = float(order["recovered_amount"])
        base = {
            "posted_on": order["handled_on"],
            "disposal": _disposal_no(today, index),
            "summary": SUMMARY[method],
            "credit_account": "1405 库存商品",
        }
        if recovered > 0:
            debit = RECOVERY_DEBIT.get(method, "1122 应收账款")
            entries.append(
                {**base, "entry": "recovery", "debit_account": debit, "amount": f"{recovered:.2f}"}
            )
        if cost - recovered > 0.004:
            debit = LOSS_DEBIT.get(method, "6402 其他业务成本-临期处置损失")
            loss = f"{cost - recovered:.2f}"
            entries.append({**base, "entry": "loss", "debit_account": debit, "amount": loss})
    return entries


def _alert_history(rng: random.Random, today: date, disposals: list[dict]) -> list[dict]:
    """The alerts the past disposals answered: raised a few days before the order was
    handled, most handled within four days, all closed when the order was; written as the
    rule's history (``app.rules.alert_history``), not as records."""
    history = []
    for order in disposals:
        day = date.fromisoformat(order["handled_on"])
        if day >= today or order.get("level") not in ("yellow", "red", "expired"):
            continue
        raised = datetime.combine(day - timedelta(days=rng.randint(1, 6)), time(2))
        closed = datetime.combine(day, time(18))
        handled = raised + timedelta(hours=round(rng.uniform(1, 96), 1))
        history.append(
            {
                "rule": "expiry_levels",
                "record": order["batch"],
                "level": order["level"],
                "raised_at": raised.isoformat(),
                "handled_at": min(handled, closed).isoformat() if rng.random() < 0.9 else None,
                "closed_at": closed.isoformat(),
            }
        )
    return history
