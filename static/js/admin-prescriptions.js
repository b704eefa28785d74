/* Prescription rows on the program admin page (programs/admin/programs.py PrescriptionInline).
 *
 * 1. Saved rows render their side, load and frequency selects with the chosen option only, so
 *    a long plan stays light; the full lists are on the page once (<template id="choices-…">).
 * 2. The exercise picker shows each exercise's kind, position and picture.
 * 3. Choosing an exercise fills the row from its default dose (sets, reps, hold, tempo, rest)
 *    and a side that fits it (one-leg exercises: each leg in turn; two-leg: both together).
 * 4. Choosing "Chosen weekdays" opens the row's "More" part and gives a saved row its weekday
 *    boxes (saved rows that don't use weekdays leave them out).
 * The defaults come with the picker's results (ExerciseAutocompleteView in exercises/admin.py).
 */
"use strict";
{
    const $ = window.django && window.django.jQuery;

    function fillChoices(select) {
        const source = document.getElementById("choices-" + select.dataset.choices);
        if (!source) {
            return;
        }
        const value = select.value;
        select.replaceChildren(source.content.cloneNode(true));
        select.value = value;
        select.removeAttribute("data-choices");
    }

    function exerciseChoice(result) {
        if (result.loading || !result.kind) {
            return result.text;
        }
        const row = document.createElement("span");
        row.className = "exercise-choice";
        if (result.thumbnail) {
            const picture = document.createElement("img");
            picture.src = result.thumbnail;
            picture.alt = "";
            picture.width = 48;
            picture.height = 36;
            row.append(picture);
        }
        const name = document.createElement("span");
        name.textContent = result.text;
        const kind = document.createElement("small");
        kind.textContent = `${result.kind} · ${result.position}${result.one_leg ? " · one leg" : ""}`;
        row.append(name, kind);
        return $(row);
    }

    function fillDose(select, result) {
        const fields = select.form.elements;
        const prefix = select.name.slice(0, -"exercise".length);
        for (const [name, value] of Object.entries(result.defaults)) {
            const field = fields[prefix + name];
            if (field) {
                field.value = value === null ? "" : value;
            }
        }
        const side = fields[prefix + "side"];
        if (side && result.one_leg && side.value === "both") {
            side.value = "each";
        } else if (side && !result.one_leg) {
            side.value = "both";
        }
    }

    function showWeekdays(select) {
        const row = select.closest(".inline-related");
        const more = row.querySelector("details.rx-more");
        if (more) {
            more.open = true;
        }
        const boxes = row.querySelector("fieldset[data-weekdays]");
        const source = document.getElementById("choices-weekdays");
        if (boxes && source && !boxes.querySelector("input")) {
            boxes.append(source.content.cloneNode(true));
            boxes.querySelectorAll("input").forEach((box) => {
                box.name = boxes.dataset.weekdays;
            });
        }
    }

    if ($ && $.fn.select2) {
        // Before autocomplete.js sets the pickers up (it waits for the page to load). The
        // exercise pickers leave out the attributes that would repeat these on every row.
        $.fn.select2.defaults.set("templateResult", exerciseChoice);
        $.fn.select2.defaults.set("ajax--delay", 250);
        $.fn.select2.defaults.set("ajax--cache", true);
        $(document).on("select2:select", ".rx-group select[name$='-exercise']", function (event) {
            const result = event.params && event.params.data;
            if (result && result.defaults) {
                fillDose(this, result);
            }
        });
    }

    function setUpPicker(select) {
        // A saved row's picker has only its chosen exercise: take the rest from the page's one.
        const source = document.getElementById("picker-exercise");
        const model = source && source.content.querySelector("select");
        if (!model || !$ || !$.fn.djangoAdminSelect2) {
            return;
        }
        for (const attribute of model.attributes) {
            if (attribute.name.startsWith("data-") || attribute.name === "class") {
                select.setAttribute(attribute.name, attribute.value);
            }
        }
        select.removeAttribute("data-picker");
        $(select).djangoAdminSelect2();
    }

    document.addEventListener("DOMContentLoaded", () => {
        document.querySelectorAll(".rx-group select[data-choices]").forEach(fillChoices);
        document.querySelectorAll(".rx-group select[data-picker]").forEach(setUpPicker);
        document.addEventListener("change", (event) => {
            const select = event.target;
            if (select.matches(".rx-group select[name$='-frequency']") && select.value === "weekdays") {
                showWeekdays(select);
            }
        });
    });
}
