from django.shortcuts import redirect


def today(request):
    if request.user.is_staff:
        return redirect("admin:index")
    return redirect("exercises:exercise_list")
