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


def bars(counts: dict[str, int], in_order: bool = False) -> list[dict]:
    """Rows for a horizontal bar table, largest first (in_order: in the order given, for a scale), each with its
    share of the largest in per cent."""
    top = max(counts.values(), default=0) or 1
    ordered = counts.items() if in_order else sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [{"key": key, "count": n, "percent": round(100 * n / top)} for key, n in ordered]


def stacked_bars(rows: dict[str, dict[str, int]], keys) -> list[dict]:
    """Rows for stacked horizontal bars (one per row key, in the order given): each row's total and its segments,
    one per key with a count, placed end to end (x, width) in per cent of the longest row. Drawn from the start
    of a 100-wide view box; the stylesheet mirrors it on a right-to-left page."""
    top = max((sum(row.values()) for row in rows.values()), default=0) or 1
    drawn = []
    for name, row in rows.items():
        x, segments = 0.0, []
        for key in keys:
            if row.get(key):
                width = 100 * row[key] / top
                segments.append({"key": key, "count": row[key], "x": round(x, 2), "width": round(width, 2)})
                x += width
        drawn.append({"key": name, "total": sum(row.values()), "segments": segments})
    return drawn
