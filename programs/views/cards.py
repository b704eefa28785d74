"""The guided session's step card: its body, kept in the shared cache, and its offline copies.

A step's card body (the step-body partial: the dose, Done, the timers, the picture, Skip and
Stop) is a pure function of the step, its exercise and the rest before it. The session page
carries an offline copy of every step still to do, each made as the server would show it
after a Done on the step before; those copies are kept in the shared cache one by one, so
after that Done the live card is the same HTML, read, not rendered
(programs/views/fragments.py).
"""

from functools import partial

from django.utils.safestring import mark_safe

from creekside import dose_words
from creekside.dosing import tempo_phases
from programs.forms import FinishForm, SkipForm, StepDoneForm, StopForm
from programs.models import SetLog
from programs.views import fragments

BODY = "programs/session_detail.html#step-body"


def body_context(session, step, rest_after):
    """What the step card's body (the step-body partial) shows, apart from its two forms."""
    return {
        "session": session,
        "step": step,
        "rest_after": rest_after,
        "lower_seconds": (tempo_phases(step.target_tempo) or [None])[0],
        "words": step_words(step),
    }


def rest_before(previous, step, assume_done=False):
    """The rest before `step`: after a finished set, not between the left and right leg of the
    same set. assume_done: as it will be once `previous` is done (the offline copies)."""
    if previous is None or not (assume_done or previous.status == SetLog.Status.DONE):
        return 0
    same_set = (previous.exercise_id, previous.set_number) == (step.exercise_id, step.set_number)
    return 0 if same_set else previous.rest_seconds


def body_inputs(session, step, rest_after):
    """Everything a step's card body shows: the same for the live card and its offline copy."""
    return session.pk, fragments.row(step), fragments.row(step.exercise), rest_after


def with_body(request, context):
    """The live card's body from the shared cache (the offline copy made with the page
    before, or an earlier request): unless it shows errors or the skip choices open."""
    step = context.get("step")
    if not step or context.get("stop_step") or context.get("stopped_step"):
        return context  # the card shows something else
    if context.get("skip_open") or context["form"].is_bound:
        return context
    inputs = body_inputs(context["session"], step, context["rest_after"])
    context["step_body"] = fragments.finish(request, fragments.raw(request, BODY, context, inputs))
    return context


def step_words(step):
    """The step's dose as the patient reads it: reps, then tempo, then load and effort."""
    more = [
        dose_words.patient_load(step.target_load),
        dose_words.patient_effort(step.target_effort),
    ]
    reps = (
        "" if step.is_hold else dose_words.patient_reps(step.target_reps_low, step.target_reps_high)
    )
    return {
        "reps": reps,
        "target": dose_words.step_target(step, reps),
        "tempo": dose_words.patient_tempo(step.target_tempo),
        "more": [line for line in more if line],
    }


def offline(request, session, steps, in_fragment=False):
    """Every step still to do, for static/js/session-offline.js to show when offline.

    Each card is the step as the server would show it after a Done on the step before
    (rest_after); the script drops the rest when it came after a skip or a stop. Each card's
    body is kept in the shared cache: after that Done, the live card is the same HTML.
    in_fragment: the cards go into a fragment that is kept itself, so they keep the token's
    placeholder (the fragment's own way out puts this request's token in); otherwise each
    gets this request's token here.
    """
    pending = [s for s in steps if s.status == SetLog.Status.PENDING]
    parts = []
    skip_form = SkipForm(auto_id="id_skip_%s")  # unbound forms render the same on every card
    done_forms = {}  # one per kind of target: a set of the same dose renders the same form
    for step in pending:
        target = (step.is_hold, step.target_seconds, step.target_reps_low, step.target_reps_high)
        target += (step.target_load,)
        if target not in done_forms:
            done_forms[target] = StepDoneForm(step=step)
        previous = steps[step.position - 2] if step.position > 1 else None
        card = body_context(session, step, rest_before(previous, step, assume_done=True))
        card.update(form=done_forms[target], skip_form=skip_form)
        parts.append((card, body_inputs(session, step, card["rest_after"])))
    bodies = fragments.raw_many(request, BODY, parts)
    done = mark_safe if in_fragment else partial(fragments.finish, request)
    bodies = [done(body) for body in bodies]
    pictures = sorted({s.exercise.image.url for s in steps if s.exercise.image})
    return {
        "cards": [{"step": c["step"], "body": b} for (c, _), b in zip(parts, bodies, strict=True)],
        "first": pending[0] if pending else None,
        "pictures": pictures,
        "stop_form": StopForm(),
        "finish_form": FinishForm(),
    }
