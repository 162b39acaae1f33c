/* Politiråd presentation (/politirad?present=1): one finding per screen.
   → PageDown space: next · ← PageUp: previous · Home/End: first/last · Esc: leave.
   The body gets the class "politirad-present" while a deck is on the page (the stylesheet
   then hides the navigation bar and the footer). */
(function () {
    "use strict";
    var index = 0;

    function deck() { return document.getElementById("pr-deck"); }

    function show(wanted) {
        var d = deck();
        if (!d) { return; }
        var slides = d.querySelectorAll(".pr-slide");
        if (!slides.length) { return; }
        index = Math.max(0, Math.min(slides.length - 1, wanted));
        slides.forEach(function (slide, i) {
            slide.classList.toggle("active", i === index);
            slide.setAttribute("aria-hidden", i === index ? "false" : "true");
        });
        var counter = document.getElementById("pr-counter");
        if (counter) { counter.textContent = (index + 1) + " / " + slides.length; }
    }

    var KEYS = {
        ArrowRight: function () { show(index + 1); },
        PageDown: function () { show(index + 1); },
        " ": function () { show(index + 1); },
        Spacebar: function () { show(index + 1); },
        ArrowLeft: function () { show(index - 1); },
        PageUp: function () { show(index - 1); },
        Home: function () { show(0); },
        End: function () { show(Number.MAX_SAFE_INTEGER); },
        Escape: function () {
            var exit = document.getElementById("pr-exit");
            if (exit) { exit.click(); }
        }
    };

    document.addEventListener("keydown", function (event) {
        if (!deck() || event.altKey || event.ctrlKey || event.metaKey) { return; }
        var target = event.target;
        if (target && (/^(INPUT|TEXTAREA|SELECT)$/).test(target.tagName)) { return; }
        var action = KEYS[event.key];
        if (action) {
            event.preventDefault();
            action();
        }
    });

    document.addEventListener("click", function (event) {
        if (!deck() || !event.target.closest) { return; }
        if (event.target.closest("#pr-next")) { show(index + 1); }
        if (event.target.closest("#pr-prev")) { show(index - 1); }
    });

    function sync() {
        var d = deck();
        document.body.classList.toggle("politirad-present", !!d);
        if (d && !d.hasAttribute("data-ready")) {
            d.setAttribute("data-ready", "1");
            show(0);
            d.focus({preventScroll: true});
        }
    }

    new MutationObserver(sync).observe(document.documentElement, {childList: true, subtree: true});
}());
