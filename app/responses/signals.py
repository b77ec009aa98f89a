"""What the tracker asks of the areas built on responses. The lines area (app/lines) follows recommendations
across declarations and reads the responses' answers and assessments, so the tracker cannot import it: it asks
through this signal instead, and the lines area answers in its receivers.py."""
from blinker import Namespace

_signals = Namespace()

# The tracker shows lines instead of single recommendations (/tracker?view=lines). Sender: the reader; keyword
# arguments: filters (app/responses/tracker.py Filters) and number (the page asked for). The receiver answers
# {"page": one page of lines, shaped for the pager, "rows": what each line shows}.
tracker_lines = _signals.signal("tracker-lines")


def tracker_lines_page(user, filters, number: int) -> dict | None:
    """A page of the tracker's lines view, or None when no area answers."""
    for _receiver, answer in tracker_lines.send(user, filters=filters, number=number):
        if answer is not None:
            return answer
    return None
