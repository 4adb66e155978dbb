"""The admin index as the staff home (accounts.staff_home has the figures)."""

from functools import wraps

from accounts import staff_home


def staff_index(index):
    """Wrap AdminSite.index so that it shows what needs doing today."""

    @wraps(index)
    def view(request, extra_context=None):
        return index(
            request, extra_context={**staff_home.context(request.user), **(extra_context or {})}
        )

    return view
