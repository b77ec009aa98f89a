"""Small charts drawn on the server as SVG coordinates: no JavaScript, nothing fetched."""
from datetime import date, timedelta


def cumulative_by_day(days: list[date], width: int = 600, height: int = 200, pad: int = 30) -> dict | None:
    """A step line of the running total of events per day, from the first day to the last."""
    if not days:
        return None
    days = sorted(days)
    first, last = days[0], max(days[-1], days[0] + timedelta(days=1))
    span = (last - first).days
    total, points, count = len(days), [], 0
    by_day: dict[date, int] = {}
    for day in days:
        by_day[day] = by_day.get(day, 0) + 1
    x_scale, y_scale = (width - 2 * pad) / span, (height - 2 * pad) / total

    def xy(day: date, value: int) -> str:
        return f"{pad + (day - first).days * x_scale:.1f},{height - pad - value * y_scale:.1f}"
    points.append(xy(first, 0))
    for day in sorted(by_day):
        points.append(xy(day, count))
        count += by_day[day]
        points.append(xy(day, count))
    points.append(xy(last, count))
    return {"width": width, "height": height, "pad": pad, "points": " ".join(points), "total": total,
            "first": first, "last": last, "top": pad, "bottom": height - pad, "right": width - pad}


def bars(counts: dict[str, int]) -> list[dict]:
    """Rows for a horizontal bar table, largest first, each with its share of the largest in per cent."""
    top = max(counts.values(), default=0) or 1
    return [{"key": key, "count": n, "percent": round(100 * n / top)}
            for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
