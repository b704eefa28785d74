from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from exercises.models import Exercise

KIND_INTROS = {
    Exercise.Kind.CONCENTRIC: (
        _("Strength while the muscle shortens"),
        _(
            "The muscle gets shorter as it works, like when you bend your knee and pull your heel "
            "towards you. This builds strength. On its own it can leave the muscle feeling tight, "
            "so we pair it with the other two kinds."
        ),
    ),
    Exercise.Kind.ECCENTRIC: (
        _("Strength while the muscle lengthens"),
        _(
            "The muscle works while it gets longer, like slowly lowering your leg or leaning "
            "forward from the hips. Going slowly is the point. It makes the muscle strong in a "
            "stretched position, so it copes better when it is long."
        ),
    ),
    Exercise.Kind.NERVE_GLIDE: (
        _("Nerve glides"),
        _(
            "A big nerve, the sciatic nerve, runs down the back of your leg between the hamstrings. "
            "If it is touchy, your body may keep the muscles tight to protect it. A glide gently "
            "tightens one end of the nerve while loosening the other, then swaps. It should feel "
            "easy: light tension, never a strong stretch."
        ),
    ),
}


@require_GET
def exercise_list(request):
    exercises = list(Exercise.objects.active().order_by("name"))
    groups = [
        {
            "kind": kind,
            "title": KIND_INTROS[kind][0],
            "intro": KIND_INTROS[kind][1],
            "exercises": [e for e in exercises if e.kind == kind],
        }
        for kind in Exercise.Kind
    ]
    return render(request, "exercises/exercise_list.html", {"groups": groups})


@require_GET
def exercise_detail(request, slug):
    exercise = get_object_or_404(Exercise.objects.active(), slug=slug)
    title, intro = KIND_INTROS[exercise.kind]
    return render(
        request,
        "exercises/exercise_detail.html",
        {"exercise": exercise, "kind_title": title, "kind_intro": intro},
    )
