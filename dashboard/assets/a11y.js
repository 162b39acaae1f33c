/* Universell utforming (WCAG 2.1 AA) for Dash 4's own controls, which we cannot configure:

   - dcc.Dropdown puts a hidden input (aria-hidden="true", tabindex 0) before its button and
     forwards focus from it; a screen reader's user lands on a hidden element (axe:
     aria-hidden-focus).  The hidden input is made inert and the button itself takes the focus;
     the button is named by its <label for=…> as well as by the value it shows.
   - dcc.RangeSlider's number inputs have no label (axe: label) and its handles are called
     "Minimum"/"Maximum": they get the slider's label in Norwegian («År, fra» / «År, til»).
   - dcc.Upload's file input has no label: it gets the text of the drop zone.

   Only attributes React does not change after the first render are set, so a re-render keeps
   them; a MutationObserver repeats the work for controls added later (page changes). */
(function () {
    "use strict";

    function labelFor(id) {
        if (!id) { return null; }
        return document.querySelector('label[for="' + CSS.escape(id) + '"]');
    }

    function fixDropdowns(root) {
        root.querySelectorAll(".dash-dropdown-focus-target").forEach(function (hidden) {
            if (!hidden.inert) { hidden.inert = true; }
            if (hidden.getAttribute("tabindex") !== "-1") { hidden.tabIndex = -1; }
            const button = hidden.nextElementSibling;
            if (!button || button.tagName !== "BUTTON") { return; }
            if (button.getAttribute("tabindex") !== "0") { button.tabIndex = 0; }
            const label = labelFor(button.id);
            if (label) {
                if (!label.id) { label.id = button.id + "-label"; }
                const named = button.getAttribute("aria-labelledby") || "";
                if (named.split(" ").indexOf(label.id) < 0) {
                    button.setAttribute("aria-labelledby", (label.id + " " + named).trim());
                }
            }
        });
    }

    function named(element, wanted) {
        if (element.getAttribute("aria-label") !== wanted) {
            element.setAttribute("aria-label", wanted);
        }
    }

    function fixSliders(root) {
        root.querySelectorAll(".dash-slider-container[id], .dash-range-slider-container[id], " +
                              "[id]:has(> .dash-range-slider-min-input)").forEach(function (box) {
            const label = labelFor(box.id);
            const name = label ? label.textContent.trim() : "Verdi";
            box.querySelectorAll(".dash-range-slider-min-input").forEach(function (input) {
                named(input, name + ", fra");
            });
            box.querySelectorAll(".dash-range-slider-max-input").forEach(function (input) {
                named(input, name + ", til");
            });
            const thumbs = box.querySelectorAll("[role=slider]");
            thumbs.forEach(function (thumb, i) {
                named(thumb, thumbs.length === 2 ? name + (i ? ", til" : ", fra") : name);
            });
        });
    }

    function fixUploads(root) {
        root.querySelectorAll("input[type=file]:not([aria-label])").forEach(function (input) {
            const zone = input.parentElement;
            const text = zone ? zone.textContent.trim().replace(/\s+/g, " ") : "";
            input.setAttribute("aria-label", text || "Velg fil");
        });
    }

    let queued = false;
    function fixAll() {
        queued = false;
        fixDropdowns(document);
        fixSliders(document);
        fixUploads(document);
    }

    function queue() {
        if (!queued) {
            queued = true;
            window.requestAnimationFrame(fixAll);
        }
    }

    function start() {
        fixAll();
        new MutationObserver(queue).observe(document.body, {
            childList: true, subtree: true, attributes: true,
            attributeFilter: ["aria-label", "tabindex"]});
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
}());
