/* Last opp: a file over the size limit is refused in the browser, before it is read.
   dcc.Upload (max_size) drops such a file without a word; this says why, with the file's size
   and the limit, in the element #upload-size-error.  The server checks the size again. */
(function () {
    function mb(bytes) {
        return (bytes / 1048576).toLocaleString("nb-NO",
            {minimumFractionDigits: 1, maximumFractionDigits: 1});
    }

    function check(files, zone) {
        const limit = parseInt(zone.getAttribute("data-max-bytes"), 10);
        if (!files || !limit || !window.dash_clientside || !window.dash_clientside.set_props) {
            return;
        }
        let message = "";
        Array.prototype.forEach.call(files, function (file) {
            if (file.size > limit) {
                message = "«" + file.name + "» er " + mb(file.size) + " MB, men grensen er " +
                    mb(limit) + " MB. Filen er ikke lastet opp. Del den opp, for eksempel " +
                    "ett år eller én region per fil, og last opp delene hver for seg.";
            }
        });
        window.dash_clientside.set_props("upload-size-error", {children: message});
    }

    function zoneOf(event) {
        return event.target && event.target.closest ? event.target.closest("#upload-zone") : null;
    }

    document.addEventListener("change", function (event) {
        const zone = zoneOf(event);
        if (zone && event.target.files) { check(event.target.files, zone); }
    }, true);
    document.addEventListener("drop", function (event) {
        const zone = zoneOf(event);
        if (zone && event.dataTransfer) { check(event.dataTransfer.files, zone); }
    }, true);
})();
