"""Demo data for the near-expiry template: SKUs, batches across warehouses, 30 days of sales.

Deterministic for a given seed and day, so a demo looks the same for everyone: a few
batches in each level (green, yellow, red, expired), some slow sellers, a bit of history.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

PRODUCTS = {
    "dairy": [("纯牛奶 1L", 21), ("酸奶 200g", 21), ("奶酪片", 90), ("巴氏鲜奶", 7)],
    "bakery": [("全麦面包", 7), ("蛋黄派", 120), ("牛角包", 5), ("月饼礼盒", 60)],
    "snacks": [("薯片 70g", 270), ("坚果礼包", 180), ("饼干 200g", 365), ("海苔", 240)],
    "beverage": [("橙汁 1L", 180), ("矿泉水 550ml", 540), ("凉茶", 365), ("咖啡饮料", 270)],
    "household": [("洗衣液 2kg", 1095), ("洗洁精", 1095), ("湿巾", 730), ("牙膏", 1095)],
}
WAREHOUSES = ["east", "south", "north"]
OWNERS = ["wang.clerk", "li.clerk"]


def generate(today: date, seed: int = 7, batches_per_sku: int = 6) -> dict[str, list[dict]]:
    rng = random.Random(seed)
    skus, batches, sales = [], [], []
    for category, products in PRODUCTS.items():
        for index, (name, shelf_days) in enumerate(products):
            cost = round(rng.uniform(2, 60), 2)
            skus.append(
                {
                    "sku_code": f"{category[:3].upper()}-{index + 1:03d}",
                    "name": name,
                    "category": category,
                    "shelf_days": shelf_days,
                    "unit_cost": f"{cost:.2f}",
                    "unit_price": f"{cost * 1.6:.2f}",
                    "supplier": rng.choice(["光明", "伊利", "康师傅", "农夫山泉", "立白"]),
                    "barcode": f"69{rng.randrange(10**10, 10**11)}",
                }
            )
            for n in range(batches_per_sku):
                # Spread remaining life from -5% to 95% so every level shows up.
                remaining = rng.uniform(-0.05, 0.95)
                produced = today - timedelta(days=round(shelf_days * (1 - remaining)))
                batches.append(
                    {
                        "batch_no": f"{category[:3].upper()}{index + 1:02d}-{produced:%y%m%d}-{n}",
                        "sku": name,
                        "category": category,
                        "warehouse": WAREHOUSES[(index + n) % len(WAREHOUSES)],
                        "qty": rng.choice([0, 12, 24, 48, 60, 120, 240, 480]),
                        "unit_cost": f"{cost:.2f}",
                        "produced": produced.isoformat(),
                        "shelf_days": shelf_days,
                        "inbound_date": produced.isoformat(),
                        "owner": OWNERS[n % len(OWNERS)],
                        "status": "in_stock",
                    }
                )
            for day in range(30):
                if rng.random() < 0.6:
                    sales.append(
                        {
                            "sku": name,
                            "warehouse": rng.choice(WAREHOUSES),
                            "qty": rng.randint(1, 30),
                            "date": (today - timedelta(days=day)).isoformat(),
                            "channel": rng.choice(["store", "online", "wholesale"]),
                        }
                    )
    return {"sku": skus, "batch": batches, "outbound": sales}
