"""The words patient scripts show or announce, for static/js/words.js: `{% js_words %}`.

Rendered into every page (base.html) as JSON in the page's language, so a page kept offline
by static/js/sw.js keeps its words. The English text is the key; a plural is a pair. Add a
string here when a script gets one: tests/test_i18n.py checks the scripts and this list agree.
"""

from functools import cache

from django import template
from django.utils.html import json_script
from django.utils.translation import get_language, gettext, gettext_noop, ngettext

register = template.Library()

WORDS = [
    # static/js/timers.js: what the timers show, and announce to screen readers
    gettext_noop("Rep %(rep)s of %(reps)s"),
    gettext_noop("%(label)s: %(left)s s"),
    gettext_noop("Get ready"),
    gettext_noop("Get ready… %(n)s"),
    gettext_noop("Hold for %(time)s"),
    gettext_noop("Hold"),
    gettext_noop("Relax"),
    gettext_noop("Relax. Well done: that's %(n)s holds."),
    gettext_noop("Relax. Well done."),
    gettext_noop("Lower…"),
    gettext_noop("%(s)s s…"),
    gettext_noop("Up"),
    gettext_noop("Press Done when you're ready."),
    gettext_noop("Rest for %(time)s. You can skip the rest."),
    gettext_noop("Rest"),
    gettext_noop("Rest over. Ready for the next set."),
    gettext_noop("Skip the rest"),
    gettext_noop("Stop the timer"),
    gettext_noop("Rest skipped."),
    gettext_noop("Timer stopped."),
    # static/js/app.js, connection.js, signout.js
    gettext_noop("You're back online. Reload the page to see the latest."),
    gettext_noop(
        "We couldn't save that set: the connection dropped. Your earlier sets are safe. "
        "Check your signal or Wi-Fi, then press the button again."
    ),
    gettext_noop(
        "Something went wrong on our side, so that set wasn't saved. Your earlier sets are "
        "safe. Please press the button again. If it keeps happening, call the clinic."
    ),
    gettext_noop(
        "Some sets are saved on this phone but haven't reached the clinic yet. "
        "If you sign out now, they will be lost. Sign out anyway?"
    ),
    # static/js/session-offline.js
    gettext_noop("Saved on this phone; it will be sent when you are back online."),
    gettext_noop("Sending what was saved on this phone…"),
    gettext_noop("Sent: everything you did is saved."),
    gettext_noop("Sent. Some of it was already saved from another device or tab, so we kept that."),
    gettext_noop("Sent, but one answer couldn't be saved. Please check this step."),
    gettext_noop("Sign in again to send what is saved on this phone."),
    gettext_noop("We stopped for today. Two quick questions, then you're done."),
    gettext_noop("Step %(n)s of %(total)s"),
    gettext_noop("All %(total)s steps done"),
    gettext_noop("We stopped %(name)s. Your therapist will see it."),
    # static/js/sw.js: pages shown offline
    gettext_noop("Offline: showing what was saved at %(when)s."),
    gettext_noop("%(time)s on %(day)s"),
    gettext_noop("You're offline, so that wasn't sent. Try again when you have a signal."),
    gettext_noop("You're offline, and this page isn't saved on this phone."),
    gettext_noop("Offline"),
    gettext_noop("You're offline"),
    gettext_noop("Today"),
    gettext_noop("My plan"),
    gettext_noop("%(today)s and %(plan)s open from this phone."),
]


def _plurals(n):
    """Each plural's form for n, keyed by its English singular."""
    return {
        "1 second": ngettext("1 second", "%(n)s seconds", n),
        "That's 1 rep.": ngettext("That's 1 rep.", "That's %(n)s reps.", n),
    }


def catalog():
    """English text -> the active language's text (a [one, other] pair for plurals)."""
    words = {text: gettext(text) for text in WORDS}
    one, other = _plurals(1), _plurals(2)
    return words | {key: [one[key], other[key]] for key in one}


@cache
def _script(language):
    """The JSON block for one language: the same on every page, so built once a process."""
    return json_script(catalog(), "js-words")


@register.simple_tag
def js_words():
    return _script(get_language())
