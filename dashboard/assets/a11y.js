/* Universell utforming (WCAG 2.1 AA) for Dash 4's own controls, which we cannot configure:

   - dcc.Dropdown puts a hidden input (aria-hidden="true", tabindex 0) before its button and
     forwards focus from it; a screen reader's user lands on a hidden element (axe:
     aria-hidden-focus).  The hidden input is made inert and the button itself takes the focus;
     the button is named by its <label for=…> as well as by the value it shows.
   - dcc.RangeSlider's number inputs have no label (axe: label) and its handles are called
     "Minimum"/"Maximum": they get the slider's label in Norwegian («År, fra» / «År, til»).
   - dcc.Upload's file input has no label: it gets the text of the drop zone.
   - An open dcc.Dropdown's list has no name (see fixOpenLists).

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
                const named = (button.getAttribute("aria-labelledby") || "").split(" ")
                    .filter(function (id) { return id && id !== label.id; });
                // The label first, then the button's own parts in the order they are shown
                // («Grenland, Skien, Bamble» before «3 valgt»): a name that reads the visible
                // text in another order fails WCAG 2.5.3 (axe: label-content-name-mismatch).
                named.sort(function (a, b) {
                    const one = document.getElementById(a), two = document.getElementById(b);
                    if (!one || !two) { return 0; }
                    return one.compareDocumentPosition(two) & Node.DOCUMENT_POSITION_FOLLOWING
                        ? -1 : 1;
                });
                const wanted = [label.id].concat(named).join(" ");
                if (button.getAttribute("aria-labelledby") !== wanted) {
                    button.setAttribute("aria-labelledby", wanted);
                }
            }
        });
        // The «Fjern valget» cross inside the button is an <a> without href: a mouse-only
        // shortcut no keyboard reaches (the list's «Fjern alle» does the same).  Its name made
        // the button's visible text differ from the button's name (label-content-name-mismatch).
        root.querySelectorAll("button.dash-dropdown .dash-dropdown-clear").forEach(function (x) {
            if (x.getAttribute("aria-hidden") !== "true") { x.setAttribute("aria-hidden", "true"); }
        });
        fixOpenLists(root);
    }

    /* The open list of a dropdown: the listbox is named by the dropdown's label (axe:
       aria-input-field-name).  Each option (a <label role=option>) holds a check box that is
       where the arrow keys put the focus, so it cannot be made inert or unfocusable without
       breaking the keyboard: axe's nested-interactive on an open list remains (Dash's markup). */
    function fixOpenLists(root) {
        const open = document.querySelector("button.dash-dropdown[aria-expanded=true]");
        const label = open ? labelFor(open.id) : null;
        root.querySelectorAll(".dash-dropdown-content [role=listbox]").forEach(function (list) {
            if (label && label.id && list.getAttribute("aria-labelledby") !== label.id) {
                list.setAttribute("aria-labelledby", label.id);
            } else if (!label && !list.hasAttribute("aria-label")) {
                list.setAttribute("aria-label", "Valg");
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
            attributeFilter: ["aria-label", "aria-labelledby", "aria-expanded", "tabindex"]});
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
}());
